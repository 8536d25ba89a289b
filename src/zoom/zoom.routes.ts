import cookieParser from 'cookie-parser';
import express, { type Request, type Response, type Router } from 'express';
import { IANAZone } from 'luxon';
import { randomToken } from '../shared/crypto';
import { errors } from '../shared/errors';
import { asyncHandler } from '../shared/http';
import { translatorFor } from '../shared/i18n';
import { parseInput } from '../shared/validation';
import { requestContext, type LaunchRequestContext } from '../web';
import { ReturnableError, type ReturnTo } from './zoom.connect.errors';
import type { ZoomConnectLinks } from './zoom.connect-links';
import { connectLinkForm, disconnectForm, selfCheckForm } from './zoom.connect.schema';
import type { SchoolAdmin, ZoomConnectService } from './zoom.connect.service';
import { assertCanManageZoom } from './zoom.policy';
import { connectionPageModel, disconnectPageModel, type ProvisioningSettingsView } from './zoom.presenter';
import type { ZoomSelfCheck } from './zoom.selfcheck';
import { selfCheckModel } from './zoom.selfcheck.presenter';

export interface ZoomRouteDeps {
  connect: ZoomConnectService;
  selfCheck: ZoomSelfCheck;
  links: ZoomConnectLinks;
  /** The school's provisioning settings, shown on the page (the provisioning capability owns them). */
  settingsOf?(schoolId: string): Promise<ProvisioningSettingsView>;
  /** The school's meetings whose host left, listed on the page (the meetings capability finds them). */
  orphansOf?(schoolId: string): Promise<SchoolOrphanView[]>;
}

/** A meeting without a host, as the admin page lists it. */
export interface SchoolOrphanView {
  topic: string;
  courseTitle: string;
  contextId: string;
  hostName: string;
  reason: string | null;
  lostAt: Date | null;
}

const CALLBACK_PATH = '/zoom/oauth/callback';
/** The admin page's test cookie: set like the launch's state cookie, it shows whether this browser keeps ours in the frame. */
export const PROBE_COOKIE = 'zoom_selfcheck';

const back = (ltik: string, notice?: string) =>
  `/lti/zoom?ltik=${encodeURIComponent(ltik)}${notice ? `&notice=${encodeURIComponent(notice)}` : ''}`;

const backTo = (returnTo: ReturnTo, notice?: string) =>
  'ltik' in returnTo
    ? back(returnTo.ltik, notice)
    : `/zoom/connect/${encodeURIComponent(returnTo.linkToken)}`;

type Admin = SchoolAdmin & { schoolName: string; timeZone?: string; context: LaunchRequestContext };

/** The zone the viewer's browser sent (`tz`, as on the course page), when it is one. */
function viewerZone(req: Request): string | undefined {
  const tz = (req.query.tz ?? (req.body as Record<string, unknown> | undefined)?.tz) as unknown;
  return typeof tz === 'string' && IANAZone.isValidZone(tz) ? tz : undefined;
}

/**
 * The school administrator behind this request (the request's launch context, then the policy);
 * a form must also carry this session's form token, checked before anything changes.
 */
function adminFrom(res: Response, form?: Request): Admin {
  const context = requestContext(res);
  const { launch, school } = context;
  assertCanManageZoom(launch);
  if (form) context.assertForm(form.body);
  return {
    schoolId: school.id,
    schoolName: school.name,
    timeZone: school.timeZone,
    userKey: `${launch.issuer}|${launch.userId}`,
    email: launch.email,
    ltik: launch.ltik,
    context,
  };
}

/**
 * The cookie that ties Zoom's consent to the browser that asked for it. The page that sets it is a
 * top-level page (the admin's form opens a new window; a connect link is opened at top level), so
 * it is first-party; Lax: it comes back on Zoom's top-level redirect to the callback, and with
 * nothing cross-site else.
 */
export function setOAuthBinding(
  res: Response,
  binding: { cookieName: string; value: string; maxAgeMs: number },
): void {
  res.cookie(binding.cookieName, binding.value, {
    httpOnly: true,
    secure: true,
    sameSite: 'lax',
    path: CALLBACK_PATH,
    maxAge: binding.maxAgeMs,
  });
}

/**
 * The consent window's own pages (the redirect to Zoom, the page Zoom sends it back to) let it keep
 * its opener, the admin page in the LMS frame, so the connected page can tell it (a message to our
 * own origin only). Our default, `same-origin`, would cut that link when they load: the page would
 * then only learn it by polling.
 */
function keepOpener(res: Response): void {
  res.setHeader('Cross-Origin-Opener-Policy', 'unsafe-none');
}

/** The school admin's Zoom page: connection, settings, self-check, connect link (behind the launch: ltik required). */
export function zoomAdminRoutes(deps: ZoomRouteDeps): Router {
  const router = express.Router();

  const render = async (
    req: Request,
    res: Response,
    launchAdmin: Admin,
    extra: { selfCheck?: Parameters<typeof connectionPageModel>[0]['selfCheck'] } = {},
  ) => {
    // Times in the viewer's zone (their browser's), else the school's.
    const tz = viewerZone(req);
    const admin = tz ? { ...launchAdmin, timeZone: tz } : launchAdmin;
    const [view, settings, link, orphans] = await Promise.all([
      deps.connect.view(admin.schoolId),
      deps.settingsOf?.(admin.schoolId),
      deps.links.current(admin.schoolId),
      deps.orphansOf?.(admin.schoolId),
    ]);
    // A fresh test cookie on every rendering, sent back by the self-check form's next run.
    const probe = randomToken(12);
    res.cookie(PROBE_COOKIE, probe, {
      httpOnly: true,
      secure: true,
      sameSite: 'none',
      partitioned: true,
      path: '/lti/zoom',
      maxAge: 3_600_000,
    } as express.CookieOptions);
    res.render('zoom-connection', {
      orphans,
      ...connectionPageModel({
        view,
        admin,
        oauthAvailable: deps.connect.oauthAvailable,
        notice: req.query.notice,
        translator: admin.context.translator,
        settings,
        link: view.status === 'connected' ? undefined : link,
        selfCheck: extra.selfCheck,
        csrf: admin.context.csrf,
        probe,
        tz,
      }),
    });
  };

  router.get(
    '/zoom',
    asyncHandler(async (req, res) => {
      await render(req, res, adminFrom(res));
    }),
  );
  router.post(
    '/zoom/self-check',
    asyncHandler(async (req, res) => {
      const admin = adminFrom(res, req);
      const { probe } = parseInput(selfCheckForm, req.body);
      const cookies = (req.cookies ?? {}) as Record<string, unknown>;
      const cookie = cookies[PROBE_COOKIE];
      const verdicts = await deps.selfCheck.run({
        schoolId: admin.schoolId,
        email: admin.email,
        platform: admin.context.launch.platform.productFamily,
        stateCheck: admin.context.launch.stateCheck,
        cookie: {
          cameBack: typeof cookie === 'string' && probe !== undefined && cookie === probe,
          anyOfOurs: typeof cookie === 'string',
        },
      });
      await render(req, res, admin, {
        selfCheck: selfCheckModel(
          verdicts,
          admin.context.translator,
          new Date(),
          viewerZone(req) ?? admin.timeZone,
        ),
      });
    }),
  );
  // The admin page polls this while Zoom's consent is open in its own window (where that window
  // cannot tell the page itself): the launch's school only, and only what the page shows.
  router.get(
    '/zoom/status',
    asyncHandler(async (_req, res) => {
      const admin = adminFrom(res);
      const { status } = await deps.connect.view(admin.schoolId);
      res.set('Cache-Control', 'no-store').json({ status });
    }),
  );
  router.post(
    '/zoom/connect-link',
    asyncHandler(async (req, res) => {
      const admin = adminFrom(res, req);
      const { days } = parseInput(connectLinkForm, req.body);
      await deps.links.create({ schoolId: admin.schoolId, createdBy: admin.userKey, days });
      res.redirect(303, `${back(admin.ltik, 'link-created')}#connect-link-heading`);
    }),
  );
  router.post(
    '/zoom/connect-link/withdraw',
    asyncHandler(async (req, res) => {
      const admin = adminFrom(res, req);
      await deps.links.withdraw(admin.schoolId);
      res.redirect(303, back(admin.ltik, 'link-withdrawn'));
    }),
  );
  router.post(
    '/zoom/oauth',
    asyncHandler(async (req, res) => {
      const admin = adminFrom(res, req);
      const { authorizeUrl, binding } = await deps.connect.beginOAuth(admin);
      setOAuthBinding(res, binding);
      keepOpener(res);
      res.redirect(303, authorizeUrl);
    }),
  );
  router.post(
    '/zoom/s2s',
    asyncHandler(async (req, res) => {
      const admin = adminFrom(res, req);
      await deps.connect.connectS2S(admin, req.body as Record<string, unknown>);
      res.redirect(303, back(admin.ltik, 'connected'));
    }),
  );
  router.get(
    '/zoom/disconnect',
    asyncHandler(async (_req, res) => {
      const admin = adminFrom(res);
      if ((await deps.connect.view(admin.schoolId)).status !== 'connected')
        return res.redirect(303, back(admin.ltik));
      const { translator, csrf } = admin.context;
      res.render('zoom-disconnect', disconnectPageModel({ ...admin, translator, csrf }));
    }),
  );
  router.post(
    '/zoom/disconnect',
    asyncHandler(async (req, res) => {
      const admin = adminFrom(res, req);
      // Without the confirmation page's answer, nothing changes: the admin is asked first.
      if (!parseInput(disconnectForm, req.body).confirm) {
        return res.redirect(303, `/lti/zoom/disconnect?ltik=${encodeURIComponent(admin.ltik)}`);
      }
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
    // No launch here (Zoom sent the browser back): its own language, from Accept-Language.
    const translator = translatorFor(req.acceptsLanguages('en', 'es') || undefined);
    res.locals.translator = translator;
    connect
      .completeOAuth(req.query as Record<string, unknown>, (name) => {
        const value = cookies[name];
        if (typeof value !== 'string') return undefined;
        res.clearCookie(name, { path: CALLBACK_PATH, secure: true, sameSite: 'lax' });
        return value;
      })
      .then(({ returnTo }) => {
        const { t, language } = translator;
        keepOpener(res);
        res.render('zoom-connected', {
          title: t('admin.connection.connectedTitle'),
          t,
          lang: language,
          // Through a connect link there is no way into the tool: the LMS admin sees it on their page.
          backUrl: 'ltik' in returnTo ? backTo(returnTo, 'connected') : undefined,
        });
      })
      .catch((error: unknown) => {
        if (error instanceof ReturnableError) res.locals.backUrl = backTo(error.returnTo);
        next(error instanceof Error ? error : errors.internal());
      });
  });
  return router;
}
