import axios, { type AxiosInstance, type AxiosResponse } from 'axios';
import type { Logger } from 'pino';
import type { z } from 'zod';
import {
  parseZoomBody,
  resolveZoomPath,
  zoomCreatedUserSchema,
  zoomNoContentSchema,
  zoomUserSchema,
  type ZoomCreatedUser,
  type ZoomCreateUserInput,
  type ZoomUser,
  type ZoomUserPatch,
} from './zoom.api.schema';
import {
  dailyLimitHeldError,
  invalidResponseError,
  rateCategoryOf,
  transportError,
  ZoomApiError,
  zoomErrorFromAnswer,
  type ZoomErrorKind,
} from './zoom.client.errors';
import { ZoomPacer } from './zoom.pacer';
import type { AccessTokenProvider, RateCategory, ZoomConnectionRef } from './zoom.types';

/**
 * The Zoom API client: one axios instance, paced per Zoom account and rate category (ZOOM-NOTES).
 * - 401 code 124: one fresh token (`rejected`), one retry; a second 401 is `unauthorized`.
 * - 400 code 4711: `markReconnectRequired`, `missing_scopes`, no retry.
 * - 429 per-second/QPS: Zoom did not process the call, so any method is retried once the lane's
 *   pause (`Retry-After`) is over. 429 daily limit: a host's (`daily_limit`, held for that user)
 *   or the account's for the category (`account_daily_limit`, held for every user), with
 *   `retryAt`, never retried before the reset; later calls against the same spent limit fail at
 *   once, unsent (in every instance when the pacer is shared).
 * - 5xx, timeouts, dropped connections: retried with backoff and jitter only when idempotent. A
 *   POST/PATCH may have been committed (a user may exist although the connection dropped), so it
 *   is never repeated here: callers look up before re-creating.
 * - `beforeRetry`: the caller hears of each retry before it is sent (never of the first send), and
 *   whether Zoom may have counted the send before (a 5xx, time-out or dropped connection may have
 *   been applied; a 429 or 401 was refused unprocessed), so what it counts per send (a host's 100
 *   meeting writes a day) counts every send Zoom may count. A rejection stops the call, unsent.
 * Never logged: tokens, Authorization headers, bodies. Each attempt logs (debug) method, path
 * template, status, Zoom code and latency.
 */
export type ZoomHttpMethod = 'GET' | 'POST' | 'PATCH' | 'PUT' | 'DELETE';

export interface ZoomClientOptions {
  /** e.g. https://api.zoom.us/v2 (config ZOOM_API_URL), or `${sim.baseUrl}/v2`. */
  apiUrl: string;
  tokens: AccessTokenProvider;
  logger: Logger;
  /** Per attempt. Default 10 000. */
  timeoutMs?: number;
  /** Default: a new ZoomPacer(). Share one per process. */
  pacer?: ZoomPacer;
  /** Retries of retryable failures (429 per-second, and 5xx/timeout/network when idempotent). Default 3. */
  maxRetries?: number;
  /** A per-second 429 asking to wait longer than this is thrown (`rate_limited`) instead. Default 60 000. */
  maxRateLimitWaitMs?: number;
  now?: () => number;
  /** Told of every attempt's answer (status 0: none came), for metrics: no path, account or body. */
  onRequest?: (answer: { category: RateCategory; status: number }) => void;
}

export interface ZoomRequestSpec<T> {
  method: ZoomHttpMethod;
  /** Relative to apiUrl: `/users/{userId}` with `pathParams`, or a concrete path. */
  path: string;
  /** Values for `{name}` placeholders, URL-encoded once (double-encode meeting UUIDs yourself). */
  pathParams?: Record<string, string | number>;
  query?: Record<string, string | number | undefined>;
  body?: unknown;
  category: RateCategory;
  schema: z.ZodType<T>;
  /** Safe to repeat after an ambiguous failure (5xx/timeout)? Default: true for GET/PUT/DELETE, false for POST/PATCH. */
  idempotent?: boolean;
  /** The Zoom user a meeting create/update counts against (per-user daily limit). */
  dailyLimitUser?: string;
  /** Told of every HTTP answer (errors included): its status, Zoom's `Date` header, when it was sent and came back. */
  onAnswer?: (answer: ZoomAnswerInfo) => void;
  /** Awaited before each retry send (see the rules above); a rejection fails the call with it, unsent. */
  beforeRetry?: ZoomRetryHook;
}

/** Per-request options a caller of a typed endpoint passes through to its request. */
export interface ZoomCallOptions {
  beforeRetry?: ZoomRetryHook;
}

export type ZoomRetryHook = (retry: {
  /** The send about to go out: 2 for the first retry. */
  attempt: number;
  /** Why the previous send is repeated. */
  after: ZoomApiError;
  /** Zoom may have processed (and counted) the previous send: it failed after reaching Zoom ambiguously. */
  mayHaveCounted: boolean;
}) => Promise<void>;

/** What an answer says besides its body (the self-check compares Zoom's clock with ours). */
export interface ZoomAnswerInfo {
  status: number;
  /** The `Date` header as Zoom sent it, if it did. */
  date: string | undefined;
  sentAt: number;
  receivedAt: number;
}

export interface ZoomAccountApi {
  /** GET /users/me — OAuth connections only (Server-to-Server tokens must not use `me`). */
  getMe(): Promise<ZoomUser>;
  /** GET /users/{userId|email}. */
  getUser(idOrEmail: string): Promise<ZoomUser>;
  /**
   * POST /users → 201. Never retried after an ambiguous failure: on `server`, `timeout` or `network`
   * the user may exist, so look it up (getUser by email) before creating again.
   */
  createUser(input: ZoomCreateUserInput): Promise<ZoomCreatedUser>;
  /** PATCH /users/{userId} → 204 (licence type, names). */
  updateUser(id: string, patch: ZoomUserPatch): Promise<void>;
  request<T>(spec: ZoomRequestSpec<T>): Promise<T>;
}

/** Failures after which Zoom may or may not have acted: retried only when the call is idempotent. */
const AMBIGUOUS: ReadonlySet<ZoomErrorKind> = new Set(['server', 'timeout', 'network']);
const BACKOFF_BASE_MS = 200;
const BACKOFF_MAX_MS = 5000;

type Outcome = { response: AxiosResponse<string> } | { transportCode: string | undefined };

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export class ZoomClient {
  private readonly http: AxiosInstance;
  private readonly tokens: AccessTokenProvider;
  private readonly log: Logger;
  private readonly pacer: ZoomPacer;
  private readonly maxRetries: number;
  private readonly maxRateLimitWaitMs: number;
  private readonly now: () => number;
  private readonly onRequest: ZoomClientOptions['onRequest'];

  constructor(options: ZoomClientOptions) {
    this.onRequest = options.onRequest;
    this.tokens = options.tokens;
    this.log = options.logger.child({ component: 'zoom-client' });
    this.now = options.now ?? Date.now;
    this.pacer = options.pacer ?? new ZoomPacer({ now: this.now });
    this.maxRetries = options.maxRetries ?? 3;
    this.maxRateLimitWaitMs = options.maxRateLimitWaitMs ?? 60_000;
    this.http = axios.create({
      baseURL: options.apiUrl,
      timeout: options.timeoutMs ?? 10_000,
      allowAbsoluteUrls: false,
      maxRedirects: 0,
      responseType: 'text',
      transformResponse: [(data: unknown) => data],
      validateStatus: () => true,
      headers: { Accept: 'application/json' },
    });
  }

  forConnection(connection: ZoomConnectionRef): ZoomAccountApi {
    const request = <T>(spec: ZoomRequestSpec<T>) => this.request(connection, spec);
    const userPath = (userId: string) => ({ path: '/users/{userId}', pathParams: { userId } });
    // Zoom labels user get/create/update Light (ZOOM-NOTES: "Light/Medium"); if Zoom ever counts
    // them as Medium, its 429s pause the lane and the calls are retried.
    return {
      getMe: () => request({ method: 'GET', path: '/users/me', category: 'light', schema: zoomUserSchema }),
      getUser: (idOrEmail) =>
        request({ method: 'GET', ...userPath(idOrEmail), category: 'light', schema: zoomUserSchema }),
      createUser: (input) =>
        request({
          method: 'POST',
          path: '/users',
          body: input,
          category: 'light',
          schema: zoomCreatedUserSchema,
        }),
      updateUser: async (id, patch) => {
        await request({
          method: 'PATCH',
          ...userPath(id),
          body: patch,
          category: 'light',
          schema: zoomNoContentSchema,
        });
      },
      request,
    };
  }

  private async request<T>(connection: ZoomConnectionRef, spec: ZoomRequestSpec<T>): Promise<T> {
    const { url, template } = resolveZoomPath(spec.path, spec.pathParams);
    const account = connection.zoomAccountId;
    const idempotent = spec.idempotent ?? ['GET', 'PUT', 'DELETE'].includes(spec.method);
    // A spent per-user limit is held per user; any other daily limit for the whole category.
    const dailyScope =
      spec.dailyLimitUser === undefined ? `category:${spec.category}` : `user:${spec.dailyLimitUser}`;
    await this.throwIfHeld(account, [`category:${spec.category}`, dailyScope], spec, template);
    let retries = 0;
    let rejected: string | undefined;
    let tokenRetried = false;
    let previous: ZoomApiError | undefined;
    for (let attempt = 1; ; attempt += 1) {
      if (previous && spec.beforeRetry)
        await spec.beforeRetry({ attempt, after: previous, mayHaveCounted: AMBIGUOUS.has(previous.kind) });
      let token = '';
      let sentAt = 0;
      const outcome = await this.pacer.schedule(account, connection.plan, spec.category, async () => {
        token = await (rejected === undefined
          ? this.tokens.accessToken(connection.id)
          : this.tokens.accessToken(connection.id, { rejected }));
        sentAt = this.now();
        return this.send(spec, url, token);
      });
      rejected = undefined;
      this.onRequest?.({
        category: spec.category,
        status: 'response' in outcome ? outcome.response.status : 0,
      });
      if ('response' in outcome && spec.onAnswer) {
        const date = outcome.response.headers.date as unknown;
        spec.onAnswer({
          status: outcome.response.status,
          date: typeof date === 'string' ? date : undefined,
          sentAt,
          receivedAt: this.now(),
        });
      }
      const error = this.toError(outcome, spec.method, template);
      this.log.debug(
        {
          connectionId: connection.id,
          method: spec.method,
          path: template,
          status: 'response' in outcome ? outcome.response.status : 0,
          zoomCode: error?.code,
          kind: error?.kind,
          attempt,
          latencyMs: this.now() - sentAt,
        },
        'zoom api call',
      );
      if ('response' in outcome && !error) return this.parse(spec, template, outcome.response);
      if (!error) throw new Error('unreachable: a failed call without an error');

      previous = error;
      if (error.kind === 'unauthorized' && error.code === 124 && !tokenRetried) {
        tokenRetried = true;
        rejected = token;
        continue;
      }
      if (error.kind === 'missing_scopes') {
        await this.markReconnectRequired(connection, token);
        throw error;
      }
      if (error.kind === 'daily_limit' || error.kind === 'account_daily_limit') {
        // The account's limit is spent for every user; a host's only for that host.
        const scope = error.kind === 'daily_limit' ? dailyScope : `category:${spec.category}`;
        if (error.retryAt !== undefined) this.pacer.holdUntilReset(account, scope, error.retryAt);
        throw error;
      }
      if (retries >= this.maxRetries) throw error;
      const until = error.retryAt ?? 0;
      if (error.kind === 'rate_limited') {
        if (until - this.now() > this.maxRateLimitWaitMs) throw error;
        this.pacer.pause(account, spec.category, until);
        const named = rateCategoryOf(error.category);
        if (named && named !== spec.category) this.pacer.pause(account, named, until);
      } else if (AMBIGUOUS.has(error.kind) && idempotent) {
        const backoff = this.backoff(retries);
        const asked = until - this.now();
        await sleep(asked > backoff && asked <= this.maxRateLimitWaitMs ? asked : backoff);
      } else {
        throw error;
      }
      retries += 1;
    }
  }

  private async send(spec: ZoomRequestSpec<unknown>, url: string, token: string): Promise<Outcome> {
    try {
      const response = await this.http.request<string>({
        method: spec.method,
        url,
        params: spec.query,
        data: spec.body,
        headers: { Authorization: `Bearer ${token}` },
      });
      return { response };
    } catch (err) {
      // Every status is accepted, so only transport failures land here. The axios error is not
      // kept: its config holds the Authorization header.
      if (axios.isAxiosError(err)) return { transportCode: err.code };
      throw err;
    }
  }

  private toError(outcome: Outcome, method: string, template: string): ZoomApiError | undefined {
    if (!('response' in outcome)) return transportError(outcome.transportCode, method, template);
    const { status, headers, data } = outcome.response;
    if (status >= 200 && status < 300) return undefined;
    return zoomErrorFromAnswer({
      status,
      headers,
      body: parseZoomBody(data),
      nowMs: this.now(),
      method,
      path: template,
    });
  }

  private parse<T>(spec: ZoomRequestSpec<T>, template: string, response: AxiosResponse<string>): T {
    const parsed = spec.schema.safeParse(parseZoomBody(response.data));
    if (parsed.success) return parsed.data;
    throw invalidResponseError(response.status, parsed.error.issues, spec.method, template);
  }

  private async markReconnectRequired(connection: ZoomConnectionRef, refusedToken: string): Promise<void> {
    try {
      await this.tokens.markReconnectRequired(connection.id, 'missing_scopes', { token: refusedToken });
    } catch (err) {
      const reason = err instanceof Error ? err.message : String(err);
      this.log.error(
        { connectionId: connection.id, reason },
        'could not mark the Zoom connection for reconnection',
      );
    }
  }

  /** A daily limit Zoom already reported is not asked again before its reset. */
  private async throwIfHeld(
    account: string,
    scopes: string[],
    spec: ZoomRequestSpec<unknown>,
    template: string,
  ): Promise<void> {
    for (const scope of scopes) {
      const until = await this.pacer.heldUntil(account, scope);
      if (until !== undefined) throw dailyLimitHeldError(scope, until, spec.method, template);
    }
  }

  /** Exponential with "equal jitter": half the step fixed, half random. */
  private backoff(retry: number): number {
    const step = Math.min(BACKOFF_MAX_MS, BACKOFF_BASE_MS * 2 ** retry);
    return step / 2 + Math.random() * (step / 2);
  }
}
