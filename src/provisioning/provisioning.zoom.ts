import type { Logger } from 'pino';
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
 * The Zoom side of provisioning one person (ZOOM-NOTES "Users"): look up by email; active → link;
 * pending → link and explain; absent → create with the school's settings, falling back to Basic
 * when no licence is left if the school says so. `stillHolding` is asked before every create (a
 * POST Zoom does not deduplicate): false means another worker took over, and nothing is sent.
 */
export async function resolveWithZoom(input: {
  api: ZoomAccountApi;
  settings: Omit<repo.SettingsRow, 'updatedAt'>;
  launcher: Launcher;
  email: string;
  stillHolding: () => Promise<boolean>;
  logger: Logger;
}): Promise<Resolution> {
  const { api, settings, launcher, email } = input;
  const existing = await lookup(api, email);
  if (existing) return existing;
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
      if (linked) return linked;
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
