import express, { type Request, type Response, type Router } from 'express';
import { requestContext } from '../web';
import { errors } from '../shared/errors';
import { asyncHandler } from '../shared/http';
import { IANAZone } from 'luxon';
import type { AttendancePages } from './attendance.pages';
import { anchorOf, type Viewer } from './attendance.pages.format';
import {
  assertCanSeeCourseAttendance,
  assertCanSeeOwnAttendance,
  seesCourseAttendance,
} from './attendance.policy';
import { parseInput } from '../shared/validation';
import {
  gradesFixSchema,
  idSchema,
  parseOverrideForm,
  parseSettingsForm,
  type FieldErrors,
} from './attendance.schema';

export interface AttendanceRouteDeps {
  pages: AttendancePages;
}

const NOTICES = ['saved', 'cleared', 'recreated', 'stopped'] as const;

/** The request's launch, course and viewer (the browser's zone from `tz`, as the course page has it). */
function contextOf(req: Request, res: Response) {
  const { launch, school, translator, csrf, assertForm, link: launchLink } = requestContext(res);
  const tz =
    typeof req.query.tz === 'string' && (req.query.tz === 'UTC' || IANAZone.isValidZone(req.query.tz))
      ? req.query.tz
      : undefined;
  const viewer: Viewer = { timeZone: tz ?? school.timeZone, locale: translator.locale, t: translator.t };
  const course = { schoolId: school.id, lmsIssuer: launch.issuer, contextId: launch.course.id };
  const link = (path: string, extra: Record<string, string | undefined> = {}) =>
    launchLink(path, { tz, ...extra });
  const notice = NOTICES.find((n) => n === req.query.notice);
  const common = {
    t: translator.t,
    lang: translator.language,
    ltik: launch.ltik,
    csrf,
    link,
    title: translator.t('attendance.title'),
    courseTitle: launch.course.title ?? launch.course.label ?? '',
    notice,
  };
  return { launch, course, viewer, link, assertForm, common };
}

/** An instance id from the path: not one of ours → 404 (never a database error). */
function instanceIdOf(req: Request): string {
  const parsed = idSchema.safeParse(req.params.id);
  if (!parsed.success) throw errors.notFound('No held meeting has that id.');
  return parsed.data;
}

/** The attendance pages behind the launch (/lti/attendance…): the instructor's and the student's. */
export function attendanceRoutes(deps: AttendanceRouteDeps): Router {
  const router = express.Router();

  router.get(
    '/attendance',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res);
      if (!seesCourseAttendance(ctx.launch)) return res.redirect(303, ctx.link('/attendance/mine'));
      const model = await deps.pages.overview(ctx.course, ctx.viewer);
      res.render('attendance/overview', { ...ctx.common, page: 'overview', model });
    }),
  );

  router.get(
    '/attendance/mine',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res);
      if (seesCourseAttendance(ctx.launch)) return res.redirect(303, ctx.link('/attendance'));
      assertCanSeeOwnAttendance(ctx.launch);
      const model = await deps.pages.mine(ctx.course, ctx.launch.userId, ctx.viewer);
      res.render('attendance/mine', { ...ctx.common, page: 'mine', model });
    }),
  );

  const renderSettings = async (
    res: Response,
    ctx: ReturnType<typeof contextOf>,
    form?: { values: Record<string, unknown>; errors: FieldErrors },
  ) => {
    const model = await deps.pages.settings(ctx.course);
    res.render('attendance/settings', { ...ctx.common, page: 'settings', model, form });
  };

  router.get(
    '/attendance/settings',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res);
      assertCanSeeCourseAttendance(ctx.launch);
      await renderSettings(res, ctx);
    }),
  );

  router.post(
    '/attendance/settings',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res);
      assertCanSeeCourseAttendance(ctx.launch);
      ctx.assertForm(req.body);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const parsed = parseSettingsForm(body);
      const saved = parsed.ok && (await deps.pages.saveSettings(ctx.course, parsed.value, ctx.launch.userId));
      if (!saved) {
        res.status(400);
        const fieldErrors = parsed.ok ? { counted: 'attendance.errors.counted' } : parsed.errors;
        return renderSettings(res, ctx, { values: body, errors: fieldErrors });
      }
      res.redirect(303, ctx.link('/attendance/settings', { notice: 'saved' }));
    }),
  );

  router.post(
    '/attendance/grades',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res);
      assertCanSeeCourseAttendance(ctx.launch);
      ctx.assertForm(req.body);
      const { action } = parseInput(gradesFixSchema, req.body);
      await deps.pages.fixGrades(ctx.course, action, ctx.launch.userId);
      res.redirect(
        303,
        ctx.link('/attendance/settings', { notice: action === 'recreate' ? 'recreated' : 'stopped' }),
      );
    }),
  );

  router.get(
    '/attendance/instances/:id.csv',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res);
      assertCanSeeCourseAttendance(ctx.launch);
      const { filename, body } = await deps.pages.csv(ctx.course, instanceIdOf(req), ctx.viewer);
      res
        .status(200)
        .type('text/csv; charset=utf-8')
        .set('Content-Disposition', `attachment; filename="${filename}"`)
        .set('Cache-Control', 'no-store')
        .send(body);
    }),
  );

  const renderInstance = async (
    res: Response,
    ctx: ReturnType<typeof contextOf>,
    id: string,
    form?: { userId: string; values: Record<string, unknown>; errors: FieldErrors },
  ) => {
    const model = await deps.pages.instance(ctx.course, id, ctx.viewer);
    res.render('attendance/instance', { ...ctx.common, page: 'instance', model, form });
  };

  router.get(
    '/attendance/instances/:id',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res);
      assertCanSeeCourseAttendance(ctx.launch);
      await renderInstance(res, ctx, instanceIdOf(req));
    }),
  );

  router.post(
    '/attendance/instances/:id/override',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res);
      assertCanSeeCourseAttendance(ctx.launch);
      ctx.assertForm(req.body);
      const id = instanceIdOf(req);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const parsed = parseOverrideForm(body);
      if (!parsed.ok) {
        res.status(400);
        const userId = typeof body.userId === 'string' ? body.userId : '';
        return renderInstance(res, ctx, id, { userId, values: body, errors: parsed.errors });
      }
      await deps.pages.override(ctx.course, id, parsed.value, ctx.launch.userId);
      const notice = parsed.value.action === 'set' ? 'saved' : 'cleared';
      res.redirect(
        303,
        `${ctx.link(`/attendance/instances/${id}`, { notice })}#${anchorOf(parsed.value.userId)}`,
      );
    }),
  );

  return router;
}
