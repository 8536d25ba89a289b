import type { Request, RequestHandler, Response } from 'express';
import helmet from 'helmet';
import { decodeJwt } from 'jose';

/** Who a request speaks for: the LMS's issuer and, when known, the registration's client id. */
export interface LaunchHint {
  issuer: string;
  clientId?: string;
}

/** The LMS origins of the school a launch belongs to (tenants' `FrameAncestors`). */
export interface FramePolicy {
  forLaunch(hint: LaunchHint): string[];
}

const POLICY_LOCAL = 'framePolicy';
const TOLD_LOCAL = 'frameLaunch';

/**
 * Security headers. A page may be framed (CSP `frame-ancestors`) and post its forms (`form-action`)
 * to the LMS origins of the school of its own launch, and nobody else's:
 * - a request with a verified launch (ltijs checked its ltik, or its id token), or whose route
 *   verified which LMS it is for (`frameFor`) → that launch's school;
 * - under `/lti/`, before or without one (the login, the launch, a refused ltik), the LMS the request
 *   names: only LTI pages, which act on nothing by cookie, so a forged name frames an error at most;
 * - a route may add an origin to its own answer's header (the registration page: the LMS that opened it);
 * - anything else: `'self'` only. The operator console narrows it further (`'none'`).
 * The policy is written when the headers are, so it knows what the request turned out to be.
 * Everything else is strict: our own scripts, styles and images only.
 */
export function securityHeaders(options: {
  publicUrl: string;
  /** The LMS origins of each school (cached by its owner: it is read for every request). */
  frameAncestors: () => Promise<FramePolicy>;
  /** Origins our forms may lead to through a redirect (Zoom's consent page). */
  formActionOrigins?: string[];
}): RequestHandler[] {
  const https = options.publicUrl.startsWith('https://');
  const loadPolicy: RequestHandler = (req, res, next) => {
    options
      .frameAncestors()
      .then((policy) => {
        res.locals[POLICY_LOCAL] = policy;
        writeFramingOnHeaders(req, res);
        next();
      })
      .catch(next);
  };
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        // Zoom's consent page; the launch's LMS is added per answer (a deep-linking answer posts to it).
        formAction: ["'self'", ...(options.formActionOrigins ?? [])],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: ["'self'"],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // frame-ancestors governs framing; X-Frame-Options cannot list several origins.
    frameguard: false,
    strictTransportSecurity: https ? { maxAge: 15552000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  return [loadPolicy, headers];
}

/** Adds the launch's LMS origins to the policy just before the headers leave. */
function writeFramingOnHeaders(req: Request, res: Response): void {
  const writeHead = res.writeHead as (...args: unknown[]) => Response;
  res.writeHead = function writeHeadWithFraming(this: Response, ...args: unknown[]) {
    const policy = res.getHeader('Content-Security-Policy');
    if (typeof policy === 'string') {
      const origins = framingOrigins(req, res);
      if (origins.length > 0) res.setHeader('Content-Security-Policy', withOrigins(policy, origins));
    }
    return writeHead.apply(this, args);
  } as typeof res.writeHead;
}

function framingOrigins(req: Request, res: Response): string[] {
  const policy = res.locals[POLICY_LOCAL] as FramePolicy | undefined;
  const hint = launchHintOf(req, res);
  return hint && policy ? policy.forLaunch(hint) : [];
}

/** `frame-ancestors 'self'` (not the console's `'none'`) and `form-action` gain the origins. */
function withOrigins(policy: string, origins: string[]): string {
  const add = (directive: string) => {
    const present = new Set(directive.split(/\s+/));
    return [directive, ...origins.filter((origin) => !present.has(origin))].join(' ');
  };
  return policy
    .replace(/frame-ancestors 'self'[^;]*/, add)
    .replace(/form-action [^;]*/, (directive) => (directive.includes("'none'") ? directive : add(directive)));
}

/** A route that verified which LMS its answer is for (a signed step of the login) says so. */
export function frameFor(res: Response, launch: LaunchHint): void {
  res.locals[TOLD_LOCAL] = launch;
}

function launchHintOf(req: Request, res: Response): LaunchHint | undefined {
  // ltijs verified the launch (its ltik, or its id token at the launch URL).
  const token = res.locals.token as { iss?: unknown; clientId?: unknown } | undefined;
  if (typeof token?.iss === 'string') return hint(token.iss, token.clientId);
  const told = res.locals[TOLD_LOCAL] as LaunchHint | undefined;
  if (told) return hint(told.issuer, told.clientId);
  if (!req.originalUrl.startsWith('/lti/')) return undefined;
  const body = (req.body ?? {}) as Record<string, unknown>;
  const query = req.query as Record<string, unknown>;
  const named = body.iss ?? query.iss;
  if (typeof named === 'string') return hint(named, body.client_id ?? query.client_id);
  const idToken = claimsOf(body.id_token);
  if (idToken) return hint(idToken.iss, idToken.azp ?? idToken.aud);
  const ltik = claimsOf(query.ltik ?? body.ltik ?? bearerOf(req));
  if (ltik) return hint(ltik.platformUrl, ltik.clientId);
  return undefined;
}

function hint(issuer: unknown, clientId: unknown): LaunchHint | undefined {
  if (typeof issuer !== 'string' || issuer === '') return undefined;
  return typeof clientId === 'string' ? { issuer, clientId } : { issuer };
}

/** A JWT's claims, unverified: only to choose which LMS may frame an LTI error page. */
function claimsOf(value: unknown): Record<string, unknown> | undefined {
  if (typeof value !== 'string') return undefined;
  try {
    return decodeJwt(value);
  } catch {
    return undefined;
  }
}

function bearerOf(req: Request): string | undefined {
  return /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1];
}
