/**
 * Every knob of the simulator with its default. Facts the notes mark [uncertain] live here, so a
 * test (or the sandbox) can switch to the other plausible behaviour without touching code.
 */
/** Names of the OAuth errors the simulator can answer (the Zoom code is in brackets). */
export type OAuthErrorName =
  | 'token_empty' // 4700
  | 'invalid_client' // 4702
  | 'invalid_client_secret' // 4704
  | 'unsupported_grant_type' // 4705
  | 'redirect_mismatch' // 4709
  | 'invalid_refresh_token' // 4711
  | 'app_disabled' // 4717
  | 'code_expired' // 4733
  | 'invalid_code' // 4734
  | 'invalid_code_verifier' // 4734
  | 'token_owner_gone' // 4735
  | 'token_revoked' // 4741
  | 'invalid_account'; // no Zoom code known

export interface OAuthErrorSpec {
  /** Zoom's numeric OAuth error code, or null when none is known. */
  code: number | null;
  status: number;
  error: string;
  reason: string;
}

export interface ZoomSimulatorOptions {
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Public base URL (OAuth base; the API is `${baseUrl}/v2`). Default `http://{host}:{port}` once listening. */
  baseUrl?: string;
  /** The base clock; the simulated clock is this plus every `advanceClock`. Default: the real clock. */
  clock?: { now(): number };
  /** Format of `Retry-After` on 429 answers. Default 'seconds'. */
  retryAfterFormat?: 'seconds' | 'http-date';
  /** When set, every `/_sim/` request must carry header `x-sim-token` with this value. */
  controlToken?: string;
  /** Makes meeting UUIDs predictable (e.g. to exercise double-encoding); default 16 random bytes, base64. */
  uuidGenerator?: () => string;
  oauth?: OAuthOptions;
  api?: ApiOptions;
  limits?: LimitOptions;
  webhooks?: WebhookOptions;
}

/** OAuth knobs; every one is an [uncertain] fact of real Zoom. */
export interface OAuthOptions {
  /** Builds the body of an OAuth error. Default `{reason, error}` (Zoom's observed shape). */
  errorBody?: (error: OAuthErrorSpec & { name: OAuthErrorName }) => Record<string, unknown>;
  /** Per-error overrides of status, `error` and `reason`. */
  errors?: Partial<Record<OAuthErrorName, Partial<OAuthErrorSpec>>>;
  /** Real lifetime of an access token. Default 3600 s. */
  accessTokenSeconds?: number;
  /** The `expires_in` the token endpoint reports. Default 3599. */
  reportedExpiresIn?: number;
  /** Default 90 days. */
  refreshTokenSeconds?: number;
  /** Authorization-code lifetime. Default 300 s. */
  codeSeconds?: number;
  /** Default true: a new S2S token kills the previous one of the same app and account. */
  s2sNewTokenInvalidatesPrevious?: boolean;
  /** Default false: the access token issued before a refresh keeps working until it expires. */
  refreshRevokesOldAccessToken?: boolean;
  /** Default false: `/oauth/revoke` does not send `app_deauthorized`. */
  revokeSendsDeauthorized?: boolean;
  /** Default 'jwt-like' (long, three dot-separated parts like Zoom's); 'opaque' = 43 characters. */
  tokenStyle?: 'jwt-like' | 'opaque';
  /**
   * Default false. True (the sandbox): the browser is as if signed in to Zoom, and the consent page
   * offers "Continue as" each account's owner (real Zoom shows the signed-in user), the email form
   * staying below for anyone else.
   */
  consentSignIns?: boolean;
}

export interface ApiOptions {
  /** `/users/me` with an S2S token. Default 'error' (answer `s2sMeError`); 'owner' answers the account owner. */
  s2sUsersMe?: 'error' | 'owner';
  /** The error for 'error' mode. Default HTTP 404 `{code:1001, message:'User does not exist: me.'}`. */
  s2sMeError?: { status: number; code: number; message: string };
  /** Code for an email used by a user of another account: 1005 (409) or 1009. Default 1005. */
  emailInOtherAccount?: 1005 | 1009;
  /** HTTP status per Zoom error code (e.g. `{200: 400, 300: 400, 1010: 400}` are the defaults). */
  errorStatus?: Partial<Record<number, number>>;
  /** Default false: a pending user cannot host (1001). */
  pendingUserCanHost?: boolean;
  /** Default 'error' (3007); 'allow' deletes an ended meeting. */
  deleteEndedMeeting?: 'error' | 'allow';
  /** Code answered for bad alternative hosts. Default 1115. */
  alternativeHostErrorCode?: number;
  /**
   * An account's "Require a passcode when scheduling new meetings" until `setAccountSettings`
   * changes it. Default true (Zoom's default since 2020): a meeting created without `password`
   * gets one Zoom generates; when false it has none.
   */
  requirePasscode?: boolean;
  /** Default 50 (today's docs say 60). */
  maxRecurrenceEndTimes?: number;
  /** Occurrences when neither `end_times` nor `end_date_time` is given. Default 1. */
  defaultRecurrenceEndTimes?: number;
  /** Default 7200 s. */
  startUrlSeconds?: number;
  /** custCreate hosts' start_url. Default 90 days. */
  custCreateStartUrlSeconds?: number;
  /** Page-token lifetime. Default 900 s. */
  pageTokenSeconds?: number;
  /**
   * How long after a meeting ends its participants (past meeting and report) come back empty while
   * Zoom is still processing. Default 60 000 ms (simulated time).
   */
  participantsReportDelayMs?: number;
}

export interface LimitOptions {
  /** Default true. Per-account switches: `setLimits`. */
  enabled?: boolean;
  /** `X-RateLimit-Type` of a per-second 429. Default 'QPS'. */
  perSecondTypeHeader?: 'QPS' | 'Per-second-limit';
  /** Default 100. */
  meetingRequestsPerUserPerDay?: number;
}

export interface WebhookOptions {
  /** Unit of `x-zm-request-timestamp`. Default 'seconds'. */
  timestampUnit?: 'seconds' | 'milliseconds';
  /** A delivery slower than this fails and is retried. Default 3000 ms (real time). */
  timeoutMs?: number;
  /** Retry delays in minutes of simulated time, each counted from the previous attempt. Default [5, 20, 60]. */
  retryMinutes?: number[];
  /** Default 'user.activated'. */
  userActivatedEvent?: string;
  /** When set, due retries also run on a real timer (the CLI uses 1000 ms); tests advance the clock instead. */
  retryPollMs?: number;
}

const DAY = 86_400;

export const DEFAULT_OAUTH_ERRORS: Record<OAuthErrorName, OAuthErrorSpec> = {
  token_empty: { code: 4700, status: 400, error: 'invalid_request', reason: 'Token cannot be empty.' },
  invalid_client: {
    code: 4702,
    status: 401,
    error: 'invalid_client',
    reason: 'Invalid client_id or client_secret',
  },
  invalid_client_secret: {
    code: 4704,
    status: 401,
    error: 'invalid_client',
    reason: 'Invalid client_id or client_secret',
  },
  unsupported_grant_type: {
    code: 4705,
    status: 400,
    error: 'unsupported_grant_type',
    reason: 'unsupported grant type',
  },
  redirect_mismatch: { code: 4709, status: 400, error: 'invalid_request', reason: 'Redirect URI mismatch.' },
  invalid_refresh_token: { code: 4711, status: 400, error: 'invalid_grant', reason: 'Invalid Token!' },
  app_disabled: { code: 4717, status: 400, error: 'invalid_client', reason: 'The app has been disabled.' },
  code_expired: { code: 4733, status: 400, error: 'invalid_grant', reason: 'Authorization code expired.' },
  invalid_code: { code: 4734, status: 400, error: 'invalid_grant', reason: 'Invalid authorization code.' },
  invalid_code_verifier: {
    code: 4734,
    status: 400,
    error: 'invalid_grant',
    reason: 'Invalid code_verifier.',
  },
  token_owner_gone: {
    code: 4735,
    status: 400,
    error: 'invalid_grant',
    reason: 'The owner of the token does not exist.',
  },
  token_revoked: { code: 4741, status: 400, error: 'invalid_grant', reason: 'Token has been revoked.' },
  invalid_account: { code: null, status: 400, error: 'invalid_request', reason: 'Invalid account_id.' },
};

export interface ResolvedOptions {
  host: string;
  port: number;
  baseUrl: string | undefined;
  retryAfterFormat: 'seconds' | 'http-date';
  controlToken: string | undefined;
  uuidGenerator: (() => string) | undefined;
  oauth: Required<Omit<OAuthOptions, 'errors' | 'errorBody'>> & {
    errors: Record<OAuthErrorName, OAuthErrorSpec>;
    errorBody: NonNullable<OAuthOptions['errorBody']>;
  };
  api: Required<Omit<ApiOptions, 'errorStatus'>> & { errorStatus: Record<number, number> };
  limits: Required<LimitOptions>;
  webhooks: Required<Omit<WebhookOptions, 'retryPollMs'>> & { retryPollMs: number | undefined };
}

export function resolveOptions(options: ZoomSimulatorOptions = {}): ResolvedOptions {
  const oauth = options.oauth ?? {};
  const errors = { ...DEFAULT_OAUTH_ERRORS };
  for (const [name, override] of Object.entries(oauth.errors ?? {}) as Array<
    [OAuthErrorName, Partial<OAuthErrorSpec>]
  >) {
    errors[name] = { ...errors[name], ...override };
  }
  const api = options.api ?? {};
  const limits = options.limits ?? {};
  const webhooks = options.webhooks ?? {};
  return {
    host: options.host ?? '127.0.0.1',
    port: options.port ?? 0,
    baseUrl: options.baseUrl?.replace(/\/+$/, ''),
    retryAfterFormat: options.retryAfterFormat ?? 'seconds',
    controlToken: options.controlToken,
    uuidGenerator: options.uuidGenerator,
    oauth: {
      errors,
      errorBody: oauth.errorBody ?? ((e) => ({ reason: e.reason, error: e.error })),
      accessTokenSeconds: oauth.accessTokenSeconds ?? 3600,
      reportedExpiresIn: oauth.reportedExpiresIn ?? 3599,
      refreshTokenSeconds: oauth.refreshTokenSeconds ?? 90 * DAY,
      codeSeconds: oauth.codeSeconds ?? 300,
      s2sNewTokenInvalidatesPrevious: oauth.s2sNewTokenInvalidatesPrevious ?? true,
      refreshRevokesOldAccessToken: oauth.refreshRevokesOldAccessToken ?? false,
      revokeSendsDeauthorized: oauth.revokeSendsDeauthorized ?? false,
      tokenStyle: oauth.tokenStyle ?? 'jwt-like',
      consentSignIns: oauth.consentSignIns ?? false,
    },
    api: {
      s2sUsersMe: api.s2sUsersMe ?? 'error',
      s2sMeError: api.s2sMeError ?? { status: 404, code: 1001, message: 'User does not exist: me.' },
      emailInOtherAccount: api.emailInOtherAccount ?? 1005,
      errorStatus: {
        200: 400,
        300: 400,
        1010: 400,
        ...(api.errorStatus as Record<number, number> | undefined),
      },
      pendingUserCanHost: api.pendingUserCanHost ?? false,
      deleteEndedMeeting: api.deleteEndedMeeting ?? 'error',
      alternativeHostErrorCode: api.alternativeHostErrorCode ?? 1115,
      requirePasscode: api.requirePasscode ?? true,
      maxRecurrenceEndTimes: api.maxRecurrenceEndTimes ?? 50,
      defaultRecurrenceEndTimes: api.defaultRecurrenceEndTimes ?? 1,
      startUrlSeconds: api.startUrlSeconds ?? 7200,
      custCreateStartUrlSeconds: api.custCreateStartUrlSeconds ?? 90 * DAY,
      pageTokenSeconds: api.pageTokenSeconds ?? 900,
      participantsReportDelayMs: api.participantsReportDelayMs ?? 60_000,
    },
    limits: {
      enabled: limits.enabled ?? true,
      perSecondTypeHeader: limits.perSecondTypeHeader ?? 'QPS',
      meetingRequestsPerUserPerDay: limits.meetingRequestsPerUserPerDay ?? 100,
    },
    webhooks: {
      timestampUnit: webhooks.timestampUnit ?? 'seconds',
      timeoutMs: webhooks.timeoutMs ?? 3000,
      retryMinutes: webhooks.retryMinutes ?? [5, 20, 60],
      userActivatedEvent: webhooks.userActivatedEvent ?? 'user.activated',
      retryPollMs: webhooks.retryPollMs,
    },
  };
}
