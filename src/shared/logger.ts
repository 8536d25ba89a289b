import pino, { type Logger } from 'pino';

/**
 * The one logger. Secrets never reach a log line: known secret fields are redacted wherever they
 * appear (two levels deep), and URLs lose their secret query parameters before they are logged.
 */
const SECRET_FIELDS = [
  'access_token',
  'refresh_token',
  'accessToken',
  'refreshToken',
  'client_secret',
  'clientSecret',
  'secret',
  'id_token',
  'idToken',
  'ltik',
  'password',
  'privateKey',
  'private_key',
  'key',
  'token',
  'code_verifier',
  'authorization',
  'cookie',
  'set-cookie',
  'encryptionKey',
  // The operator console: its password hash, session id and form token.
  'passwordHash',
  'sessionId',
  '_csrf',
];

const REDACT_PATHS = [
  ...SECRET_FIELDS,
  ...SECRET_FIELDS.map((field) => `*.${field}`),
  ...SECRET_FIELDS.map((field) => `*.*.${field}`),
  'req.headers.authorization',
  'req.headers.cookie',
  'res.headers["set-cookie"]',
];

/**
 * Every secret a URL the tool serves can carry: the one list `redactUrl` applies to every URL that
 * is logged (the access log, the error log, a school's error list). A new route whose URL holds a
 * secret adds it here; test/e2e/log-secrets.e2e.test.ts greps a whole run's log for each.
 */
const SECRET_QUERY_PARAMS = new Set([
  'ltik', // a launch's session (every page of the tool)
  'code', // OAuth's authorization code (/zoom/oauth/callback)
  'state', // OAuth's and OIDC's state
  'nonce',
  'id_token',
  'token',
  'access_token',
  'refresh_token',
  'client_secret',
  'invite', // a school's registration link (/lti/register)
  'registration_token', // the LMS's token for dynamic registration
  'pwd', // a Zoom join link's passcode
]);

/** Path segments that are themselves secrets: the prefix is kept, the secret replaced. */
const SECRET_PATHS: { pattern: RegExp; replacement: string }[] = [
  // A Zoom connect link's token: /zoom/connect/<token>[/oauth|/s2s] (not /zoom/connect/done).
  { pattern: /^(\/zoom\/connect\/)(?!done(?:[/?]|$))[^/?]+/i, replacement: '$1[Redacted]' },
  // A calendar feed's signature: /calendar/<course ref>/<signature>.ics (the ref is not secret).
  { pattern: /^(\/calendar\/[^/?]*\/)[^/?]*?(\.ics)?(?=[/?]|$)/i, replacement: '$1[Redacted]$2' },
];

export function redactUrl(rawUrl: string): string {
  let url = rawUrl;
  for (const { pattern, replacement } of SECRET_PATHS) url = url.replace(pattern, replacement);
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  for (const name of new Set(params.keys())) {
    // `ltik[]=…` and `ltik[0]=…` are the same parameter to Express's query parser.
    if (SECRET_QUERY_PARAMS.has(name.split('[')[0] ?? name)) params.set(name, '[Redacted]');
  }
  return `${url.slice(0, queryStart)}?${params.toString()}`;
}

/**
 * How log lines are written: `pretty` (pino-pretty: "06:45:12 INFO [sandbox] …", one line each) for
 * a person at a terminal running `npm start`; `json` (one object a line) everywhere else: a pipe, a
 * file, a log collector, and always in production (`npm run start:prod`, NODE_ENV=production).
 */
export type LogFormat = 'pretty' | 'json';

export function logFormatFor(env: { isTTY: boolean | undefined; nodeEnv: string | undefined }): LogFormat {
  return env.isTTY === true && env.nodeEnv !== 'production' ? 'pretty' : 'json';
}

export interface LoggerOptions {
  level?: string;
  destination?: pino.DestinationStream;
  /** JSON unless told otherwise (`logFormatFor`). */
  format?: LogFormat;
}

/**
 * pino-pretty turns pino's lines into readable ones after pino has redacted them: the same secrets
 * are censored in both formats. It is loaded only here, so a JSON logger (production) never loads it.
 */
function prettyStream(destination: pino.DestinationStream | undefined): pino.DestinationStream {
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const pretty = require('pino-pretty') as typeof import('pino-pretty');
  return pretty({
    colorize: destination === undefined,
    translateTime: 'SYS:HH:MM:ss',
    ignore: 'pid,hostname,service,category',
    messageFormat: '{if category}[{category}] {end}{msg}',
    singleLine: true,
    // Synchronous: the lines keep their order with what the server prints itself (the sandbox URL last).
    sync: true,
    destination: destination ?? 1,
  });
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'zoom-lti' },
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.format === 'pretty' ? prettyStream(options.destination) : options.destination,
  );
}

export type { Logger };
