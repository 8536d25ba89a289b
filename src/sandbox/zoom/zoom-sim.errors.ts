import type { ErrorRequestHandler, Response } from 'express';
import type { ResolvedOptions } from './zoom-sim.options';
import type { OAuthErrorName } from './zoom-sim.options';

/**
 * Zoom's errors, as the simulator answers them. API errors have the body `{code, message[, errors]}`;
 * OAuth errors `{reason, error}` (configurable). Services throw; one handler per surface renders.
 */
export interface FieldError {
  field: string;
  message: string;
}

export class ZoomApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: number,
    message: string,
    readonly errors?: FieldError[],
    readonly headers: Record<string, string> = {},
  ) {
    super(message);
    this.name = 'ZoomApiError';
  }
}

export class ZoomOAuthError extends Error {
  constructor(readonly errorName: OAuthErrorName) {
    super(errorName);
    this.name = 'ZoomOAuthError';
  }
}

const api = (status: number, code: number, message: string, errors?: FieldError[]) =>
  new ZoomApiError(status, code, message, errors);

export const zoomErrors = {
  invalidToken: () => api(401, 124, 'Invalid access token.'),
  expiredToken: () => api(401, 124, 'Access token is expired.'),
  missingScopes: (scopes: string[]) =>
    api(400, 4711, `Invalid access token, does not contain scopes:[${scopes.join(', ')}].`),
  validation: (errors: FieldError[]) => api(400, 300, 'Validation Failed.', errors),
  invalidParameter: (message: string) => api(400, 300, message),
  userNotFound: (ref: string) => api(404, 1001, `User does not exist: ${ref}.`),
  userInOtherAccount: () => api(400, 1010, 'User not belong to this account'),
  userAlreadyInAccount: (email: string) => api(409, 1005, `User already in the account: ${email}`),
  emailAlreadyUsed: (email: string) => api(409, 1005, `Email ${email} has already been used.`),
  emailHoldsActiveAccount: (email: string) =>
    api(409, 1009, `The user ${email} already holds an active account.`),
  domainBlocked: (domain: string) =>
    api(400, 1107, `The email domain ${domain} is blocked for this account.`),
  userTypeNotPermitted: () => api(400, 1108, 'User type permission check failed.'),
  notInAllowedDomains: (email: string) =>
    api(400, 1116, `The email ${email} does not belong to the domains allowed by this account.`),
  ssoOnly: (message: string) => api(400, 2002, message),
  noPrivilege: (message = 'No privilege.') => api(400, 200, message),
  maxPaidUsers: (n: number) => api(400, 200, `You can add max ${n} paid users.`),
  noPaidUsers: () => api(400, 200, "You can't add paid users."),
  maxFreeUsers: (n: number) => api(400, 200, `You can add max ${n} free users.`),
  paidOnly: (accountId: string) => api(400, 200, `Only available for Paid or ZMP account: ${accountId}.`),
  meetingNotFound: (ref: string | number) => api(404, 3001, `Meeting ${ref} is not found or has expired.`),
  notHost: () => api(400, 3003, 'You are not the meeting host.'),
  meetingInProgress: () => api(400, 3002, 'Sorry, you cannot delete this meeting since it is in progress.'),
  meetingEnded: () => api(400, 3007, 'Sorry, you cannot delete this meeting since it has ended.'),
  /** [uncertain] Zoom's exact text; code 3000 is what it answers for a meeting that takes no registrants. */
  registrationDisabled: (id: number) =>
    api(400, 3000, `Registration has not been enabled for this meeting: ${id}.`),
  recordingNotFound: () => api(404, 3301, 'This recording does not exist.'),
  alternativeHosts: (code: number, hosts: string[]) =>
    api(
      400,
      code,
      `Invalid alternative hosts: ${hosts.join(';')}. Alternative hosts must be licensed users of the same account.`,
    ),
  invalidPageToken: () => api(400, 300, 'The next page token is invalid or expired.'),
  notFound: () => api(404, 404, 'Not Found'),
};

export function sendApiError(res: Response, err: ZoomApiError, options: ResolvedOptions): void {
  const status =
    err.status === 401 || err.status === 429 ? err.status : (options.api.errorStatus[err.code] ?? err.status);
  res.locals.errorCode = err.code;
  for (const [name, value] of Object.entries(err.headers)) res.setHeader(name, value);
  res
    .status(status)
    .json(
      err.errors
        ? { code: err.code, message: err.message, errors: err.errors }
        : { code: err.code, message: err.message },
    );
}

export function sendOAuthError(res: Response, err: ZoomOAuthError, options: ResolvedOptions): void {
  const spec = options.oauth.errors[err.errorName];
  res.locals.errorCode = spec.code ?? err.errorName;
  res.status(spec.status).json(options.oauth.errorBody({ ...spec, name: err.errorName }));
}

/** The error handler of `/v2`: Zoom bodies for our errors, Zoom's answer to unparseable JSON, 500 otherwise. */
export function apiErrorHandler(options: ResolvedOptions): ErrorRequestHandler {
  return (err: unknown, _req, res, next) => {
    if (res.headersSent) return next(err);
    if (err instanceof ZoomApiError) return sendApiError(res, err, options);
    if (isBodyParseError(err)) {
      return sendApiError(
        res,
        zoomErrors.invalidParameter('Request Body should be a valid JSON object.'),
        options,
      );
    }
    res.locals.errorCode = 500;
    res.status(500).json({ code: 500, message: err instanceof Error ? err.message : 'Internal error' });
  };
}

function isBodyParseError(err: unknown): boolean {
  return (
    typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.parse.failed'
  );
}

/** Refusals of the control surface and of the in-process API (unknown ids, conflicts). */
export class SimControlError extends Error {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
    this.name = 'SimControlError';
  }
}
