import type { Request } from 'express';
import { timingSafeEqualText } from '../shared/crypto';
import { errors, forSchool } from '../shared/errors';
import type { ClientStore, Db } from '../storage';
import type { CheckedLaunch } from './lti.checks';
import { clientStoreEntries } from './lti.client-state';
import { findLoginState } from './lti.states.repo';

/**
 * A launch whose state came back without its cookie, from a login that kept the state in the
 * browser too (see lti.client-state.ts), is confirmed on the server before ltijs sees its id token,
 * so that no ltik (nor ltijs session) exists for a launch that did not start in this browser:
 *
 * 1. The LMS posts the launch. It carries no state cookie and no kept values: the login state is
 *    read (not taken) and the answer is the `launch-confirm` page, holding the id token and state
 *    in a form. Nothing is checked, minted or recorded yet.
 * 2. The page's script (views/assets/lti-state.js) reads what the browser kept (platform storage
 *    through the LMS's frame, or the window's own storage) and posts the launch again, with the
 *    values it read as `kept_state` and `kept_nonce`, from this tool's own page (`Sec-Fetch-Site:
 *    same-origin` where the browser says it; a page of another site cannot post them).
 * 3. That launch is checked as any other (its login state is taken: single use); only when the kept
 *    values are the login's state and nonce does it go on to ltijs, which verifies the token and
 *    mints the ltik. Otherwise it is refused (`lti_state_unconfirmed`).
 */

/** The fields the confirmation page posts: what the browser kept for the login's state and nonce. */
export const KEPT_FIELDS = { state: 'kept_state', nonce: 'kept_nonce' } as const;

/** A login waiting for its browser's confirmation: where the browser kept it, and what it kept. */
export interface AwaitingConfirmation {
  store: ClientStore;
  state: string;
  nonce: string;
}

/** The values a confirmation posted, or undefined for a launch that posted none (the LMS's own post). */
export function keptStateOf(body: Record<string, unknown>): { state: unknown; nonce: unknown } | undefined {
  if (body[KEPT_FIELDS.state] === undefined && body[KEPT_FIELDS.nonce] === undefined) return undefined;
  return { state: body[KEPT_FIELDS.state], nonce: body[KEPT_FIELDS.nonce] };
}

const same = (given: unknown, expected: string) =>
  typeof given === 'string' && given !== '' && timingSafeEqualText(given, expected);

/**
 * Refuses a launch without its cookie unless this browser's page posted the login's own state and
 * nonce, as it kept them. A browser that says where the post came from must say this tool's page.
 */
export function assertConfirmedByBrowser(
  req: Request,
  body: Record<string, unknown>,
  checked: Pick<CheckedLaunch, 'state' | 'nonce' | 'registration'>,
): void {
  const kept = keptStateOf(body);
  const site = req.get('sec-fetch-site');
  const confirmed =
    kept !== undefined &&
    (site === undefined || site === 'same-origin') &&
    same(kept.state, checked.state) &&
    same(kept.nonce, checked.nonce);
  if (!confirmed) throw forSchool(errors.stateUnconfirmed(), checked.registration.schoolId);
}

/** The confirmation page's model: where the browser kept the state, what to read, and the launch to post back. */
export function confirmPageModel(awaiting: AwaitingConfirmation, launch: { idToken: string }) {
  return {
    title: 'Opening Zoom',
    store: awaiting.store,
    entries: JSON.stringify(clientStoreEntries(awaiting.state, awaiting.nonce)),
    idToken: launch.idToken,
    state: awaiting.state,
    keptFields: KEPT_FIELDS,
  };
}

/** Reads login states for the first step (never takes them: the confirmed launch does). */
export class LaunchConfirmations {
  constructor(
    private readonly db: Db,
    private readonly now: () => number = Date.now,
  ) {}

  /** The login behind `state` when it kept its state in the browser and has not expired. */
  async awaiting(state: unknown): Promise<AwaitingConfirmation | undefined> {
    if (typeof state !== 'string' || state === '' || state.length > 512) return undefined;
    const row = await findLoginState(this.db, state);
    if (!row?.clientStore || row.expiresAt.getTime() < this.now()) return undefined;
    return { store: row.clientStore, state: row.state, nonce: row.nonce };
  }
}
