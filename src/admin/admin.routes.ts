import express, { Router, type Request, type Response } from 'express';
import cookieParser from 'cookie-parser';
import { errors } from '../shared/errors';
import {
  consoleHeaders,
  formToken,
  formTokenMatches,
  loginSubject,
  operatorOf,
  requireFormToken,
  requireOperator,
  type ConsoleCookies,
} from './admin.guard';
import { addSchoolPage, schoolPage, schoolsPage, type AddSchoolProblem } from './admin.presenter';
import {
  addSchoolForm,
  deploymentForm,
  inviteForm,
  loginForm,
  registrationAction,
  registrationParams,
  retentionChangeOf,
  retentionForm,
  schoolParams,
} from './admin.schema';
import type { AdminService } from './admin.service';

export interface AdminRoutesOptions {
  admin: AdminService;
  cookies: ConsoleCookies;
  /** Key for the console's form tokens. */
  formsKey: Buffer;
  now: () => number;
}

/** Parses with zod or refuses with 400 (nothing changed). */
function parse<T>(
  schema: { safeParse(input: unknown): { success: true; data: T } | { success: false } },
  input: unknown,
): T {
  const parsed = schema.safeParse(input);
  if (!parsed.success) throw errors.badRequest();
  return parsed.data;
}

/**
 * The operator console at /admin (not LTI): sign-in, schools, a school's registrations,
 * deployments, Zoom health, registration links and latest errors. Thin: forms are parsed here, the
 * service does the work, the presenter shapes the page.
 */
export function adminRoutes(options: AdminRoutesOptions): Router {
  const { admin, cookies, formsKey } = options;
  const router = Router();
  router.use(consoleHeaders, cookieParser(), express.urlencoded({ extended: false, limit: '16kb' }));

  const loginPage = (
    req: Request,
    res: Response,
    status: number,
    error?: { id: string; title: string; detail: string; nextStep: string },
    retryAfterSeconds?: number,
  ) => {
    const subject = loginSubject(req, res, cookies);
    res.status(status).render('admin/login', {
      title: 'Sign in',
      csrf: formToken(formsKey, 'login', subject),
      error,
      retryAfterSeconds,
      operator: undefined,
    });
  };

  router.get('/login', (req, res) => loginPage(req, res, 200));

  router.post('/login', async (req, res, next) => {
    try {
      const subject = (req.cookies as Record<string, unknown>)[cookies.login];
      if (typeof subject !== 'string' || !formTokenMatches(formsKey, 'login', subject, req.body?._csrf)) {
        throw errors.operatorCsrfInvalid();
      }
      const form = parse(loginForm, req.body);
      const outcome = await admin.login({ ...form, ip: req.ip ?? 'unknown' });
      if (outcome.kind === 'signed-in') {
        res.clearCookie(cookies.login, cookies.options);
        res.cookie(cookies.session, outcome.sessionId, { ...cookies.options, maxAge: outcome.maxAgeMs });
        return res.redirect(303, '/admin/schools');
      }
      const error = {
        wrong: errors.operatorLoginFailed,
        limited: errors.operatorLoginLimited,
        busy: errors.operatorLoginBusy,
      }[outcome.kind]();
      const retryAfterSeconds = outcome.kind === 'wrong' ? undefined : outcome.retryAfterSeconds;
      if (retryAfterSeconds !== undefined) res.setHeader('Retry-After', String(retryAfterSeconds));
      if (req.accepts(['html', 'json']) === 'json') return next(error);
      loginPage(req, res, error.status, error, retryAfterSeconds);
    } catch (error) {
      next(error);
    }
  });

  const signedIn = requireOperator(admin.sessions, cookies);
  const posted = requireFormToken(formsKey);
  const page = (res: Response, view: string, model: object) =>
    res.render(view, {
      ...model,
      operator: operatorOf(res),
      csrf: formToken(formsKey, 'session', operatorOf(res).id),
    });

  router.post('/logout', signedIn, posted, async (_req, res, next) => {
    try {
      await admin.logout(operatorOf(res));
      res.clearCookie(cookies.session, cookies.options);
      res.redirect(303, '/admin/login');
    } catch (error) {
      next(error);
    }
  });

  router.get('/', signedIn, (_req, res) => res.redirect(303, '/admin/schools'));

  router.get('/schools', signedIn, async (_req, res, next) => {
    try {
      page(res, 'admin/schools', schoolsPage(await admin.schools()));
    } catch (error) {
      next(error);
    }
  });

  // Before `/schools/:schoolId`, which would take `new` for an id.
  router.get('/schools/new', signedIn, (_req, res) => page(res, 'admin/school-new', addSchoolPage()));

  router.post('/schools', signedIn, posted, async (req, res, next) => {
    try {
      const body = (req.body ?? {}) as Record<string, unknown>;
      const refuse = (status: number, problems: AddSchoolProblem[]) =>
        page(res.status(status), 'admin/school-new', addSchoolPage(body, problems));
      const parsed = addSchoolForm.safeParse(body);
      if (!parsed.success) {
        return refuse(
          400,
          parsed.error.issues.map((issue) => ({
            field: issue.path[0] === 'timeZone' || issue.path[0] === 'days' ? issue.path[0] : 'name',
            message: issue.message,
          })),
        );
      }
      const added = await admin.addSchool(parsed.data, operatorOf(res));
      if (added.kind === 'taken') {
        return refuse(409, [
          {
            field: 'name',
            message: `There is already a school named “${parsed.data.name}”: choose another name, or open that school to make it a registration link.`,
            schoolId: added.schoolId,
          },
        ]);
      }
      // Shown on this answer only (not a redirect): the link is a secret that is never stored in clear.
      page(res.status(201), 'admin/school', {
        ...schoolPage(await admin.school(added.schoolId), options.now(), added.invite),
        added: true,
      });
    } catch (error) {
      next(error);
    }
  });

  router.get('/schools/:schoolId', signedIn, async (req, res, next) => {
    try {
      const { schoolId } = parse(schoolParams, req.params);
      page(res, 'admin/school', schoolPage(await admin.school(schoolId), options.now()));
    } catch (error) {
      next(error);
    }
  });

  router.post('/schools/:schoolId/invites', signedIn, posted, async (req, res, next) => {
    try {
      const { schoolId } = parse(schoolParams, req.params);
      const { days } = parse(inviteForm, req.body);
      const invite = await admin.createInvite(schoolId, days, operatorOf(res));
      // Shown on this answer only (not a redirect): the link is a secret that is never stored in clear.
      page(res, 'admin/school', schoolPage(await admin.school(schoolId), options.now(), invite));
    } catch (error) {
      next(error);
    }
  });

  router.post('/schools/:schoolId/retention', signedIn, posted, async (req, res, next) => {
    try {
      const { schoolId } = parse(schoolParams, req.params);
      await admin.changeRetention(
        schoolId,
        retentionChangeOf(parse(retentionForm, req.body)),
        operatorOf(res),
      );
      res.redirect(303, `/admin/schools/${schoolId}#retention-heading`);
    } catch (error) {
      next(error);
    }
  });

  // Before the generic `:action` route below, which would otherwise take `deployments`.
  router.post(
    '/schools/:schoolId/registrations/:registrationId/deployments',
    signedIn,
    posted,
    async (req, res, next) => {
      try {
        const target = parse(registrationParams, req.params);
        await admin.changeDeployment(target, parse(deploymentForm, req.body), operatorOf(res));
        res.redirect(303, `/admin/schools/${target.schoolId}`);
      } catch (error) {
        next(error);
      }
    },
  );

  router.post(
    '/schools/:schoolId/registrations/:registrationId/:action',
    signedIn,
    posted,
    async (req, res, next) => {
      try {
        const target = parse(registrationParams, req.params);
        const action = parse(registrationAction, req.params.action);
        await admin.changeRegistration(target, action, operatorOf(res));
        res.redirect(303, `/admin/schools/${target.schoolId}`);
      } catch (error) {
        next(error);
      }
    },
  );

  return router;
}
