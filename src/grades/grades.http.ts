import { backOff } from 'exponential-backoff';
import { ServiceTokenRefused, type ServiceRegistration, type ServiceToken } from '../lti';
import { AppError, errors } from '../shared/errors';
import { retryAfterMs } from './grades.headers';
import { checkLmsUrl, type LmsUrlPolicy } from './grades.urls';

/**
 * One AGS request, its retries and what its refusals mean. The rules, which the code keeps:
 * - 429 and 5xx are retried with exponential backoff (`attempts` in all, each pause at most
 *   `maxDelayMs`); a 429's `Retry-After` (seconds or a date) is waited for when it is at most
 *   `maxRetryAfterMs`, else the client stops at once. Past the tries: `grades_lms_unavailable`, which
 *   the durable job retries later. A dropped connection or a time-out is retried the same way,
 *   except for a POST that makes a line item: after a 5xx, a dropped connection or a time-out the
 *   LMS may have made it, so it is never repeated (`grades_lms_unavailable` at once; the job's next
 *   find sees the column if it was made). Its 429 is repeated (the LMS did nothing).
 * - An answer is read up to `MAX_ANSWER_BYTES`; a longer one is refused.
 * - 401 without `insufficient_scope`: the kept token is dropped and the request sent once more with
 *   a new one (the LMS may have forgotten it); a second 401, a 403 or `insufficient_scope`, and a
 *   token endpoint's `invalid_scope`: `grades_scope_not_granted`.
 * - 404 on a line item, its scores or results: `grades_line_item_deleted`.
 * - A score refused as not newer than the LMS's (Moodle 409; Canvas 400 naming the timestamp):
 *   `grades_score_older`, never retried.
 * - Any other answer is a refusal naming the status; an answer's body never reaches an error or a
 *   log (only its OAuth error code), nor does the token.
 */
export interface RetryOptions {
  attempts: number;
  startingDelayMs: number;
  maxDelayMs: number;
  maxRetryAfterMs: number;
  /** Waits for a `Retry-After` (tests pass a fake clock). */
  sleep: (ms: number) => Promise<void>;
}

export const DEFAULT_RETRY: RetryOptions = {
  attempts: 4,
  startingDelayMs: 250,
  maxDelayMs: 2_000,
  maxRetryAfterMs: 10_000,
  sleep: (ms) => new Promise((resolve) => setTimeout(resolve, ms)),
};

export interface AgsTransport {
  registration: ServiceRegistration;
  serviceToken(
    registration: ServiceRegistration,
    scopes: readonly string[],
    options?: { renew?: boolean },
  ): Promise<ServiceToken>;
  /** The AGS scopes to ask a token for (the launch's granted `scope[]`). */
  scopes: readonly string[];
  urls: LmsUrlPolicy;
  retry: RetryOptions;
  fetch: typeof fetch;
  timeoutMs: number;
}

export type AgsKind = 'container' | 'lineItem' | 'score' | 'results';

export interface AgsRequest {
  method: 'GET' | 'POST' | 'PUT';
  url: string;
  kind: AgsKind;
  /** The scopes any one of which lets this request through. */
  needs: readonly string[];
  accept?: string;
  contentType?: string;
  body?: unknown;
  /** False for a request the LMS may have acted on although no answer came (a new line item). */
  repeatable: boolean;
}

export interface AgsAnswer {
  status: number;
  text: string;
  headers: Headers;
}

/** A failure worth another try, with how long the LMS asked to wait. */
class Transient extends Error {
  constructor(
    readonly why: string,
    readonly waitMs?: number,
  ) {
    super(why);
  }
}

function oauthErrorOf(text: string): string | undefined {
  try {
    const body = JSON.parse(text) as { error?: unknown };
    return typeof body.error === 'string' ? body.error : undefined;
  } catch {
    return undefined;
  }
}

async function tokenFor(transport: AgsTransport, request: AgsRequest, renew: boolean): Promise<string> {
  if (!request.needs.some((scope) => transport.scopes.includes(scope))) {
    throw errors.gradesScopeNotGranted(
      `The launch's AGS claim grants none of ${request.needs.join(', ')}, so nothing was sent.`,
    );
  }
  try {
    const token = await transport.serviceToken(
      transport.registration,
      transport.scopes,
      renew ? { renew } : undefined,
    );
    return token.accessToken;
  } catch (error) {
    if (!(error instanceof ServiceTokenRefused)) throw error;
    if (error.error === 'invalid_scope')
      throw errors.gradesScopeNotGranted('The LMS’s token endpoint refused the AGS scopes (invalid_scope).');
    if (error.status === undefined || error.status === 429 || error.status >= 500)
      throw new Transient(`token endpoint ${error.status ?? 'did not answer'}`);
    throw errors.internal(
      `The LMS’s token endpoint refused the tool (${error.status} ${error.error ?? ''}).`,
    );
  }
}

export const MAX_ANSWER_BYTES = 1024 * 1024;

/** The answer's body as text, refused past `MAX_ANSWER_BYTES` (no LMS sends a page that large). */
async function answerText(response: Response): Promise<string> {
  const tooLarge = () =>
    errors.badRequest(`The LMS answered more than ${MAX_ANSWER_BYTES} bytes; nothing was read.`);
  if (Number(response.headers.get('content-length') ?? 0) > MAX_ANSWER_BYTES) {
    await response.body?.cancel();
    throw tooLarge();
  }
  if (!response.body) return '';
  const chunks: Uint8Array[] = [];
  let size = 0;
  const reader = response.body.getReader();
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_ANSWER_BYTES) {
      await reader.cancel();
      throw tooLarge();
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks).toString('utf8');
}

/** A 401 that may be a token the LMS no longer knows (not a missing scope). */
class StaleToken extends Error {}

async function once(transport: AgsTransport, request: AgsRequest, renew = false): Promise<AgsAnswer> {
  try {
    return await sendOnce(transport, request, renew);
  } catch (error) {
    if (error instanceof StaleToken && !renew) return once(transport, request, true);
    if (error instanceof StaleToken)
      throw errors.gradesScopeNotGranted(
        `The LMS answered 401 to ${request.method} of a ${request.kind}, twice.`,
      );
    throw error;
  }
}

async function sendOnce(transport: AgsTransport, request: AgsRequest, renew: boolean): Promise<AgsAnswer> {
  const url = await checkLmsUrl(request.url, transport.urls);
  const token = await tokenFor(transport, request, renew);
  const headers: Record<string, string> = { Authorization: `Bearer ${token}` };
  if (request.accept) headers.Accept = request.accept;
  if (request.contentType) headers['Content-Type'] = request.contentType;
  let response: Response;
  try {
    response = await transport.fetch(url, {
      method: request.method,
      headers,
      body: request.body === undefined ? undefined : JSON.stringify(request.body),
      redirect: 'manual',
      signal: AbortSignal.timeout(transport.timeoutMs),
    });
  } catch {
    if (request.repeatable) throw new Transient('no answer');
    throw errors.gradesLmsUnavailable(
      'The LMS did not answer a request to make a column; it is not repeated (the next look finds it if it was made).',
    );
  }
  const text = await answerText(response);
  return (
    refusalOf(request, response.status, text, response.headers) ?? {
      status: response.status,
      text,
      headers: response.headers,
    }
  );
}

/** Undefined for a 2xx answer; else throws what the answer means. */
function refusalOf(request: AgsRequest, status: number, text: string, headers: Headers): undefined {
  if (status >= 200 && status < 300) return undefined;
  if (status === 429) throw new Transient('429', retryAfterMs(headers.get('retry-after')));
  if (status >= 500 && !request.repeatable)
    throw errors.gradesLmsUnavailable(
      `The LMS answered ${status} to making a column; it is not repeated (the next look finds it if it was made).`,
    );
  if (status >= 500) throw new Transient(String(status), retryAfterMs(headers.get('retry-after')));
  const code = oauthErrorOf(text);
  if (status === 401 && code !== 'insufficient_scope') throw new StaleToken();
  if (status === 401 || status === 403) {
    throw errors.gradesScopeNotGranted(
      `The LMS answered ${status}${code ? ` (${code})` : ''} to ${request.method} of a ${request.kind}.`,
    );
  }
  if (status === 404 && request.kind !== 'container') {
    throw errors.gradesLineItemDeleted(`The LMS answered 404 for the column ${request.url}.`);
  }
  if (request.kind === 'score' && (status === 409 || (status === 400 && /timestamp/i.test(text)))) {
    throw errors.gradesScoreOlder(`The LMS answered ${status}: it holds a score at least as new.`);
  }
  throw errors.badRequest(
    `The LMS refused ${request.method} of a ${request.kind} (HTTP ${status}${code ? ` ${code}` : ''}).`,
  );
}

/** The request under the rules above: its 2xx answer, or an `AppError`. */
export async function send(transport: AgsTransport, request: AgsRequest): Promise<AgsAnswer> {
  const { retry } = transport;
  try {
    return await backOff(() => once(transport, request), {
      numOfAttempts: retry.attempts,
      startingDelay: retry.startingDelayMs,
      maxDelay: retry.maxDelayMs,
      timeMultiple: 2,
      jitter: 'full',
      retry: async (error: unknown) => {
        if (!(error instanceof Transient)) return false;
        if (error.waitMs === undefined) return true;
        if (error.waitMs > retry.maxRetryAfterMs) return false;
        await retry.sleep(error.waitMs);
        return true;
      },
    });
  } catch (error) {
    if (error instanceof AppError) throw error;
    if (error instanceof Transient)
      throw errors.gradesLmsUnavailable(`The LMS kept answering ${error.why}; the tool tries again later.`);
    throw error;
  }
}
