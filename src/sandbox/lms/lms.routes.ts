import express, {
  type Express,
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
} from 'express';
import { NRPS_MEDIA_TYPE, type LmsProfile } from './lms.profiles';
import { coursePageQuerySchema } from './lms.schema';
import { RegistrationError, type RegistrationFlow } from './lms.registration';
import { NRPS_SCOPE, OAuthError, ServiceError, type LtiServices } from './lms.services';
import type { CourseActivities } from './lms.activities';
import { mountAgsRoutes, seesGradebook, type AgsRouteHost } from './lms.ags.routes';
import { autoPostPage, coursePage, noticePage, pickerClosedPage, toolRegistrationPage } from './lms.pages';
import type { KeyStore } from './lms.tokens';
import {
  LmsAuthError,
  type AuthorizeResult,
  type DeepLinkingReturn,
  type LaunchOptions,
  type LmsCourse,
  type LmsUser,
  type ToolEndpoints,
} from './lms.types';

/** The emulator's HTTP surface. Each route parses its input, calls the emulator, and renders. */
export interface EmulatorInternals extends AgsRouteHost {
  readonly profileDefinition: LmsProfile;
  readonly issuer: string;
  readonly requestLog: { method: string; path: string; at: number }[];
  readonly deepLinkingReturns: DeepLinkingReturn[];
  readonly courseActivities: CourseActivities;
  readonly keys: KeyStore;
  readonly services: LtiServices;
  readonly registration: RegistrationFlow;
  readonly users: Record<'instructor' | 'learner' | 'admin' | 'ta', LmsUser>;
  currentTool(): ToolEndpoints | undefined;
  /** Why no launch is offered now (Moodle: the registered tool is pending), if so. */
  launchBlocked(): string | undefined;
  findUser(userId: string): LmsUser | undefined;
  courseFor(courseId: string): LmsCourse;
  authorize(request: Record<string, unknown>): Promise<AuthorizeResult>;
  loginInitiation(userId: string, options?: LaunchOptions): Record<string, string>;
  coursePagePath(userId: string, options?: LaunchOptions): string;
  copyCourse(fromCourseId: string): LmsCourse;
}

/** Express 4 does not catch rejected promises: pass them to the error handler. */
const handle =
  (route: (req: Request, res: Response) => Promise<void>): RequestHandler =>
  (req: Request, res: Response, next: NextFunction) => {
    route(req, res).catch(next);
  };

const wantsJson = (req: Request) => req.accepts(['html', 'json']) === 'json';

function launchOptionsFrom(req: Request): { userId: string; options: LaunchOptions } | undefined {
  const parsed = coursePageQuerySchema.safeParse(req.query);
  if (!parsed.success) return undefined;
  const { user, ...rest } = parsed.data;
  const options: LaunchOptions = { courseId: String(req.params.courseId) };
  if (rest.messageType) options.messageType = rest.messageType;
  if (rest.resourceLinkId) options.resourceLinkId = rest.resourceLinkId;
  if (rest.targetLinkUri) options.targetLinkUri = rest.targetLinkUri;
  if (rest.deploymentId) options.deploymentId = rest.deploymentId;
  if (rest.locale) options.locale = rest.locale;
  return { userId: user, options };
}

function sendRegistrationError(res: Response, error: unknown): void {
  if (!(error instanceof RegistrationError)) throw error;
  if (error.status === 401) res.set('WWW-Authenticate', `Bearer error="invalid_token"`);
  res.status(error.status).json({
    error: error.error,
    error_description: error.description,
    ...(error.field ? { field: error.field } : {}),
  });
}

function sendServiceError(res: Response, error: unknown): void {
  if (error instanceof ServiceError) {
    if (error.status === 401) res.set('WWW-Authenticate', `Bearer error="${error.error}"`);
    res.status(error.status).json({ error: error.error, error_description: error.description });
    return;
  }
  res.status(500).json({ error: 'server_error', error_description: String(error) });
}

export function buildLmsApp(emulator: EmulatorInternals): Express {
  const profile = emulator.profileDefinition;
  const app = express();
  app.disable('x-powered-by');
  const form = express.urlencoded({ extended: false });

  app.use((req, _res, next) => {
    emulator.requestLog.push({ method: req.method, path: req.path, at: Date.now() });
    next();
  });

  app.get(
    profile.paths.jwks,
    handle(async (_req, res) => {
      res.set('Cache-Control', 'no-store').json(await emulator.keys.jwks());
    }),
  );

  app.get(profile.registration.openidConfigurationPath, (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      res.json(emulator.registration.openidConfiguration(req.get('authorization')));
    } catch (error) {
      sendRegistrationError(res, error);
    }
  });

  app.post(profile.registration.registrationPath, express.json({ limit: '100kb' }), (req, res) => {
    res.set('Cache-Control', 'no-store');
    try {
      res.status(200).json(emulator.registration.register(req.get('authorization'), req.body));
    } catch (error) {
      sendRegistrationError(res, error);
    }
  });

  const authorize = async (req: Request, res: Response) => {
    const body: unknown = req.body;
    const params = {
      ...req.query,
      ...(body && typeof body === 'object' ? (body as Record<string, unknown>) : {}),
    };
    try {
      const { action, fields } = await emulator.authorize(params);
      res
        .set('Cache-Control', 'no-store')
        .type('html')
        .send(autoPostPage('Launching the tool…', action, fields));
    } catch (error) {
      if (!(error instanceof LmsAuthError)) throw error;
      res.status(error.status);
      if (wantsJson(req)) res.json({ error: error.error, error_description: error.description });
      else res.type('html').send(noticePage('The LTI launch was refused', [error.description], error));
    }
  };
  app.get(profile.paths.auth, handle(authorize));
  app.post(profile.paths.auth, form, handle(authorize));

  app.post(
    profile.paths.token,
    form,
    express.json(),
    handle(async (req, res) => {
      res.set('Cache-Control', 'no-store');
      try {
        res.json(await emulator.services.issueToken(req.body));
      } catch (error) {
        if (!(error instanceof OAuthError)) throw error;
        res.status(error.status).json({ error: error.error, error_description: error.description });
      }
    }),
  );

  app.get(profile.paths.nrpsRoute, (req, res) => {
    try {
      emulator.services.requireScope(req.get('authorization'), NRPS_SCOPE);
      const deploymentId = profile.name === 'moodle' ? String(req.params.deploymentId) : undefined;
      const page = emulator.services.memberships(String(req.params.courseId), deploymentId, req.query);
      if (page.next) res.set('Link', `<${page.next}>; rel="next"`);
      res.type(NRPS_MEDIA_TYPE).send(JSON.stringify(page.body));
    } catch (error) {
      sendServiceError(res, error);
    }
  });

  // The picker's answer: the LMS creates a link per item (none for Cancel), closes the picker and
  // sends the person back to the course page, which shows what happened once.
  app.post(
    profile.paths.deepLinkReturnRoute,
    form,
    handle(async (req, res) => {
      const body = (req.body ?? {}) as Record<string, unknown>;
      try {
        const result = await emulator.services.acceptDeepLinkingResponse(body.JWT, emulator.issuer);
        const { request } = result;
        const message = result.claims['https://purl.imsglobal.org/spec/lti-dl/claim/msg'];
        const { activities, notice } = emulator.courseActivities.place(
          request.courseId,
          request.userId,
          result.contentItems,
          typeof message === 'string' ? message : undefined,
        );
        emulator.deepLinkingReturns.push({ ...result, activities });
        const courseHref = emulator.coursePagePath(request.userId, {
          courseId: request.courseId,
          locale: request.locale === 'en' ? undefined : request.locale,
        });
        res.type('html').send(pickerClosedPage(notice, courseHref));
      } catch (error) {
        if (!(error instanceof ServiceError)) throw error;
        res
          .status(error.status)
          .type('html')
          .send(noticePage('The deep-linking response was refused', [error.description], error));
      }
    }),
  );

  app.get(profile.paths.returnRoute, (_req, res) => {
    res.type('html').send(noticePage('Back in the course', ['The tool sent you back to the course.']));
  });

  // The admin page that opens a tool's registration URL in a frame (see toolRegistrationPage).
  app.get('/admin/tool-registration', (req, res) => {
    const opened = typeof req.query.url === 'string' ? req.query.url : '';
    if (!/^https?:\/\//.test(opened)) {
      res
        .status(400)
        .type('html')
        .send(noticePage('No registration URL', ['Give the URL to open as ?url=.']));
      return;
    }
    res.type('html').send(toolRegistrationPage(profile, opened));
  });

  app.get('/course/:courseId', (req, res) => {
    const launch = launchOptionsFrom(req);
    const user = launch && emulator.findUser(launch.userId);
    if (!launch || !user) {
      res
        .status(404)
        .type('html')
        .send(noticePage('No such user', ['Add ?user=<id of a user of this LMS>.']));
      return;
    }
    const tool = emulator.currentTool();
    const course = emulator.courseFor(launch.options.courseId as string);
    const initiate = new URL(emulator.coursePagePath(launch.userId, launch.options), 'http://x');
    const { locale } = launch.options;
    const activityHref = (resourceLinkId: string) =>
      emulator.coursePagePath(user.id, { courseId: course.id, resourceLinkId, locale });
    const notice = emulator.courseActivities.takeNotice(user.id);
    res.type('html').send(
      coursePage({
        profile,
        course,
        user,
        iframeSrc: `/course/${encodeURIComponent(course.id)}/initiate${initiate.search}`,
        // ?clipboard=refused frames the tool as an LMS that does not delegate clipboard-write.
        frameAllowsClipboard: req.query.clipboard !== 'refused',
        toolOrigin: tool ? new URL(tool.loginUrl).origin : '',
        viewAs: Object.entries(emulator.users).map(([label, other]) => ({
          label: `${other.name} (${label})`,
          href: emulator.coursePagePath(other.id, { courseId: course.id, locale: launch.options.locale }),
        })),
        deepLinkingHref: emulator.coursePagePath(launch.userId, {
          courseId: course.id,
          messageType: 'LtiDeepLinkingRequest',
          locale: launch.options.locale,
        }),
        ...(seesGradebook(user)
          ? {
              copyAction: `/course/${encodeURIComponent(course.id)}/copy${initiate.search}`,
              gradebookHref: `/course/${encodeURIComponent(course.id)}/gradebook?${new URLSearchParams({
                user: user.id,
                ...(launch.options.locale ? { locale: launch.options.locale } : {}),
              }).toString()}`,
            }
          : {}),
        activities: emulator.courseActivities.inCourse(course.id).map((activity) => ({
          label: activity.title,
          href: activityHref(activity.resourceLinkId),
          current: activity.resourceLinkId === launch.options.resourceLinkId,
        })),
        notice: notice && {
          title: notice.title,
          lines: notice.lines,
          links: notice.activities.map((a) => ({ label: a.title, href: activityHref(a.resourceLinkId) })),
        },
      }),
    );
  });

  // Next term: an instructor copies the course (Canvas's "Copy this course", Moodle's restore into a
  // new course) and lands on the copy's page, whose launches carry the copy history (lms.copy.ts).
  app.post('/course/:courseId/copy', (req, res) => {
    const launch = launchOptionsFrom(req);
    const user = launch && emulator.findUser(launch.userId);
    if (!launch || !user || !seesGradebook(user)) {
      res
        .status(403)
        .type('html')
        .send(noticePage('Not allowed', ['Only instructors copy a course.']));
      return;
    }
    const copy = emulator.copyCourse(String(req.params.courseId));
    res.redirect(303, emulator.coursePagePath(user.id, { courseId: copy.id, locale: launch.options.locale }));
  });

  app.get('/course/:courseId/initiate', (req, res) => {
    const launch = launchOptionsFrom(req);
    const tool = emulator.currentTool();
    if (!launch || !emulator.findUser(launch.userId)) {
      res
        .status(404)
        .type('html')
        .send(noticePage('No such user', ['Add ?user=<id of a user of this LMS>.']));
      return;
    }
    if (!tool) {
      res
        .status(503)
        .type('html')
        .send(noticePage('No tool is registered', ['Give the emulator a tool first.']));
      return;
    }
    const blocked = emulator.launchBlocked();
    if (blocked) {
      res
        .status(409)
        .type('html')
        .send(noticePage('The tool is not available yet', [`This ${profile.productName} site: ${blocked}.`]));
      return;
    }
    const params = emulator.loginInitiation(launch.userId, launch.options);
    res
      .set('Cache-Control', 'no-store')
      .type('html')
      .send(autoPostPage('Opening the tool…', tool.loginUrl, params));
  });

  mountAgsRoutes(app, emulator);

  app.get('/', (_req, res) => {
    res.redirect(emulator.coursePagePath(emulator.users.instructor.id));
  });

  app.use((_req, res) => {
    res
      .status(404)
      .type('html')
      .send(noticePage('Not found', ['The emulated LMS has nothing at this address.']));
  });
  app.use((error: unknown, _req: Request, res: Response, _next: NextFunction) => {
    if (res.headersSent) return;
    const description = error instanceof Error ? error.message : String(error);
    const status = (error as { status?: unknown } | null)?.status; // body-parser's 4xx errors
    if (typeof status === 'number' && status >= 400 && status < 500) {
      res.status(status).json({ error: 'invalid_request', error_description: description });
      return;
    }
    res
      .status(500)
      .type('html')
      .send(noticePage('The emulated LMS failed', [description], { error: 'server_error' }));
  });
  return app;
}
