import { zoomErrorBodySchema } from './zoom.api.schema';
import type { RateCategory } from './zoom.types';

/**
 * The Zoom client's typed error and the pure rules that build it: classification by HTTP status
 * and Zoom code, `Retry-After` (seconds or an HTTP date) and the rate-limit headers
 * (ZOOM-NOTES "Rate limits", "Generic errors"). The service layer maps these to user-facing errors.
 */
export type ZoomErrorKind =
  | 'not_found'
  | 'conflict'
  | 'invalid_request'
  | 'unauthorized'
  | 'missing_scopes'
  | 'forbidden'
  | 'rate_limited'
  /** A host's daily limit: 100 meeting creates and updates per user a day (ZOOM-NOTES). */
  | 'daily_limit'
  /** The account's daily limit of a rate category (every user of the school's account; ZOOM-NOTES). */
  | 'account_daily_limit'
  | 'server'
  | 'timeout'
  | 'network'
  | 'invalid_response';

export interface ZoomFieldError {
  field: string;
  message: string;
}

export interface ZoomApiErrorInit {
  /** HTTP status; 0 when no answer arrived (timeout, network). */
  status: number;
  code?: number;
  zoomMessage: string;
  kind: ZoomErrorKind;
  /** ms epoch: when the call may be tried again (rate limits, daily limits). */
  retryAt?: number;
  /** `X-RateLimit-Category` as Zoom sent it ('Light', 'Medium', …). */
  category?: string;
  fieldErrors?: ZoomFieldError[];
  method?: string;
  /** The path template (`/users/{userId}`), never a concrete id or email. */
  path?: string;
}

/**
 * A failed Zoom call. Deliberately carries no `cause`: axios errors hold the request config, and
 * with it the Authorization header, which must never reach a log serializer.
 */
export class ZoomApiError extends Error {
  readonly status: number;
  readonly code: number | undefined;
  readonly zoomMessage: string;
  readonly kind: ZoomErrorKind;
  readonly retryAt?: number;
  readonly category?: string;
  readonly fieldErrors: ZoomFieldError[];
  readonly method?: string;
  readonly path?: string;

  constructor(init: ZoomApiErrorInit) {
    const where = init.method && init.path ? `${init.method} ${init.path} ` : '';
    const code = init.code === undefined ? '' : ` code ${init.code}`;
    super(`Zoom ${where}failed (${init.kind}, HTTP ${init.status}${code}): ${init.zoomMessage}`);
    this.name = 'ZoomApiError';
    this.status = init.status;
    this.code = init.code;
    this.zoomMessage = init.zoomMessage;
    this.kind = init.kind;
    this.fieldErrors = init.fieldErrors ?? [];
    if (init.retryAt !== undefined) this.retryAt = init.retryAt;
    if (init.category !== undefined) this.category = init.category;
    if (init.method !== undefined) this.method = init.method;
    if (init.path !== undefined) this.path = init.path;
  }
}

const NOT_FOUND_CODES = new Set([1001, 3001]);
/** "User does not belong to this account": the user or email exists at Zoom, in another account. */
const USER_IN_OTHER_ACCOUNT_CODE = 1010;
const CONFLICT_CODES = new Set([1005, 1009]);
/** Body code 200 is Zoom's "no privilege" (including seat limits), whatever the HTTP status. */
const NO_PRIVILEGE_CODE = 200;
const MISSING_SCOPES_CODE = 4711;

export function isDailyLimit(rateLimitType: string | undefined, message: string | undefined): boolean {
  return /daily/i.test(rateLimitType ?? '') || /daily/i.test(message ?? '');
}

/**
 * Whose daily limit a daily 429 names. Zoom's per-user one says so ("…of Meeting Create/Update API
 * requests permitted for this particular user"); any other is the account's for the category ("You
 * have reached the maximum daily rate limit for this API."), spent for every user of the account.
 */
export function isHostDailyLimit(message: string | undefined): boolean {
  return /\buser\b|meeting create\/update/i.test(message ?? '');
}

/** The kind of an HTTP answer that is not a 2xx. */
export function classifyZoomError(
  status: number,
  code: number | undefined,
  message?: string,
  rateLimitType?: string,
): ZoomErrorKind {
  if (code === MISSING_SCOPES_CODE && status >= 400 && status < 500 && status !== 429)
    return 'missing_scopes';
  if (status === 401) return 'unauthorized';
  if (status === 429) {
    if (!isDailyLimit(rateLimitType, message)) return 'rate_limited';
    return isHostDailyLimit(message) ? 'daily_limit' : 'account_daily_limit';
  }
  if (status >= 500) return 'server';
  if (status < 400) return 'invalid_response';
  if (status === 404 || (code !== undefined && NOT_FOUND_CODES.has(code))) return 'not_found';
  if (status === 409 || (code !== undefined && CONFLICT_CODES.has(code))) return 'conflict';
  if (status === 403 || code === NO_PRIVILEGE_CODE) return 'forbidden';
  return 'invalid_request';
}

/** The kind of a call that got no answer (axios/Node error codes). */
export function classifyTransportError(errorCode: string | undefined): 'timeout' | 'network' {
  return errorCode === 'ECONNABORTED' || errorCode === 'ETIMEDOUT' ? 'timeout' : 'network';
}

/**
 * `Retry-After` as an absolute time (ms epoch): delay-seconds or an HTTP date (mod_zoom reads a
 * date; the simulator can send either). A date in the past means "now". Missing or unreadable →
 * undefined, and the caller picks its default.
 */
export function parseRetryAfter(value: string | undefined, nowMs: number): number | undefined {
  const text = value?.trim();
  if (!text) return undefined;
  if (/^\d+(\.\d+)?$/.test(text)) return nowMs + Math.ceil(Number(text) * 1000);
  if (!/[a-z]/i.test(text)) return undefined;
  const at = Date.parse(text);
  return Number.isFinite(at) ? Math.max(at, nowMs) : undefined;
}

/** Zoom's daily windows reset at 00:00 UTC. */
export function nextUtcMidnight(nowMs: number): number {
  const day = 86_400_000;
  return (Math.floor(nowMs / day) + 1) * day;
}

/** `X-RateLimit-Category` ('Light', 'Resource-intensive', …) as the pacer's category. */
export function rateCategoryOf(header: string | undefined): RateCategory | undefined {
  const name = header
    ?.trim()
    .toLowerCase()
    .replace(/[\s-]+/g, '_');
  return name === 'light' || name === 'medium' || name === 'heavy' || name === 'resource_intensive'
    ? name
    : undefined;
}

export interface ZoomErrorAnswer {
  status: number;
  /** Response headers, names in lower case (axios). */
  headers: Record<string, unknown>;
  /** The parsed JSON body, or the raw text when it was not JSON. */
  body: unknown;
  nowMs: number;
  method: string;
  path: string;
}

/** Builds the error for a non-2xx answer: Zoom's code and message, kind, and when to come back. */
export function zoomErrorFromAnswer(answer: ZoomErrorAnswer): ZoomApiError {
  const { status, nowMs } = answer;
  const header = (name: string): string | undefined => {
    const value = answer.headers[name];
    return typeof value === 'string' ? value : Array.isArray(value) ? String(value[0]) : undefined;
  };
  const parsed = zoomErrorBodySchema.safeParse(answer.body);
  const code = parsed.success ? parsed.data.code : undefined;
  const zoomMessage = parsed.success ? parsed.data.message : `HTTP ${status} without a Zoom error body`;
  const rateLimitType = header('x-ratelimit-type');
  const kind = classifyZoomError(status, code, zoomMessage, rateLimitType);
  const retryAfter = parseRetryAfter(header('retry-after'), nowMs);
  let retryAt: number | undefined;
  if (kind === 'daily_limit' || kind === 'account_daily_limit')
    retryAt = retryAfter ?? nextUtcMidnight(nowMs);
  else if (kind === 'rate_limited') retryAt = retryAfter ?? nowMs + 1000;
  else if (kind === 'server') retryAt = retryAfter;
  const fieldErrors = parsed.success
    ? (parsed.data.errors ?? []).map((e) => ({ field: e.field, message: e.message }))
    : [];
  return new ZoomApiError({
    status,
    code,
    zoomMessage,
    kind,
    retryAt,
    category: header('x-ratelimit-category'),
    fieldErrors,
    method: answer.method,
    path: answer.path,
  });
}

/** A call that got no answer. */
export function transportError(errorCode: string | undefined, method: string, path: string): ZoomApiError {
  const kind = classifyTransportError(errorCode);
  const zoomMessage =
    kind === 'timeout'
      ? 'No answer from Zoom in time.'
      : `The connection to Zoom failed (${errorCode ?? 'unknown'}).`;
  return new ZoomApiError({ status: 0, zoomMessage, kind, method, path });
}

/** A 2xx whose body does not match the schema. Issue paths and messages only: values may be personal data. */
export function invalidResponseError(
  status: number,
  issues: ReadonlyArray<{ path: ReadonlyArray<PropertyKey>; message: string }>,
  method: string,
  path: string,
): ZoomApiError {
  const described = issues
    .slice(0, 5)
    .map((i) => `${i.path.map(String).join('.') || '(body)'}: ${i.message}`)
    .join('; ');
  return new ZoomApiError({
    status,
    zoomMessage: `Zoom's answer does not have the expected shape: ${described}`,
    kind: 'invalid_response',
    method,
    path,
  });
}

/**
 * A call not sent because Zoom already reported its daily limit spent (in this or another
 * instance): a host's (`user:<id>`) or the account's for a category (`category:<name>`).
 */
export function dailyLimitHeldError(
  scope: string,
  until: number,
  method: string,
  path: string,
): ZoomApiError {
  return new ZoomApiError({
    status: 429,
    zoomMessage: `Not sent: Zoom's daily limit (${scope}) is spent until ${new Date(until).toISOString()}.`,
    kind: scope.startsWith('user:') ? 'daily_limit' : 'account_daily_limit',
    retryAt: until,
    method,
    path,
  });
}

/**
 * A user lookup answered that the user is another account's (code 1010): the token and its user
 * scope worked, the user is just not this account's (the email is a Zoom user elsewhere).
 */
export function isUserOfAnotherAccount(error: unknown): boolean {
  return error instanceof ZoomApiError && error.code === USER_IN_OTHER_ACCOUNT_CODE;
}
