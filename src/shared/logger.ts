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

const SECRET_QUERY_PARAMS = ['ltik', 'code', 'state', 'token', 'id_token', 'access_token', 'refresh_token'];

/** Paths whose segment after the prefix is itself a bearer secret (a Zoom connect link). */
const SECRET_PATH = /^(\/zoom\/connect\/)(?!done(?:[/?]|$))[^/?]+/;

export function redactUrl(rawUrl: string): string {
  const url = rawUrl.replace(SECRET_PATH, '$1[Redacted]');
  const queryStart = url.indexOf('?');
  if (queryStart === -1) return url;
  const params = new URLSearchParams(url.slice(queryStart + 1));
  for (const name of SECRET_QUERY_PARAMS) {
    if (params.has(name)) params.set(name, '[Redacted]');
  }
  return `${url.slice(0, queryStart)}?${params.toString()}`;
}

export interface LoggerOptions {
  level?: string;
  destination?: pino.DestinationStream;
}

export function createLogger(options: LoggerOptions = {}): Logger {
  return pino(
    {
      level: options.level ?? 'info',
      base: { service: 'zoom-lti' },
      redact: { paths: REDACT_PATHS, censor: '[Redacted]' },
      timestamp: pino.stdTimeFunctions.isoTime,
    },
    options.destination,
  );
}

export type { Logger };
