import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { parse as parseDotenv } from 'dotenv';
import { z } from 'zod';

/**
 * The whole configuration of the tool, parsed once at boot from the environment (and an optional
 * `.env` file in the working directory; real environment variables win). Every bad variable is
 * reported at once, by name, and the boot stops.
 */

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const url = z
  .string()
  .refine(isHttpUrl, 'must be an absolute http(s) URL such as https://zoom.example.edu')
  .transform((value) => value.replace(/\/+$/, ''));

const key = z
  .string()
  .refine((value) => decodeKey(value) !== null, 'must be 32 bytes, as 64 hex characters or base64');

/**
 * `TRUST_PROXY`, as Express's `trust proxy` takes it: how many proxies stand in front (a hop count),
 * or which addresses are proxies (addresses, CIDRs, `loopback`, `linklocal`, `uniquelocal`). Then
 * the client's address is the last one in X-Forwarded-For that those proxies did not write. A bare
 * `true` would take the leftmost one, which the client writes itself: it is refused.
 */
const PROXY_SUBNETS = ['loopback', 'linklocal', 'uniquelocal'];
const TRUST_PROXY_HELP =
  'write the number of proxies in front of the tool (TRUST_PROXY=1 for one nginx) or their addresses (TRUST_PROXY=10.0.0.0/8 or loopback, comma-separated)';

function isProxyAddress(entry: string): boolean {
  if (PROXY_SUBNETS.includes(entry)) return true;
  const [address = '', prefix, ...rest] = entry.split('/');
  const family = net.isIP(address);
  if (family === 0 || rest.length > 0) return false;
  if (prefix === undefined) return true;
  return /^\d{1,3}$/.test(prefix) && Number(prefix) <= (family === 4 ? 32 : 128);
}

const trustProxy = z
  .string()
  .trim()
  .transform((value, ctx): false | number | string[] => {
    const lower = value.toLowerCase();
    if (['false', 'no', 'off', '0'].includes(lower)) return false;
    if (['true', 'yes', 'on'].includes(lower)) {
      ctx.addIssue({
        code: 'custom',
        message: `must not be ${value}: it trusts every address in X-Forwarded-For, so a client could choose its own; ${TRUST_PROXY_HELP}`,
      });
      return z.NEVER;
    }
    if (/^\d{1,2}$/.test(value)) return Number(value);
    const entries = value.split(',').map((entry) => entry.trim());
    if (entries.every(isProxyAddress)) return entries;
    ctx.addIssue({
      code: 'custom',
      message: `must be a hop count or a list of addresses: ${TRUST_PROXY_HELP}`,
    });
    return z.NEVER;
  });

const envSchema = z
  .object({
    NODE_ENV: z.enum(['development', 'production', 'test']).default('development'),
    PORT: z.coerce
      .number({ message: 'must be a port number between 1 and 65535' })
      .int('must be a port number between 1 and 65535')
      .min(0, 'must be a port number between 1 and 65535')
      .max(65535, 'must be a port number between 1 and 65535')
      .default(3000),
    HOST: z.string().min(1).default('0.0.0.0'),
    PUBLIC_URL: url.default('http://localhost:3000'),
    DATA_DIR: z.string().min(1).default('./data'),
    DATABASE_URL: z
      .string()
      .regex(/^postgres(ql)?:\/\//, 'must be a postgres:// or postgresql:// connection URL')
      .optional(),
    DATABASE_POOL_SIZE: z.coerce.number().int().min(1).max(100).default(10),
    ENCRYPTION_KEY: key.optional(),
    ENCRYPTION_KEY_PREVIOUS: key.optional(),
    METRICS_TOKEN: z
      .string()
      .trim()
      .min(16, 'must be at least 16 characters (generate one with `openssl rand -hex 24`)')
      .optional(),
    LOG_LEVEL: z.enum(['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent']).default('info'),
    LTI_TOKEN_MAX_AGE_SECONDS: z.coerce.number().int().min(5).max(3600).default(60),
    LTI_NONCE_TTL_SECONDS: z.coerce.number().int().min(5).max(86400).default(600),
    LTI_LOGIN_STATE_TTL_SECONDS: z.coerce.number().int().min(30).max(3600).default(600),
    TRUST_PROXY: trustProxy.default(false),
    ZOOM_CLIENT_ID: z.string().trim().min(1).optional(),
    ZOOM_CLIENT_SECRET: z.string().trim().min(1).optional(),
    ZOOM_REDIRECT_URL: url.optional(),
    ZOOM_WEBHOOK_SECRET_TOKEN: z.string().trim().min(1).optional(),
    ZOOM_OAUTH_URL: url.default('https://zoom.us'),
    ZOOM_API_URL: url.default('https://api.zoom.us/v2'),
    ZOOM_DEFAULT_PLAN: z.enum(['free', 'pro', 'business']).default('pro'),
    ZOOM_API_TIMEOUT_MS: z.coerce.number().int().min(1_000).max(60_000).default(10_000),
    PROVISIONING_LAUNCH_WAIT_MS: z.coerce.number().int().min(0).max(60_000).default(8_000),
    SANDBOX: z.enum(['on', 'off'], { message: 'must be on or off' }).optional(),
    ATTENDANCE_EMAIL_DOMAIN: z
      .string()
      .trim()
      .toLowerCase()
      .regex(
        /^(?=.{1,200}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/,
        'must be a domain name (e.g. registrants.tool.example), without scheme, port, path or @',
      )
      .optional(),
    REGISTRATION_ALLOWED_HOSTS: z
      .string()
      .transform((value) =>
        value
          .split(',')
          .map((host) => host.trim().toLowerCase())
          .filter(Boolean),
      )
      .pipe(
        z.array(
          z
            .string()
            .regex(
              /^(\[[0-9a-f:.]+\]|[a-z0-9.-]+)$/,
              'must be host names (or addresses) separated by commas, without scheme, port or path',
            ),
        ),
      )
      .default([]),
  })
  .superRefine((env, ctx) => {
    if (env.DATABASE_URL && !env.ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['ENCRYPTION_KEY'],
        message:
          'is required when DATABASE_URL is set (several instances must share it); generate one with `openssl rand -hex 32`',
      });
    }
    if (env.ENCRYPTION_KEY_PREVIOUS && !env.ENCRYPTION_KEY) {
      ctx.addIssue({
        code: 'custom',
        path: ['ENCRYPTION_KEY_PREVIOUS'],
        message:
          'is the key being rotated away from: set the new key as ENCRYPTION_KEY too (docs/operations.md)',
      });
    }
    if (
      env.ENCRYPTION_KEY_PREVIOUS &&
      env.ENCRYPTION_KEY &&
      decodeKey(env.ENCRYPTION_KEY_PREVIOUS)?.equals(decodeKey(env.ENCRYPTION_KEY) ?? Buffer.alloc(0))
    ) {
      ctx.addIssue({
        code: 'custom',
        path: ['ENCRYPTION_KEY_PREVIOUS'],
        message: 'is the same key as ENCRYPTION_KEY: set the new key as ENCRYPTION_KEY and the old one here',
      });
    }
    if (Boolean(env.ZOOM_CLIENT_ID) !== Boolean(env.ZOOM_CLIENT_SECRET)) {
      ctx.addIssue({
        code: 'custom',
        path: [env.ZOOM_CLIENT_ID ? 'ZOOM_CLIENT_SECRET' : 'ZOOM_CLIENT_ID'],
        message: 'ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET go together (the Marketplace OAuth app)',
      });
    }
    if (env.LTI_NONCE_TTL_SECONDS < env.LTI_TOKEN_MAX_AGE_SECONDS) {
      ctx.addIssue({
        code: 'custom',
        path: ['LTI_NONCE_TTL_SECONDS'],
        message: `must be at least LTI_TOKEN_MAX_AGE_SECONDS (${env.LTI_TOKEN_MAX_AGE_SECONDS}), or a replayed id token could pass`,
      });
    }
  });

export type Env = z.infer<typeof envSchema>;

export interface Config {
  env: Env['NODE_ENV'];
  port: number;
  host: string;
  publicUrl: string;
  dataDir: string;
  databaseUrl: string | undefined;
  databasePoolSize: number;
  /** The 32-byte master key; absent only for the embedded database, where it is generated into DATA_DIR. */
  encryptionKey: Buffer | undefined;
  /** The key being rotated away from (ENCRYPTION_KEY_PREVIOUS): values sealed under it still open until `keys rotate` re-seals them. */
  encryptionKeyPrevious?: Buffer;
  /** Bearer token for `GET /metrics`; absent = no metrics endpoint (404). */
  metricsToken?: string;
  logLevel: Env['LOG_LEVEL'];
  lti: { tokenMaxAgeSeconds: number; nonceTtlSeconds: number; loginStateTtlSeconds: number };
  /** Express's `trust proxy`: false (no proxy), a hop count, or the proxies' addresses. */
  trustProxy: false | number | string[];
  zoom: {
    /** The account-level Marketplace OAuth app; absent = schools connect with their own S2S apps only. */
    oauthApp: { clientId: string; clientSecret: string; redirectUrl: string } | undefined;
    webhookSecretToken: string | undefined;
    oauthUrl: string;
    apiUrl: string;
    defaultPlan: 'free' | 'pro' | 'business';
    /** How long one Zoom API request may take before it counts as a timeout. */
    apiTimeoutMs: number;
  };
  /** How long a launch waits for an instructor's Zoom user before the rest goes on in the background. */
  provisioningLaunchWaitMs: number;
  /** The sandbox (src/sandbox): emulated LMSs and the Zoom simulator in this process (`sandboxByDefault`). */
  sandbox: boolean;
  /** Hosts a dynamic registration may reach whatever address they resolve to (an LMS on a private network). */
  registrationAllowedHosts: string[];
  /** The domain of the secondary ids given to Zoom as registrants' emails (ATTENDANCE_EMAIL_DOMAIN). */
  attendanceEmailDomain: string;
}

/**
 * `SANDBOX` unset: on only for what a newcomer's `npm start` has (the embedded database, a
 * localhost PUBLIC_URL, NODE_ENV not production); so never under `start:prod`, the Docker image or
 * DATABASE_URL unless `SANDBOX=on` says so (allowed: its schools are flagged and kept apart).
 */
export function sandboxByDefault(
  env: Pick<Env, 'SANDBOX' | 'DATABASE_URL' | 'PUBLIC_URL' | 'NODE_ENV'>,
): boolean {
  if (env.SANDBOX) return env.SANDBOX === 'on';
  const host = new URL(env.PUBLIC_URL).hostname;
  const local = host === 'localhost' || host === '127.0.0.1' || host === '[::1]';
  return !env.DATABASE_URL && local && env.NODE_ENV !== 'production';
}

/**
 * `registrants.<PUBLIC_URL host>`: the tool's own domain (give it a null MX, RFC 7505), never the
 * school's. A PUBLIC_URL on an IP address has no such name: `registrants.invalid` (RFC 2606).
 */
export function defaultAttendanceDomain(publicUrl: string): string {
  const host = new URL(publicUrl).hostname.toLowerCase();
  return net.isIP(host.replace(/^\[|\]$/g, '')) ? 'registrants.invalid' : `registrants.${host}`;
}

export class ConfigError extends Error {
  constructor(readonly problems: { variable: string; message: string }[]) {
    super(
      'Invalid configuration:\n' +
        problems.map((problem) => `  - ${problem.variable}: ${problem.message}`).join('\n') +
        '\nSee config/.env.example for every setting.',
    );
    this.name = 'ConfigError';
  }
}

export function decodeKey(value: string): Buffer | null {
  const trimmed = value.trim();
  if (/^[0-9a-fA-F]{64}$/.test(trimmed)) return Buffer.from(trimmed, 'hex');
  if (/^[A-Za-z0-9+/_-]+={0,2}$/.test(trimmed)) {
    const bytes = Buffer.from(trimmed, 'base64');
    if (bytes.length === 32) return bytes;
  }
  return null;
}

/** Reads `.env` from `cwd` when present; variables already in `environment` take precedence. */
export function withDotenv(environment: NodeJS.ProcessEnv, cwd = process.cwd()): NodeJS.ProcessEnv {
  const file = path.join(cwd, '.env');
  if (!fs.existsSync(file)) return environment;
  return { ...parseDotenv(fs.readFileSync(file)), ...environment };
}

export function loadConfig(environment: NodeJS.ProcessEnv = withDotenv(process.env)): Config {
  const blanksRemoved = Object.fromEntries(
    Object.entries(environment).filter(([, value]) => value !== undefined && value !== ''),
  );
  const parsed = envSchema.safeParse(blanksRemoved);
  if (!parsed.success) {
    throw new ConfigError(
      parsed.error.issues.map((issue) => ({
        variable: String(issue.path[0] ?? '(environment)'),
        message: issue.message,
      })),
    );
  }
  const env = parsed.data;
  return {
    env: env.NODE_ENV,
    port: env.PORT,
    host: env.HOST,
    publicUrl: env.PUBLIC_URL,
    dataDir: path.resolve(env.DATA_DIR),
    databaseUrl: env.DATABASE_URL,
    databasePoolSize: env.DATABASE_POOL_SIZE,
    encryptionKey: env.ENCRYPTION_KEY ? (decodeKey(env.ENCRYPTION_KEY) ?? undefined) : undefined,
    encryptionKeyPrevious: env.ENCRYPTION_KEY_PREVIOUS
      ? (decodeKey(env.ENCRYPTION_KEY_PREVIOUS) ?? undefined)
      : undefined,
    metricsToken: env.METRICS_TOKEN,
    logLevel: env.LOG_LEVEL,
    lti: {
      tokenMaxAgeSeconds: env.LTI_TOKEN_MAX_AGE_SECONDS,
      nonceTtlSeconds: env.LTI_NONCE_TTL_SECONDS,
      loginStateTtlSeconds: env.LTI_LOGIN_STATE_TTL_SECONDS,
    },
    trustProxy: env.TRUST_PROXY,
    zoom: {
      oauthApp:
        env.ZOOM_CLIENT_ID && env.ZOOM_CLIENT_SECRET
          ? {
              clientId: env.ZOOM_CLIENT_ID,
              clientSecret: env.ZOOM_CLIENT_SECRET,
              redirectUrl: env.ZOOM_REDIRECT_URL ?? `${env.PUBLIC_URL}/zoom/oauth/callback`,
            }
          : undefined,
      webhookSecretToken: env.ZOOM_WEBHOOK_SECRET_TOKEN,
      oauthUrl: env.ZOOM_OAUTH_URL,
      apiUrl: env.ZOOM_API_URL,
      defaultPlan: env.ZOOM_DEFAULT_PLAN,
      apiTimeoutMs: env.ZOOM_API_TIMEOUT_MS,
    },
    provisioningLaunchWaitMs: env.PROVISIONING_LAUNCH_WAIT_MS,
    sandbox: sandboxByDefault(env),
    registrationAllowedHosts: env.REGISTRATION_ALLOWED_HOSTS,
    attendanceEmailDomain: env.ATTENDANCE_EMAIL_DOMAIN ?? defaultAttendanceDomain(env.PUBLIC_URL),
  };
}
