import crypto from 'node:crypto';
import type { CookieOptions, Request, RequestHandler, Response } from 'express';
import { randomToken, timingSafeEqualText } from '../shared/crypto';
import { errors } from '../shared/errors';
import type { OperatorSession, OperatorSessions } from './admin.sessions';

/**
 * The console's doors: its cookies, the session guard and the form tokens.
 *
 * - Cookies are `HttpOnly; Secure; SameSite=Strict`. Behind HTTPS the session cookie is
 *   `__Host-zoom_admin` (which the browser accepts only with `Path=/` and no Domain: no subdomain
 *   or other path can set or shadow it); on plain-HTTP development (localhost) `zoom_admin` with
 *   `Path=/admin`.
 * - Every POST carries a form token bound to the session (HMAC of its id), or before sign-in to a
 *   random sign-in cookie; a post without it changes nothing.
 */
export interface ConsoleCookies {
  session: string;
  login: string;
  options: CookieOptions;
}

export function consoleCookies(publicUrl: string): ConsoleCookies {
  const https = publicUrl.startsWith('https://');
  return {
    session: https ? '__Host-zoom_admin' : 'zoom_admin',
    login: https ? '__Host-zoom_admin_login' : 'zoom_admin_login',
    options: { httpOnly: true, secure: true, sameSite: 'strict', path: https ? '/' : '/admin' },
  };
}

export function formToken(key: Buffer, purpose: 'session' | 'login', subject: string): string {
  return crypto.createHmac('sha256', key).update(`operator-${purpose}\n${subject}`).digest('base64url');
}

export function formTokenMatches(key: Buffer, purpose: 'session' | 'login', subject: string, given: unknown) {
  return typeof given === 'string' && timingSafeEqualText(given, formToken(key, purpose, subject));
}

export function operatorOf(res: Response): OperatorSession {
  const session = res.locals.operator as OperatorSession | undefined;
  if (!session) throw errors.operatorLoginRequired();
  return session;
}

/** The browser's sign-in cookie, made when missing: the login form's token is bound to it. */
export function loginSubject(req: Request, res: Response, cookies: ConsoleCookies): string {
  const current = (req.cookies as Record<string, unknown>)[cookies.login];
  if (typeof current === 'string' && /^[A-Za-z0-9_-]{43}$/.test(current)) return current;
  const fresh = randomToken(32);
  res.cookie(cookies.login, fresh, cookies.options);
  return fresh;
}

/**
 * Every console page needs a live session: a browser asking for a page is sent to the sign-in page;
 * anything else (a form post, a JSON client) is answered 401.
 */
export function requireOperator(sessions: OperatorSessions, cookies: ConsoleCookies): RequestHandler {
  return (req, res, next) => {
    const id = (req.cookies as Record<string, unknown>)[cookies.session];
    sessions
      .check(typeof id === 'string' ? id : undefined)
      .then((session) => {
        if (session) {
          res.locals.operator = session;
          return next();
        }
        if (typeof id === 'string') res.clearCookie(cookies.session, cookies.options);
        if (req.method === 'GET' && req.accepts(['html', 'json']) === 'html') {
          return res.redirect(303, '/admin/login');
        }
        next(errors.operatorLoginRequired());
      })
      .catch(next);
  };
}

/** Refuses a POST whose form token is not the session's. */
export function requireFormToken(key: Buffer): RequestHandler {
  return (req, res, next) => {
    const session = operatorOf(res);
    const given = (req.body as Record<string, unknown> | undefined)?._csrf;
    if (!formTokenMatches(key, 'session', session.id, given)) return next(errors.operatorCsrfInvalid());
    next();
  };
}

/** The console is never framed, cached or indexed. */
export const consoleHeaders: RequestHandler = (_req, res, next) => {
  const policy = res.getHeader('Content-Security-Policy');
  const withoutFraming = "frame-ancestors 'none'";
  res.setHeader(
    'Content-Security-Policy',
    typeof policy === 'string'
      ? policy.replace(/frame-ancestors[^;]*/, withoutFraming)
      : `default-src 'self'; ${withoutFraming}`,
  );
  res.setHeader('X-Frame-Options', 'DENY');
  res.setHeader('Cache-Control', 'no-store');
  res.setHeader('X-Robots-Tag', 'noindex');
  next();
};
