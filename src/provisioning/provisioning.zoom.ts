import type { Logger } from 'pino';
import { AppError } from '../shared/errors';
import { ZoomApiError, type ZoomAccountApi } from '../zoom';
import type { Outcome } from './provisioning.outcomes';
import type * as repo from './provisioning.repo';

/** The person launching, as provisioning needs them. */
export interface Launcher {
  schoolId: string;
  issuer: string;
  userId: string;
  role: 'administrator' | 'instructor' | 'learner' | null;
  email: string | undefined;
  givenName: string | undefined;
  familyName: string | undefined;
  name: string;
}

/** What Zoom said about a person. */
export type Resolution = {
  outcome: Outcome;
  zoomUserId?: string;
  licenceType?: number;
  status: repo.PersonRow['status'];
  /** When Zoom's rate limit lets us try again (ms epoch). */
  retryAt?: number;
};

/** Our lease on the person's row was lost before a create: someone else is provisioning them. */
export class LeaseLost extends Error {
  constructor() {
    super('provisioning lease lost');
  }
}

const SEAT_MESSAGE = /paid users|licen[cs]|seat/i;
const ALREADY_IN_ACCOUNT = /already in the account/i;

/**
 * The Zoom side of provisioning one person (ZOOM-NOTES "Users"). Someone we never linked to a Zoom
 * user (a first launch) is created straight away, with the school's settings, falling back to
 * Basic when no licence is left if the school says so: one request instead of a lookup and a
 * create, which halves what a first day of term costs against Zoom's limits. Should Zoom refuse
 * that create (the email is already in the account, or anything else), the person is looked up and
 * linked as they are, so the outcome is the same as looking up first. Someone we linked before
 * (`lookupFirst`) is looked up first: active → link; pending → link and explain; absent → create.
 * `stillHolding` is asked before every create (a POST Zoom does not deduplicate): false means
 * another worker took over, and nothing is sent.
 */
export async function resolveWithZoom(input: {
  api: ZoomAccountApi;
  settings: Omit<repo.SettingsRow, 'updatedAt'>;
  launcher: Launcher;
  email: string;
  /** Look the person up before creating them (we linked them to a Zoom user before). */
  lookupFirst: boolean;
  stillHolding: () => Promise<boolean>;
  logger: Logger;
}): Promise<Resolution> {
  const { api, email } = input;
  if (input.lookupFirst) {
    const existing = await lookup(api, email);
    if (existing) return existing;
  }
  const created = await createWithSettings(input);
  if (created.zoomUserId || input.lookupFirst || created.lookedUp) return created;
  // Refused without having looked: the person may already have a Zoom user (here or elsewhere).
  return (await lookup(api, email)) ?? created;
}

/** Creates the person; a refusal becomes its outcome (`lookedUp` once Zoom was asked about them too). */
async function createWithSettings(input: {
  api: ZoomAccountApi;
  settings: Omit<repo.SettingsRow, 'updatedAt'>;
  launcher: Launcher;
  email: string;
  stillHolding: () => Promise<boolean>;
  logger: Logger;
}): Promise<Resolution & { lookedUp?: boolean }> {
  const { api, settings, launcher, email } = input;
  const create = async (type: 1 | 2) => {
    if (!(await input.stillHolding())) throw new LeaseLost();
    const created = await api.createUser({
      action: settings.action,
      user_info: {
        email,
        type,
        first_name: launcher.givenName?.slice(0, 64),
        last_name: launcher.familyName?.slice(0, 64),
        display_name: launcher.name.slice(0, 128),
      },
    });
    input.logger.info({ schoolId: launcher.schoolId, action: settings.action, type }, 'Zoom user created');
    const status = settings.action === 'create' ? 'pending' : 'active';
    return { outcome: status, status, zoomUserId: created.id, licenceType: created.type ?? type } as const;
  };
  const firstType = settings.licence === 'licensed' ? 2 : 1;
  try {
    return await create(firstType);
  } catch (error) {
    if (!(error instanceof ZoomApiError)) throw error;
    if (error.code === 200 && SEAT_MESSAGE.test(error.zoomMessage) && firstType === 2) {
      if (settings.whenNoSeat === 'refuse') return { outcome: 'no_seats', status: 'failed' };
      return create(1).catch((retry: unknown) => refusal(retry));
    }
    if (error.kind === 'conflict' && ALREADY_IN_ACCOUNT.test(error.zoomMessage)) {
      const linked = await lookup(api, email);
      return linked ?? { ...refusal(error), lookedUp: true };
    }
    return refusal(error);
  }
}

async function lookup(api: ZoomAccountApi, email: string): Promise<Resolution | undefined> {
  try {
    const user = await api.getUser(email);
    const status = user.status === 'pending' ? 'pending' : user.status === 'inactive' ? 'inactive' : 'active';
    return { outcome: status, status, zoomUserId: user.id, licenceType: user.type };
  } catch (error) {
    if (error instanceof ZoomApiError && error.kind === 'not_found') return undefined;
    if (error instanceof ZoomApiError && error.code === 1010)
      return { outcome: 'email_taken', status: 'failed' };
    throw error;
  }
}

/** Zoom's refusals of a create, as outcomes. */
function refusal(error: unknown): Resolution {
  if (!(error instanceof ZoomApiError)) throw error;
  if (error.code === 1005 || error.code === 1009 || error.kind === 'conflict')
    return { outcome: 'email_taken', status: 'failed' };
  if (error.code === 1107 || error.code === 1116) return { outcome: 'domain_not_allowed', status: 'failed' };
  if (error.code === 200 && SEAT_MESSAGE.test(error.zoomMessage))
    return { outcome: 'no_seats', status: 'failed' };
  if (error.code === 2002 || error.code === 200 || error.code === 1108)
    return { outcome: 'action_not_allowed', status: 'failed' };
  throw error;
}

/** A failure to ask Zoom, as the outcome shown ('queued' when Zoom's limits held it back). */
export function classify(error: unknown): Outcome {
  if (error instanceof AppError) {
    if (error.id === 'zoom_reconnect_required') return 'zoom_reconnect_required';
    if (error.id === 'zoom_not_connected') return 'zoom_not_connected';
    return 'zoom_unavailable';
  }
  if (error instanceof ZoomApiError) {
    if (['rate_limited', 'daily_limit', 'account_daily_limit'].includes(error.kind)) return 'queued';
    if (error.kind === 'missing_scopes') return 'zoom_reconnect_required';
  }
  return 'zoom_unavailable';
}

/** When Zoom's limits let us try again, if it said. */
export function retryAtOf(error: unknown): number | undefined {
  return error instanceof ZoomApiError ? error.retryAt : undefined;
}
