import express, { type Express, type Request, type Response } from 'express';
import type { AgsAnswer, AgsService } from './lms.ags';
import { gradebookPage, noticePage } from './lms.pages';
import { ROLES, SCOPES, type LmsProfile } from './lms.profiles';
import { ServiceError, type LtiServices } from './lms.services';
import type { LaunchOptions, LmsCourse, LmsUser } from './lms.types';

/** What the AGS routes and the gradebook page need from the emulator. */
export interface AgsRouteHost {
  readonly profileDefinition: LmsProfile;
  readonly services: LtiServices;
  readonly ags: AgsService;
  findUser(userId: string): LmsUser | undefined;
  findCourse(courseId: string): LmsCourse | undefined;
  coursePagePath(userId: string, options?: LaunchOptions): string;
}

const READ_LINE_ITEMS = [SCOPES.lineItem, SCOPES.lineItemReadonly] as const;

/** Who sees the gradebook: the course's instructors and the site's administrators. */
export function seesGradebook(user: LmsUser): boolean {
  return user.roles.some(
    (role) =>
      role === ROLES.membershipInstructor ||
      role === ROLES.institutionAdministrator ||
      role === ROLES.systemAdministrator ||
      role === ROLES.systemSysAdmin,
  );
}

function send(res: Response, answer: AgsAnswer): void {
  if (answer.link) res.set('Link', answer.link);
  res.status(answer.status);
  if (answer.body === undefined) {
    if (answer.type) res.type(answer.type);
    res.end();
    return;
  }
  res.type(answer.type ?? 'application/json').send(JSON.stringify(answer.body));
}

function sendError(res: Response, error: unknown): void {
  if (!(error instanceof ServiceError)) throw error;
  if (error.status === 401) res.set('WWW-Authenticate', `Bearer error="${error.error}"`);
  res.status(error.status).json({ error: error.error, error_description: error.description });
}

/**
 * The AGS endpoints at the paths the launch's AGS claim gives (per profile): line items, one line
 * item, its scores and its results. Each request meets an injected fault first, then the token.
 */
export function mountAgsRoutes(app: Express, host: AgsRouteHost): void {
  const paths = host.profileDefinition.paths;
  const body = express.text({ type: () => true, limit: '100kb' });

  const serve =
    (scopes: readonly string[], run: (req: Request) => AgsAnswer) =>
    (req: Request, res: Response): void => {
      const fault = host.ags.takeFault();
      if (fault) {
        if (fault.retryAfterSeconds !== undefined) res.set('Retry-After', String(fault.retryAfterSeconds));
        const error = fault.status === 429 ? 'rate_limited' : 'service_unavailable';
        res
          .status(fault.status)
          .json({ error, error_description: `the LMS answered ${fault.status} (injected)` });
        return;
      }
      try {
        host.services.requireAnyScope(req.get('authorization'), scopes);
        send(res, run(req));
      } catch (error) {
        sendError(res, error);
      }
    };
  const courseId = (req: Request) => String(req.params.courseId);
  const itemId = (req: Request) => String(req.params.itemId);
  const raw = (req: Request) => (typeof req.body === 'string' ? req.body : '');

  app.get(
    paths.lineItemsRoute,
    serve(READ_LINE_ITEMS, (req) => host.ags.listLineItems(courseId(req), req.query)),
  );
  app.post(
    paths.lineItemsRoute,
    body,
    serve([SCOPES.lineItem], (req) =>
      host.ags.createLineItem(courseId(req), req.get('content-type'), raw(req)),
    ),
  );
  app.get(
    paths.lineItemRoute,
    serve(READ_LINE_ITEMS, (req) => host.ags.getLineItem(courseId(req), itemId(req))),
  );
  app.put(
    paths.lineItemRoute,
    body,
    serve([SCOPES.lineItem], (req) =>
      host.ags.updateLineItem(courseId(req), itemId(req), req.get('content-type'), raw(req)),
    ),
  );
  app.delete(
    paths.lineItemRoute,
    serve([SCOPES.lineItem], (req) => host.ags.deleteLineItem(courseId(req), itemId(req))),
  );
  app.post(
    `${paths.lineItemRoute}/scores`,
    body,
    serve([SCOPES.score], (req) =>
      host.ags.postScore(courseId(req), itemId(req), req.get('content-type'), raw(req)),
    ),
  );
  app.get(
    `${paths.lineItemRoute}/results`,
    serve([SCOPES.resultReadonly], (req) => host.ags.results(courseId(req), itemId(req), req.query)),
  );

  // The emulated gradebook (Moodle: Grader report; Canvas: Gradebook), for instructors and admins.
  app.get('/course/:courseId/gradebook', (req, res) => {
    const user = typeof req.query.user === 'string' ? host.findUser(req.query.user) : undefined;
    const course = host.findCourse(courseId(req));
    if (!user || !course) {
      res
        .status(404)
        .type('html')
        .send(noticePage('No such course or user', ['Open the gradebook from the course page.']));
      return;
    }
    if (!seesGradebook(user)) {
      res
        .status(403)
        .type('html')
        .send(
          noticePage('The gradebook is for teachers', [
            `${user.name} is not a teacher of ${course.title}: students see their own grades only.`,
          ]),
        );
      return;
    }
    res.type('html').send(
      gradebookPage({
        profile: host.profileDefinition,
        gradebook: host.ags.gradebook(course.id),
        user,
        courseHref: host.coursePagePath(user.id, {
          courseId: course.id,
          ...(typeof req.query.locale === 'string' ? { locale: req.query.locale } : {}),
        }),
      }),
    );
  });
}
