import { createHmac, timingSafeEqual } from 'node:crypto';
import type { ClientStore } from '../storage';
import type { StateCheck } from './lti.launch';
import type { LoginParams } from './lti.schema';

/**
 * How a login's state comes back to the browser that began it, when a cookie may not.
 *
 * The state cookie is always set, and a launch that brings it back needs nothing else. Where the
 * cookie may be lost, the browser also keeps the state:
 * - **platform storage**: the LMS keeps it for us (`lti_storage_target`, LTI client-side
 *   postMessages; Canvas). The login answers with a page that stores the state and nonce there, and
 *   the launch answers with a page that reads them back before going on.
 * - **window storage**: at top level the tool's own window keeps it (`sessionStorage`), the same way.
 * - **probe**: in a frame with no platform storage (Moodle 4.5), the login first checks, with one
 *   same-origin hop, that its cookie comes back. If not, it offers to open the tool in a new window,
 *   which logs in again at top level, before the LMS's single-use login hint was spent.
 */

/** What the login request tells about the browser it came from. */
export interface LoginBrowser {
  /** `Sec-Fetch-Dest`: `document` at top level, `iframe` in a frame; undefined when not sent. */
  destination: string | undefined;
  /** The request brought back the cookie an earlier check set: cookies work in this frame. */
  cookiesKept: boolean;
}

export type LoginPlan =
  /** Set the cookie and go straight to the LMS. */
  | { kind: 'redirect' }
  /** Set the cookie, check that it comes back (`/lti/login/check`), then go to the LMS. */
  | { kind: 'probe' }
  /** Set the cookie and keep the state in the browser too, through a page, then go to the LMS. */
  | { kind: 'client'; store: ClientStore };

/** The cookie that says cookies work in this browser and frame (set once a probe saw one come back). */
export const COOKIES_KEPT_COOKIE = 'lti_cookies_kept';
export const COOKIES_KEPT_MAX_AGE_MS = 30 * 24 * 3600 * 1000;

/** The cookie ltijs reads back at launch (`state<state>` = the issuer). */
export const stateCookieName = (state: string) => `state${state}`;

export function planLogin(params: LoginParams, loginUrl: string, browser: LoginBrowser): LoginPlan {
  if (params.lti_storage_target) {
    // LTI client-side postMessages: messages go to the origin of the LMS's OIDC auth endpoint.
    return {
      kind: 'client',
      store: { kind: 'platform', target: params.lti_storage_target, origin: new URL(loginUrl).origin },
    };
  }
  if (browser.destination === 'document') return { kind: 'client', store: { kind: 'window' } };
  if (browser.destination === 'iframe' && !browser.cookiesKept) return { kind: 'probe' };
  return { kind: 'redirect' };
}

export function stateCheckOf(store: ClientStore): StateCheck {
  return store.kind === 'platform' ? 'platform-storage' : 'window-storage';
}

/** What the browser stores and reads back: keys and values the LMS's storage frame keeps for us. */
export function clientStoreEntries(state: string, nonce: string): { key: string; value: string }[] {
  return [
    { key: `lti_state_${state}`, value: state },
    { key: `lti_nonce_${nonce}`, value: nonce },
  ];
}

/** The login parameters a new window logs in again with (the LMS's hints are not spent yet). */
export function relaunchQuery(params: LoginParams): Record<string, string> {
  const query: Record<string, string | undefined> = {
    iss: params.iss,
    login_hint: params.login_hint,
    target_link_uri: params.target_link_uri,
    client_id: params.client_id,
    lti_message_hint: params.lti_message_hint,
    lti_deployment_id: params.lti_deployment_id,
  };
  return Object.fromEntries(
    Object.entries(query).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** The probe's hop: where to go when the cookie came back, and how to log in again when not. */
export interface LoginCheck {
  state: string;
  redirectUrl: string;
  relaunch: Record<string, string>;
  expiresAt: number;
}

/**
 * The probe's hop carries its destination in its URL, signed (an unsigned one would be an open
 * redirect) and expiring with the login's state.
 */
export class LoginChecks {
  constructor(private readonly key: string) {}

  seal(check: LoginCheck): string {
    const payload = Buffer.from(JSON.stringify(check)).toString('base64url');
    return `${payload}.${this.sign(payload)}`;
  }

  open(sealed: unknown, now: number): LoginCheck | undefined {
    if (typeof sealed !== 'string' || sealed.length > 8192) return undefined;
    const [payload, signature, ...rest] = sealed.split('.');
    if (!payload || !signature || rest.length > 0) return undefined;
    const expected = Buffer.from(this.sign(payload));
    const given = Buffer.from(signature);
    if (expected.length !== given.length || !timingSafeEqual(expected, given)) return undefined;
    try {
      const check = JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as LoginCheck;
      return typeof check.expiresAt === 'number' && check.expiresAt > now ? check : undefined;
    } catch {
      return undefined;
    }
  }

  private sign(payload: string): string {
    return createHmac('sha256', this.key).update(`lti-login-check\0${payload}`).digest('base64url');
  }
}
