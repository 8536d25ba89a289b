import crypto from 'node:crypto';
import path from 'node:path';
import express, { type Express } from 'express';
import pinoHttp from 'pino-http';
import type { Logger } from 'pino';
import type { Config } from './config';
import { buildServices, VIEWS_DIR, type Services } from './services';
import { errorHandler, notFoundHandler } from './shared/errors';
import { provisioningRoutes } from './provisioning';
import { connectLinkRoutes, zoomAdminRoutes, zoomCallbackRoutes, zoomWebhookRoutes } from './zoom';
import { redactUrl } from './shared/logger';
import type { Database } from './storage';
import { faviconRoute, healthRoutes, launchContext, pageHeaders, securityHeaders } from './web';
import { adminRoutes, consoleCookies } from './admin';
import { metricsRoutes } from './metrics';
import {
  calendarRoutes,
  handoverRoutes,
  importRoutes,
  meetingRoutes,
  nextTermRoutes,
  recordingRoutes,
} from './meetings';
import { attendanceRoutes, joinRoutes } from './attendance';
import { canvasConfigurationRoutes, registrationRoutes, type ToolKeyPairSource } from './lti';
import { productHomeRoutes, type Sandbox } from './sandbox';

export interface AppDeps {
  config: Config;
  database: Database;
  logger: Logger;
  masterKey: Buffer;
  /** The operator console's clock (tests move it to expire sessions). */
  now?: () => number;
  /** The running sandbox (server.ts starts it when SANDBOX is on): its pages are mounted, `/` is its home. */
  sandbox?: Pick<Sandbox, 'routes'>;
  /** Where the tool's key pair for a newly registered platform comes from (tests hand out pre-made ones). */
  toolKeyPairs?: ToolKeyPairSource;
  /** How long launches keep what they read of registrations (tests shorten LAUNCH_CACHE_TTL_MS). */
  launchCacheTtlMs?: number;
}

export interface BuiltApp extends Services {
  app: Express;
}

const REQUEST_ID = /^[A-Za-z0-9._-]{1,64}$/;

/** Builds the Express app without listening (server.ts listens; tests use supertest). */
export async function buildApp(deps: AppDeps): Promise<BuiltApp> {
  const { config, logger } = deps;
  const services = await buildServices(deps);
  const app = express();
  app.disable('x-powered-by');
  app.set('trust proxy', config.trustProxy);
  app.set('views', VIEWS_DIR);
  app.set('view engine', 'ejs');
  // Templates are compiled once, whatever NODE_ENV says (Express caches them only in production).
  app.set('view cache', true);

  app.use(
    pinoHttp({
      logger: logger.child({ category: 'http' }),
      genReqId: (req, res) => {
        const incoming = req.headers['x-request-id'];
        const id = typeof incoming === 'string' && REQUEST_ID.test(incoming) ? incoming : crypto.randomUUID();
        res.setHeader('x-request-id', id);
        return id;
      },
      serializers: {
        req: (req: { id: unknown; method: string; url: string }) => ({
          id: req.id,
          method: req.method,
          url: redactUrl(req.url),
        }),
        res: (res: { statusCode: number }) => ({ statusCode: res.statusCode }),
      },
      autoLogging: { ignore: (req) => ['/healthz', '/readyz', '/metrics'].includes(req.url ?? '') },
    }),
  );
  // Zoom's webhooks read the raw body for the signature: mounted before any body parser.
  app.use(
    zoomWebhookRoutes(services.zoom.webhooks, {
      logger: logger.child({ category: 'zoom-webhooks' }),
      onDelivery: (delivery) => services.metrics.webhookDelivery(delivery),
    }),
  );
  app.use(
    ...securityHeaders({
      publicUrl: config.publicUrl,
      frameAncestors: () => services.tenants.frameAncestors(),
      formActionOrigins: [new URL(config.zoom.oauthUrl).origin],
    }),
  );
  // Every page's header (views/partials/header.ejs): the product, the launch's course and school, SANDBOX.
  app.use(pageHeaders({ sandbox: deps.sandbox !== undefined }));
  app.use('/assets', express.static(path.join(VIEWS_DIR, 'assets'), { maxAge: '1h', index: false }));
  app.use(faviconRoute(path.join(VIEWS_DIR, 'assets')));
  app.use(healthRoutes(services.ready));
  app.use(metricsRoutes({ metrics: services.metrics, token: config.metricsToken }));

  // Every route behind the ltik reads its launch, school, language and form token from here; a
  // session whose registration or deployment was deactivated since its launch goes no further.
  services.lti.protectedRouter.use(
    launchContext({ schoolOfActiveLaunch: services.schoolOfActiveLaunch, formsKey: services.keys.forms }),
  );
  services.lti.protectedRouter.use(
    meetingRoutes({
      meetings: services.meetings.service,
      pages: services.meetings.pages,
      lti: services.lti,
      coursePage: services.coursePage,
      panels: services.meetings.panels,
      recordings: services.meetings.recordings,
    }),
  );
  services.lti.protectedRouter.use(
    importRoutes({ imports: services.meetings.imports, meetings: services.meetings.service }),
  );
  services.lti.protectedRouter.use(
    nextTermRoutes({ nextTerm: services.meetings.nextTerm, now: () => services.meetings.service.now() }),
  );
  services.lti.protectedRouter.use(handoverRoutes({ handover: services.meetings.handover }));
  // Recordings: students watch through our own link; staff hide (revoke at Zoom) and show them.
  services.lti.protectedRouter.use(recordingRoutes({ hiding: services.meetings.recordings }));
  services.lti.protectedRouter.use(
    zoomAdminRoutes({
      connect: services.zoom.connect,
      selfCheck: services.zoom.selfCheck,
      links: services.zoom.links,
      settingsOf: (schoolId) => services.provisioning.settings(schoolId),
      orphansOf: (schoolId) => services.meetings.handover.schoolOrphans(schoolId),
    }),
  );
  services.lti.protectedRouter.use(provisioningRoutes({ provisioning: services.provisioning }));
  // Attendance: the student's Join through their own link; the instructor's and the student's pages.
  services.lti.protectedRouter.use(joinRoutes({ join: services.attendance.join }));
  services.lti.protectedRouter.use(attendanceRoutes({ pages: services.attendance.pages }));
  app.use(zoomCallbackRoutes(services.zoom.connect));
  app.use(
    connectLinkRoutes({
      links: services.zoom.links,
      connect: services.zoom.connect,
      formsKey: services.keys.forms,
    }),
  );
  app.use(
    calendarRoutes({
      meetings: services.meetings.service,
      feedKey: services.keys.feeds,
      publicUrl: config.publicUrl,
    }),
  );
  app.use('/lti', canvasConfigurationRoutes(config.publicUrl));
  app.use(
    '/lti',
    registrationRoutes({
      invites: services.invites,
      tenants: services.tenants,
      publicUrl: config.publicUrl,
      allowedHosts: config.registrationAllowedHosts,
      logger: logger.child({ category: 'lti' }),
    }),
  );
  app.use('/lti', services.lti.router);
  app.use(
    '/admin',
    adminRoutes({
      admin: services.admin,
      cookies: consoleCookies(config.publicUrl),
      formsKey: services.keys.forms,
      now: deps.now ?? Date.now,
    }),
  );
  // With the sandbox off nothing of it is mounted: `/` is the product page, /sandbox/* answers 404.
  app.use(deps.sandbox ? deps.sandbox.routes(services) : productHomeRoutes(config.publicUrl));

  app.use(notFoundHandler());
  app.use(
    errorHandler(logger.child({ category: 'errors' }), {
      recordSchoolError: (record) => services.admin.recordSchoolError(record),
    }),
  );
  return { app, ...services };
}
