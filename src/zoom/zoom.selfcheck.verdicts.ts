import type { StateCheck } from '../lti';
import { AppError } from '../shared/errors';
import { ZoomApiError } from './zoom.client.errors';
import type { ConnectionView } from './zoom.connect.service';
import { missingScopes } from './zoom.connect.schema';

/**
 * The self-check's verdicts: pure rules from what was observed to a status and the catalog keys of
 * what to say and what to do (`admin.selfCheck.says.*`, `admin.selfCheck.fixes.*`); the presenter
 * translates them.
 */
export type CheckId = 'connection' | 'scopes' | 'token' | 'lookup' | 'clock' | 'email' | 'browser';
export type CheckStatus = 'pass' | 'warn' | 'fail' | 'skipped';

export interface Verdict {
  id: CheckId;
  status: CheckStatus;
  /** Key under `admin.selfCheck.says`. */
  says: string;
  /** Key under `admin.selfCheck.fixes`, when there is something to do. */
  fix?: string;
  params?: Record<string, string | number>;
}

export const CHECK_ORDER: readonly CheckId[] = [
  'connection',
  'scopes',
  'token',
  'lookup',
  'clock',
  'email',
  'browser',
];

/** Above this Zoom's and our clocks disagree enough to notice; above the fail line tokens and webhooks break. */
export const CLOCK_WARN_MS = 30_000;
export const CLOCK_FAIL_MS = 120_000;

const skipped = (id: CheckId, says: string): Verdict => ({ id, status: 'skipped', says });

export function connectionVerdict(view: ConnectionView): Verdict {
  switch (view.status) {
    case 'connected':
      return {
        id: 'connection',
        status: 'pass',
        says: view.kind === 's2s' ? 'connectedS2s' : 'connectedOauth',
        params: { account: view.zoomAccountId ?? '' },
      };
    case 'reconnect_required':
      return { id: 'connection', status: 'fail', says: 'reconnectRequired', fix: 'reconnect' };
    case 'disconnected':
      return { id: 'connection', status: 'fail', says: 'disconnected', fix: 'connect' };
    default:
      return { id: 'connection', status: 'fail', says: 'notConnected', fix: 'connect' };
  }
}

/** The Zoom checks when there is no working connection to check. */
export function zoomChecksSkipped(): Verdict[] {
  return (['scopes', 'token', 'lookup', 'clock'] as const).map((id) => skipped(id, 'skippedNotConnected'));
}

export function scopesVerdict(granted: string[], kind: ConnectionView['kind']): Verdict {
  const missing = missingScopes(granted.join(' '));
  if (missing.length === 0) return { id: 'scopes', status: 'pass', says: 'scopesAll' };
  return {
    id: 'scopes',
    status: 'fail',
    says: 'scopesMissing',
    fix: kind === 's2s' ? 'scopesS2s' : 'scopesOauth',
    params: { missing: missing.join(', ') },
  };
}

/** The token store refused or failed to give a token (or Zoom refused the one it gave). */
export function tokenFailure(error: unknown): Verdict {
  const id = error instanceof AppError ? error.id : undefined;
  if (id === 'zoom_reconnect_required' || (error instanceof ZoomApiError && error.kind === 'unauthorized'))
    return { id: 'token', status: 'fail', says: 'tokenRefused', fix: 'reconnect' };
  if (id === 'zoom_not_connected') return { id: 'token', status: 'fail', says: 'tokenGone', fix: 'connect' };
  return { id: 'token', status: 'fail', says: 'tokenUnavailable', fix: 'zoomDown' };
}

/** Whether a failed lookup says the token itself is refused (rather than the lookup). */
export function isTokenFailure(error: unknown): boolean {
  if (error instanceof AppError) return true;
  return error instanceof ZoomApiError && error.kind === 'unauthorized';
}

export function lookupFailure(error: unknown, kind: ConnectionView['kind']): Verdict {
  if (!(error instanceof ZoomApiError))
    return { id: 'lookup', status: 'fail', says: 'lookupFailed', fix: 'zoomDown' };
  switch (error.kind) {
    case 'missing_scopes':
      return {
        id: 'lookup',
        status: 'fail',
        says: 'lookupScopes',
        fix: kind === 's2s' ? 'scopesS2sReconnect' : 'scopesOauth',
        params: { missing: 'user:read:admin' },
      };
    case 'forbidden':
      return { id: 'lookup', status: 'warn', says: 'lookupForbidden', fix: 'zoomRole' };
    case 'rate_limited':
    case 'daily_limit':
    case 'account_daily_limit':
      return { id: 'lookup', status: 'warn', says: 'lookupBusy', fix: 'later' };
    default:
      return {
        id: 'lookup',
        status: 'fail',
        says: 'lookupFailed',
        fix: 'zoomDown',
        params: { status: error.status },
      };
  }
}

export function timedOut(id: CheckId, budgetMs: number): Verdict {
  return {
    id,
    status: 'fail',
    says: 'timedOut',
    fix: 'timeout',
    params: { seconds: Math.round(budgetMs / 1000) },
  };
}

/**
 * Zoom's clock against ours: its `Date` header (whole seconds, so half a second is added) against
 * the middle of our request's round trip. Positive: Zoom is ahead of this server.
 */
export function clockDriftMs(date: string, sentAt: number, receivedAt: number): number | undefined {
  const zoomAt = Date.parse(date);
  if (Number.isNaN(zoomAt)) return undefined;
  return zoomAt + 500 - (sentAt + receivedAt) / 2;
}

export function clockVerdict(driftMs: number | undefined): Verdict {
  if (driftMs === undefined) return skipped('clock', 'skippedNoAnswer');
  const off = Math.abs(driftMs);
  const seconds = Math.round(off / 1000);
  const params = { seconds, minutes: Math.round(off / 60_000) };
  // Positive drift: Zoom is ahead, so this server is behind.
  const direction = driftMs > 0 ? 'Behind' : 'Ahead';
  if (off > CLOCK_FAIL_MS)
    return { id: 'clock', status: 'fail', says: `clock${direction}Minutes`, fix: 'ntp', params };
  if (off > CLOCK_WARN_MS)
    return { id: 'clock', status: 'warn', says: `clock${direction}Seconds`, fix: 'ntp', params };
  return { id: 'clock', status: 'pass', says: 'clockOk', params };
}

export function emailVerdict(email: string | undefined, productFamily: string | undefined): Verdict {
  if (email) return { id: 'email', status: 'pass', says: 'emailPresent', params: { email } };
  const family = productFamily?.toLowerCase();
  const fix = family === 'moodle' ? 'emailMoodle' : family === 'canvas' ? 'emailCanvas' : 'emailAny';
  return { id: 'email', status: 'fail', says: 'emailMissing', fix };
}

/**
 * This browser and the tool's cookies: the live round trip (the admin page's test cookie came back
 * with the self-check's request) decides; how this launch was verified is said beside it. Not
 * keeping them is a warning: launches then go through the LMS's storage or a new window.
 */
export function browserVerdict(
  stateCheck: StateCheck | undefined,
  cookie: { cameBack: boolean; anyOfOurs: boolean },
): Verdict {
  const launch = stateCheck ?? (cookie.anyOfOurs ? 'cookie' : 'unknown');
  if (cookie.cameBack) return { id: 'browser', status: 'pass', says: 'browserKeeps', params: { launch } };
  return { id: 'browser', status: 'warn', says: 'browserDoesNot', fix: 'browserNothing', params: { launch } };
}
