import cookieParser from 'cookie-parser';
import express, { type Request, type Response, type Router } from 'express';
import { randomToken } from '../shared/crypto';
import { csrfMatches, csrfToken } from '../shared/csrf';
import { errors } from '../shared/errors';
import { asyncHandler } from '../shared/http';
import { translatorFor, type Translator } from '../shared/i18n';
import type { OpenedLink, ZoomConnectLinks } from './zoom.connect-links';
import type { ConnectStarter, ZoomConnectService } from './zoom.connect.service';
import { setOAuthBinding } from './zoom.routes';
import { formatTime } from './zoom.selfcheck.presenter';

export interface ConnectLinkRouteDeps {
  links: ZoomConnectLinks;
  connect: ZoomConnectService;
  /** Key of the form tokens (CSRF). */
  formsKey: Buffer;
}

const LINK_PATH = '/zoom/connect';
/** A first-party cookie tying the link page's forms to the browser that loaded it (double submit). */
const FORM_COOKIE = 'zoom_link_form';
const FORM_COOKIE_MS = 2 * 3_600_000;

const formToken = (key: Buffer, link: OpenedLink, browser: string) =>
  csrfToken(key, `connect-link\n${link.linkId}\n${browser}`);

/**
 * The public page a connect link opens (no launch, no ltik): the school's name and the same two
 * ways to connect as the admin page. Every request re-checks the link (signature, expiry, still the
 * school's live one, school not connected) before anything else, so a bad link changes nothing.
 */
export function connectLinkRoutes(deps: ConnectLinkRouteDeps): Router {
  const router = express.Router();
  router.use(LINK_PATH, express.urlencoded({ extended: false, limit: '16kb' }), cookieParser());

  const open = async (req: Request, res: Response) => {
    res.locals.translator = translatorFor(req.acceptsLanguages('en', 'es') || undefined);
    return deps.links.open(req.params.token);
  };
  const starter = (link: OpenedLink): ConnectStarter => ({
    schoolId: link.schoolId,
    userKey: `connect-link|${link.createdBy}`,
    email: undefined,
    link: { token: link.token, linkId: link.linkId },
  });
  const assertForm = (req: Request, link: OpenedLink) => {
    const browser = (req.cookies as Record<string, unknown>)[FORM_COOKIE];
    const given = (req.body as Record<string, unknown> | undefined)?.csrf;
    if (
      typeof browser !== 'string' ||
      !csrfMatches(deps.formsKey, `connect-link\n${link.linkId}\n${browser}`, given)
    )
      throw errors.csrfInvalid();
  };

  router.get(`${LINK_PATH}/done`, (req, res) => {
    const { t, language } = translatorFor(req.acceptsLanguages('en', 'es') || undefined);
    res.render('zoom-connected', { title: t('admin.connection.connectedTitle'), t, lang: language });
  });

  router.get(
    `${LINK_PATH}/:token`,
    asyncHandler(async (req, res) => {
      const link = await open(req, res);
      const existing = (req.cookies as Record<string, unknown>)[FORM_COOKIE];
      const browser =
        typeof existing === 'string' && /^[\w-]{16,64}$/.test(existing) ? existing : randomToken(18);
      res.cookie(FORM_COOKIE, browser, {
        httpOnly: true,
        secure: true,
        sameSite: 'lax',
        path: LINK_PATH,
        maxAge: FORM_COOKIE_MS,
      });
      const translator = res.locals.translator as Translator;
      const { t } = translator;
      res.render('zoom-connect-link', {
        title: t('admin.connectLink.pageTitle', { school: link.schoolName }),
        t,
        lang: translator.language,
        schoolName: link.schoolName,
        expires: formatTime(link.expiresAt, translator),
        action: `${LINK_PATH}/${encodeURIComponent(link.token)}`,
        csrf: formToken(deps.formsKey, link, browser),
        oauthAvailable: deps.connect.oauthAvailable,
      });
    }),
  );

  router.post(
    `${LINK_PATH}/:token/oauth`,
    asyncHandler(async (req, res) => {
      const link = await open(req, res);
      assertForm(req, link);
      const { authorizeUrl, binding } = await deps.connect.beginOAuth(starter(link));
      setOAuthBinding(res, binding);
      res.redirect(303, authorizeUrl);
    }),
  );

  router.post(
    `${LINK_PATH}/:token/s2s`,
    asyncHandler(async (req, res) => {
      const link = await open(req, res);
      assertForm(req, link);
      res.locals.backUrl = `${LINK_PATH}/${encodeURIComponent(link.token)}`;
      await deps.connect.connectS2S(starter(link), req.body as Record<string, unknown>);
      res.redirect(303, `${LINK_PATH}/done`);
    }),
  );
  return router;
}
