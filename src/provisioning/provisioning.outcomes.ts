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

export function outcomeMessage(
  outcome: Outcome,
  context: { email?: string; platform?: string },
): OutcomeMessage {
  const email = context.email ?? 'your email address';
  switch (outcome) {
    case 'active':
      return {
        tone: 'ok',
        title: 'Your Zoom account is ready',
        detail: `You host class meetings as ${email} in your school's Zoom account.`,
        nextStep: '',
      };
    case 'pending':
      return {
        tone: 'info',
        title: 'Activate your Zoom account',
        detail: `Your school's Zoom account has invited ${email}. Zoom sent an activation email to that address.`,
        nextStep:
          'Open the email from Zoom (check spam too) and accept the invitation; the next time you open this tool it will notice.',
      };
    case 'inactive':
      return {
        tone: 'problem',
        title: 'Your Zoom user is deactivated',
        detail: `The Zoom user ${email} exists in your school's Zoom account but is deactivated.`,
        nextStep:
          "Ask your school's Zoom administrator to reactivate it (Zoom admin → User Management → Users).",
      };
    case 'queued':
      return {
        tone: 'info',
        title: 'Your Zoom account is being set up',
        detail:
          'Zoom is busy right now (many people are starting at once), so your Zoom user is being created in the background.',
        nextStep: 'Nothing to do: reload this page in a minute. Everything else on this page already works.',
      };
    case 'email_missing':
      return {
        tone: 'problem',
        title: 'Your LMS did not share your email address',
        detail: 'A Zoom user is identified by email, and this launch did not include yours.',
        nextStep:
          context.platform === 'canvas'
            ? "Ask your Canvas administrator to set the tool's privacy level to include email (Privacy: email_only or public in the developer key)."
            : "Ask your Moodle administrator to set the tool's privacy setting “Share launcher's email with the tool” to Always.",
      };
    case 'email_taken':
      return {
        tone: 'problem',
        title: 'Your email is already used by another Zoom account',
        detail: `${email} already belongs to a Zoom user outside your school's Zoom account (for example a personal account).`,
        nextStep:
          "Ask your school's Zoom administrator to invite you to the school's account; Zoom then lets you move your existing user into it (sign in at zoom.us and accept). Open this tool again afterwards.",
      };
    case 'no_seats':
      return {
        tone: 'problem',
        title: "Your school's Zoom account has no licence left",
        detail:
          'Every licensed seat in the school’s Zoom account is in use, and the school does not create Basic users instead.',
        nextStep:
          "Ask your school's Zoom administrator to free or buy a licence; then press Check again or open this tool again.",
      };
    case 'domain_not_allowed':
      return {
        tone: 'problem',
        title: 'Zoom does not accept your email domain',
        detail: `The school’s Zoom account does not allow users with ${email}.`,
        nextStep:
          "Ask your school's Zoom administrator to allow your email domain, or your LMS administrator to use your school email.",
      };
    case 'action_not_allowed':
      return {
        tone: 'problem',
        title: 'Zoom refused the way this school creates users',
        detail: "The school's Zoom account does not allow the user-creation method this tool is set to use.",
        nextStep:
          "A school administrator changes the setting on the tool's Zoom people page (for example to “create”).",
      };
    case 'zoom_not_connected':
      return {
        tone: 'problem',
        title: 'Zoom is not connected for your school yet',
        detail: 'Your school has not connected a Zoom account to this tool.',
        nextStep:
          'Ask your LMS or Zoom administrator to open this tool as an administrator and connect Zoom.',
      };
    case 'zoom_reconnect_required':
      return {
        tone: 'problem',
        title: 'Zoom needs to be reconnected',
        detail: "Zoom no longer accepts this tool's access to your school's account.",
        nextStep: 'A school administrator reconnects Zoom from this tool; nothing is lost meanwhile.',
      };
    case 'zoom_unavailable':
      return {
        tone: 'problem',
        title: 'Zoom did not answer',
        detail: 'Your Zoom user could not be checked because Zoom could not be reached.',
        nextStep: 'Open this tool again in a few minutes; if it keeps happening, check status.zoom.us.',
      };
  }
}
