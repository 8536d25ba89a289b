import express, { type Request, type Response, type Router } from 'express';
import { errors } from '../shared/errors';
import { asyncHandler } from '../shared/http';
import { translatorFor, type Translator } from '../shared/i18n';
import { frameFor } from '../web';
import {
  clientStoreEntries,
  COOKIES_KEPT_COOKIE,
  COOKIES_KEPT_MAX_AGE_MS,
  relaunchQuery,
  stateCookieName,
  type LoginChecks,
} from './lti.client-state';
import type { LaunchChecks, LoginRedirect } from './lti.checks';

export interface LoginRouteOptions {
  checks: LaunchChecks;
  /** Signs the probe's hop (see `LoginChecks`). */
  loginChecks: LoginChecks;
  now?: () => number;
}

/** A cookie that must come back from a cross-site frame: SameSite=None, and Partitioned (CHIPS). */
const crossSiteCookie = (maxAgeMs: number) =>
  ({
    signed: true,
    httpOnly: true,
    secure: true,
    sameSite: 'none',
    partitioned: true,
    maxAge: maxAgeMs,
  }) as express.CookieOptions;

function setStateCookie(res: Response, login: LoginRedirect): void {
  // ltijs reads this signed cookie back at launch (`state<state>` = issuer).
  res.cookie(stateCookieName(login.state), login.issuer, crossSiteCookie(login.stateTtlSeconds * 1000));
}

/**
 * The language of the pages (and refusals) before any launch: the LMS sends none at login, so the
 * browser's (`Accept-Language`), which is the LMS's own language for its users; else English.
 */
function loginTranslator(req: Request, res: Response): Translator {
  const translator = translatorFor(req.acceptsLanguages('en', 'es') || undefined);
  res.locals.translator = translator;
  return translator;
}

/**
 * The OIDC login (third-party initiated), ours rather than ltijs': ltijs makes its nonce with
 * Math.random and never checks it. How the state comes back is planned in `lti.client-state.ts`.
 * Mounted before ltijs, which lets `/login` through untouched; these pages come before any launch,
 * so they speak the browser's language (`loginTranslator`).
 */
export function loginRoutes(options: LoginRouteOptions): Router {
  const now = options.now ?? Date.now;
  const router = express.Router();

  router.all(
    '/login',
    asyncHandler(async (req, res) => {
      loginTranslator(req, res);
      const login = await options.checks.beginLogin(
        { ...req.query, ...(req.body as Record<string, unknown>) },
        {
          destination: req.get('sec-fetch-dest'),
          cookiesKept: (req.signedCookies as Record<string, unknown>)[COOKIES_KEPT_COOKIE] === '1',
        },
      );
      setStateCookie(res, login);
      const { plan } = login;
      if (plan.kind === 'redirect') return res.redirect(302, login.redirectUrl);
      if (plan.kind === 'probe') {
        const sealed = options.loginChecks.seal({
          state: login.state,
          redirectUrl: login.redirectUrl,
          relaunch: relaunchQuery(login.params),
          expiresAt: now() + login.stateTtlSeconds * 1000,
        });
        return res.redirect(302, `${req.baseUrl}/login/check?c=${encodeURIComponent(sealed)}`);
      }
      res.set('Cache-Control', 'no-store');
      res.render('login-continue', {
        title: 'Opening Zoom',
        store: plan.store,
        entries: JSON.stringify(clientStoreEntries(login.state, login.nonce)),
        next: login.redirectUrl,
      });
    }),
  );

  // The probe's hop, in the same frame: did the state cookie the login just set come back?
  router.get('/login/check', (req: Request, res: Response, next) => {
    const translator = loginTranslator(req, res);
    const check = options.loginChecks.open(req.query.c, now());
    if (!check) {
      return next(
        errors.loginInvalid(
          'This sign-in step is broken or has expired (it works only for a few minutes after you clicked).',
        ),
      );
    }
    res.set('Cache-Control', 'no-store');
    // This step is in the LMS's frame: that LMS (named in the signed check) may frame its answer.
    if (check.relaunch.iss) frameFor(res, { issuer: check.relaunch.iss, clientId: check.relaunch.client_id });
    const cookies = req.signedCookies as Record<string, unknown>;
    if (typeof cookies[stateCookieName(check.state)] === 'string') {
      // Cookies work in this frame: later logins here skip this hop.
      res.cookie(COOKIES_KEPT_COOKIE, '1', crossSiteCookie(COOKIES_KEPT_MAX_AGE_MS));
      return res.redirect(302, check.redirectUrl);
    }
    // The LMS's login hint is not spent yet (the LMS was not asked): a new window can log in again.
    res.render('login-new-window', {
      lang: translator.language,
      title: translator.t('errors.lti_cookies_blocked.title'),
      detail: translator.t('errors.lti_cookies_blocked.detail'),
      nextStep: translator.t('errors.lti_cookies_blocked.next'),
      labels: {
        whatToDo: translator.t('errors.whatToDo'),
        open: translator.t('errors.lti_cookies_blocked.open'),
        opensWindow: translator.t('errors.lti_cookies_blocked.opensWindow'),
      },
      relaunchUrl: `${req.baseUrl}/login?${new URLSearchParams(check.relaunch).toString()}`,
    });
  });

  return router;
}
