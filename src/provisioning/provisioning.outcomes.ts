import { translatorFor, type Translator } from '../shared/i18n';

/**
 * Every outcome of making sure an instructor has a Zoom user, and what the course page says about
 * it: what happened and what to do. Stable ids, stored as `last_outcome`.
 */
export const OUTCOMES = [
  'active',
  'pending',
  'inactive',
  'queued',
  'email_missing',
  'email_taken',
  'no_seats',
  'domain_not_allowed',
  'action_not_allowed',
  'zoom_not_connected',
  'zoom_reconnect_required',
  'zoom_unavailable',
] as const;

export type Outcome = (typeof OUTCOMES)[number];

/** A stored `last_outcome`, read back as an outcome (undefined for nothing, or for an id this version does not know). */
export function parseOutcome(text: string | null | undefined): Outcome | undefined {
  return OUTCOMES.find((outcome) => outcome === text);
}

/** The outcome a person's row shows: someone is provisioning them right now, or the last one recorded. */
export function shownOutcome(row: {
  leaseOwner: string | null;
  lastOutcome: string | null;
}): Outcome | undefined {
  return row.leaseOwner ? 'queued' : parseOutcome(row.lastOutcome);
}

export interface OutcomeMessage {
  tone: 'ok' | 'info' | 'problem';
  title: string;
  detail: string;
  nextStep: string;
}

const TONES: Record<Outcome, OutcomeMessage['tone']> = {
  active: 'ok',
  pending: 'info',
  queued: 'info',
  inactive: 'problem',
  email_missing: 'problem',
  email_taken: 'problem',
  no_seats: 'problem',
  domain_not_allowed: 'problem',
  action_not_allowed: 'problem',
  zoom_not_connected: 'problem',
  zoom_reconnect_required: 'problem',
  zoom_unavailable: 'problem',
};

/** What a page says about an outcome, in the translator's language (catalog `outcomes.<id>`). */
export function outcomeMessage(
  outcome: Outcome,
  context: { email?: string; platform?: string },
  translator: Translator = translatorFor(undefined),
): OutcomeMessage {
  const { t } = translator;
  const email = context.email ?? t('outcomes.yourEmail');
  const next = outcome === 'email_missing' && context.platform === 'canvas' ? 'nextCanvas' : 'next';
  return {
    tone: TONES[outcome],
    title: t(`outcomes.${outcome}.title`, { email }),
    detail: t(`outcomes.${outcome}.detail`, { email }),
    nextStep: t(`outcomes.${outcome}.${next}`, { email }),
  };
}

/**
 * What the course page says to an administrator who is not an instructor of the course, when the
 * school's settings give such administrators no Zoom user (catalog `outcomes.administrator_left_out`).
 */
export function administratorLeftOutMessage(
  translator: Translator = translatorFor(undefined),
): OutcomeMessage {
  const { t } = translator;
  return {
    tone: 'info',
    title: t('outcomes.administrator_left_out.title'),
    detail: t('outcomes.administrator_left_out.detail'),
    nextStep: t('outcomes.administrator_left_out.next'),
  };
}
