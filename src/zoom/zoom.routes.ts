import cookieParser from 'cookie-parser';
import express, { type Response, type Router } from 'express';
import { launchOf, type LaunchContext } from '../lti';
import { errors } from '../shared/errors';
import { asyncHandler } from '../shared/http';
import { translatorFor, type Translator } from '../shared/i18n';
import { ReturnableError } from './zoom.connect.errors';
import type { SchoolAdmin, ZoomConnectService } from './zoom.connect.service';
import { assertCanManageZoom } from './zoom.policy';
import { connectionPageModel } from './zoom.presenter';

export interface ZoomRouteDeps {
  connect: ZoomConnectService;
  /** The school a launch belongs to (through its registration). */
  schoolOf(launch: LaunchContext): Promise<{ id: string; name: string }>;
}

const CALLBACK_PATH = '/zoom/oauth/callback';

const back = (ltik: string, notice?: string) =>
  `/lti/zoom?ltik=${encodeURIComponent(ltik)}${notice ? `&notice=${encodeURIComponent(notice)}` : ''}`;

async function adminFrom(deps: ZoomRouteDeps, res: Response): Promise<SchoolAdmin & { schoolName: string }> {
  const launch = launchOf(res);
  res.locals.translator = translatorFor(launch.locale);
  assertCanManageZoom(launch);
  const school = await deps.schoolOf(launch);
  return {
    schoolId: school.id,
    schoolName: school.name,
    userKey: `${launch.issuer}|${launch.userId}`,
    email: launch.email,
    ltik: launch.ltik,
  };
}

/** The school admin's Zoom connection page and its actions (behind the launch: ltik required). */
export function zoomAdminRoutes(deps: ZoomRouteDeps): Router {
  const router = express.Router();
  router.get(
    '/zoom',
    asyncHandler(async (req, res) => {
      const admin = await adminFrom(deps, res);
      const view = await deps.connect.view(admin.schoolId);
      res.render(
        'zoom-connection',
        connectionPageModel(
          view,
          admin,
          deps.connect.oauthAvailable,
          req.query.notice,
          res.locals.translator as Translator,
        ),
      );
    }),
  );
  router.post(
    '/zoom/oauth',
    asyncHandler(async (_req, res) => {
      const admin = await adminFrom(deps, res);
      const { authorizeUrl, binding } = await deps.connect.beginOAuth(admin);
      // This answer is a top-level page (the form opens a new window), so the cookie is first-party;
      // Lax: it comes back on Zoom's top-level redirect to the callback, and with nothing cross-site else.
      res.cookie(binding.cookieName, binding.value, {
        httpOnly: true,
        secure: true,
        sameSite: 'lax',
        path: CALLBACK_PATH,
        maxAge: binding.maxAgeMs,
      });
      res.redirect(303, authorizeUrl);
    }),
  );
  router.post(
    '/zoom/s2s',
    asyncHandler(async (req, res) => {
      const admin = await adminFrom(deps, res);
      await deps.connect.connectS2S(admin, req.body as Record<string, unknown>);
      res.redirect(303, back(admin.ltik, 'connected'));
    }),
  );
  router.post(
    '/zoom/disconnect',
    asyncHandler(async (_req, res) => {
      const admin = await adminFrom(deps, res);
      const { revokedAtZoom } = await deps.connect.disconnect(admin.schoolId);
      res.redirect(303, back(admin.ltik, revokedAtZoom ? 'disconnected' : 'disconnected-locally'));
    }),
  );
  return router;
}

/** Zoom's redirect after consent: a public URL (no ltik on the way back from Zoom). */
export function zoomCallbackRoutes(connect: ZoomConnectService): Router {
  const router = express.Router();
  router.get(CALLBACK_PATH, cookieParser(), (req, res, next) => {
    const cookies = req.cookies as Record<string, unknown>;
    connect
      .completeOAuth(req.query as Record<string, unknown>, (name) => {
        const value = cookies[name];
        if (typeof value !== 'string') return undefined;
        res.clearCookie(name, { path: CALLBACK_PATH, secure: true, sameSite: 'lax' });
        return value;
      })
      .then(({ returnLtik }) => {
        // No launch here (Zoom sent the browser back): its own language, from Accept-Language.
        const { t, language } = translatorFor(req.acceptsLanguages('en', 'es') || undefined);
        res.render('zoom-connected', {
          title: t('admin.connection.connectedTitle'),
          t,
          lang: language,
          backUrl: back(returnLtik, 'connected'),
        });
      })
      .catch((error: unknown) => {
        if (error instanceof ReturnableError) res.locals.backUrl = back(error.returnLtik);
        next(error instanceof Error ? error : errors.internal());
      });
  });
  return router;
}
