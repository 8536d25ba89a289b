import express, { type Request, type Response, type Router } from 'express';
import { describeRole, type ContentItem, type LtiProvider } from '../lti';
import { requestContext, type CoursePagePresenter } from '../web';
import { errors } from '../shared/errors';
import { asyncHandler } from '../shared/http';
import { parseInput } from '../shared/validation';
import type { MeetingsPages } from './meetings.pages';
import type { CoursePanels } from './meetings.panels';
import type { RecordingsHiding } from './meetings.recordings.hide';
import { assertCanChangeMeetings } from './meetings.policy';
import { noticeParams, noticeText } from './meetings.notices';
import { isConfirmed, type Viewer } from './meetings.presenter';
import { refusalOf, type Refusal } from './meetings.refusals';
import {
  deleteFormSchema,
  parseMeetingForm,
  recordingsFormSchema,
  type FieldErrors,
  type FormValues,
} from './meetings.schema';
import type { MeetingsService, Outcome } from './meetings.service';
import { formatInstant, isTimeZone } from './meetings.time';
import { canonicalZone } from './meetings.zones';

export interface MeetingRouteDeps {
  meetings: MeetingsService;
  pages: MeetingsPages;
  lti: Pick<LtiProvider, 'courseMembers' | 'deepLinkingResponse'>;
  /** The course page's header (who you are, your school's Zoom, your Zoom user). */
  coursePage: CoursePagePresenter;
  /** Cards above the meetings from the rest of a course's life (import, a host who left, next term). */
  panels?: CoursePanels;
  /** The meeting's "show recordings" switch revokes (or shares again) its recordings at Zoom. */
  recordings?: Pick<RecordingsHiding, 'meetingSwitched'>;
}

/**
 * Everything a meetings request needs: the request's launch context (launch, school, language, form
 * token, links; resolved once, refusing a deactivated session), and for meetings the viewer's time
 * zone, the course and who acts.
 */
function contextOf(deps: MeetingRouteDeps, req: Request, res: Response) {
  const { launch, school, translator, csrf, assertForm, link: launchLink } = requestContext(res);
  // The browser's zone by its current name (Chromium in India says Asia/Calcutta).
  const tz =
    typeof req.query.tz === 'string' && isTimeZone(req.query.tz) ? canonicalZone(req.query.tz) : undefined;
  const viewer: Viewer = {
    timeZone: tz ?? school.timeZone,
    zoneFromBrowser: tz !== undefined,
    translator,
    now: deps.meetings.now(),
  };
  const course = deps.pages.courseOf(launch, school.id);
  const actor = {
    userId: launch.userId,
    name: launch.name,
    issuer: launch.issuer,
    timeZone: viewer.timeZone,
    locale: translator.locale,
  };
  // A placed link's launch asked for the course's whole list (`list=all`): its links keep to it.
  const list = req.query.list === 'all' ? 'all' : undefined;
  const link = (path: string, extra: Record<string, string | undefined> = {}) =>
    launchLink(path, { tz, list, ...extra });
  return {
    launch,
    school,
    viewer,
    course,
    actor,
    link,
    assertForm,
    members: () => deps.lti.courseMembers(res, 'Instructor'),
    common: {
      t: translator.t,
      lang: translator.language,
      ltik: launch.ltik,
      tz: tz ?? '',
      csrf,
      link,
    },
  };
}

type Context = ReturnType<typeof contextOf>;

/** Staff only, and a form token of this session: checked before anything changes. */
function authorizeChange(req: Request, ctx: Context): void {
  assertCanChangeMeetings(ctx.launch);
  ctx.assertForm(req.body);
}

/** The course page, the meetings' forms and pages, and the deep-linking picker (behind the launch). */
export function meetingRoutes(deps: MeetingRouteDeps): Router {
  const router = express.Router();

  const renderCourse = async (
    req: Request,
    res: Response,
    ctx: Context,
    form?: { values: FormValues; errors: FieldErrors; refusal?: Pick<Refusal, 'lines' | 'reference'> },
  ) => {
    const deepLinking =
      ctx.launch.messageType === 'LtiDeepLinkingRequest' && ctx.launch.deepLinking !== undefined;
    const only = req.query.list === 'all' ? undefined : ctx.launch.custom.meeting_id;
    const [header, meetings, panels] = await Promise.all([
      deps.coursePage(ctx.launch, describeRole(ctx.launch.role), ctx.school),
      deps.pages.section({
        launch: ctx.launch,
        schoolId: ctx.school.id,
        viewer: ctx.viewer,
        members: ctx.members,
        form,
        only: deepLinking ? undefined : only,
        openForm: req.query.schedule === '1',
      }),
      deepLinking || !deps.panels
        ? []
        : deps.panels.for({
            launch: ctx.launch,
            schoolId: ctx.school.id,
            course: ctx.course,
            viewer: ctx.viewer,
            link: ctx.link,
          }),
    ]);
    const notice = await noticeText(deps.meetings, req.query, ctx.course, {
      ...ctx.viewer,
      userId: ctx.launch.userId,
    });
    res.render(deepLinking ? 'deep-linking' : 'course', {
      ...header,
      ...ctx.common,
      title: ctx.launch.course.title ?? ctx.launch.course.label ?? 'Zoom',
      meetings,
      panels,
      notice,
      single: !deepLinking && only !== undefined,
    });
  };

  router.get(
    '/course',
    asyncHandler(async (req, res) => {
      await renderCourse(req, res, contextOf(deps, req, res));
    }),
  );

  router.post(
    '/meetings',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(deps, req, res);
      authorizeChange(req, ctx);
      const parsed = parseMeetingForm(req.body, ctx.viewer.now);
      if (!parsed.ok) {
        res.status(400);
        return renderCourse(req, res, ctx, { values: req.body as FormValues, errors: parsed.errors });
      }
      const hosts =
        (await hostsRefused(deps, ctx, parsed.value.settings.alternativeHosts)) ??
        (await deps.pages.sectionsRefused(ctx.course, parsed.value.sectionIds));
      if (hosts) {
        res.status(400);
        return renderCourse(req, res, ctx, { values: req.body as FormValues, errors: hosts });
      }
      const placement = { resourceLinkId: undefined };
      let outcome: Outcome;
      try {
        outcome = await deps.meetings.schedule(ctx.course, ctx.actor, parsed.value, placement);
      } catch (error) {
        const refusal = refused(req, ctx, error);
        res.status(refusal.status);
        const form = { values: req.body as FormValues, errors: refusal.errors, refusal };
        return renderCourse(req, res, ctx, form);
      }
      if (ctx.launch.deepLinking && ctx.launch.messageType === 'LtiDeepLinkingRequest')
        return answerPicker(deps, res, ctx, outcome.meeting);
      res.redirect(303, ctx.link('/course', noticeParams(outcome, 'scheduled')));
    }),
  );

  router.post(
    '/meetings/feed',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(deps, req, res);
      authorizeChange(req, ctx);
      await deps.meetings.rotateFeed(ctx.course);
      res.redirect(303, ctx.link('/course', { notice: 'feedRotated' }));
    }),
  );

  router.get(
    '/meetings/:id/edit',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(deps, req, res);
      assertCanChangeMeetings(ctx.launch);
      const meeting = await deps.meetings.require(ctx.course, String(req.params.id));
      const form = await deps.pages.editForm({ ...ctx, schoolId: ctx.school.id, meeting });
      res.render('meeting-edit', { ...ctx.common, title: meeting.topic, meeting, form });
    }),
  );

  router.post(
    '/meetings/:id',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(deps, req, res);
      authorizeChange(req, ctx);
      const meeting = await deps.meetings.require(ctx.course, String(req.params.id));
      // The edit form again, with what was typed, its errors and Zoom's refusal if any.
      const again = async (status: number, errors: FieldErrors, refusal?: Refusal) => {
        const values = req.body as FormValues;
        const form = await deps.pages.editForm({
          ...ctx,
          schoolId: ctx.school.id,
          meeting,
          form: { values, errors, refusal },
        });
        res.status(status);
        res.render('meeting-edit', { ...ctx.common, title: meeting.topic, meeting, form });
      };
      const parsed = parseMeetingForm(req.body, ctx.viewer.now, { allowPastStart: true });
      if (!parsed.ok) return again(400, parsed.errors);
      const { alternativeHosts } = parsed.value.settings;
      const hosts =
        (await hostsRefused(deps, ctx, alternativeHosts, meeting.settings.alternativeHosts)) ??
        (await deps.pages.sectionsRefused(ctx.course, parsed.value.sectionIds));
      if (hosts) return again(400, hosts);
      let outcome: Outcome;
      try {
        outcome = await deps.meetings.update(ctx.course, meeting.id, ctx.actor, parsed.value);
      } catch (error) {
        const refusal = refused(req, ctx, error);
        return again(refusal.status, refusal.errors, refusal);
      }
      await deps.pages.assignSections(ctx.course, meeting, parsed.value.sectionIds);
      res.redirect(303, ctx.link('/course', noticeParams(outcome, 'updated')));
    }),
  );

  router.get(
    '/meetings/:id/delete',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(deps, req, res);
      assertCanChangeMeetings(ctx.launch);
      const meeting = await deps.meetings.require(ctx.course, String(req.params.id));
      const upcoming = meeting.occurrences
        .filter((o) => o.status === 'available' && o.startTime.getTime() > ctx.viewer.now)
        .slice(0, 60)
        .map((o) => ({
          occurrenceId: o.occurrenceId,
          when: formatInstant(o.startTime, ctx.viewer.timeZone, ctx.viewer.translator.locale),
        }));
      // A series' Delete asks about one occurrence first: the one its link names, else the next.
      const named = typeof req.query.occurrence === 'string' ? req.query.occurrence : undefined;
      const chosen = upcoming.find((o) => o.occurrenceId === named)?.occurrenceId;
      res.render('meeting-delete', { ...ctx.common, title: meeting.topic, meeting, upcoming, chosen });
    }),
  );

  router.post(
    '/meetings/:id/delete',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(deps, req, res);
      authorizeChange(req, ctx);
      const form = parseInput(deleteFormSchema, req.body);
      if (form.scope === 'occurrence' && !form.occurrenceId) throw errors.meetingOccurrenceRequired();
      const { meeting, occurrence } = await deps.meetings.remove(
        ctx.course,
        String(req.params.id),
        ctx.actor,
        form.scope === 'occurrence' ? form.occurrenceId : undefined,
      );
      res.redirect(
        303,
        ctx.link('/course', { notice: occurrence ? 'occurrenceDeleted' : 'deleted', m: meeting.id }),
      );
    }),
  );

  router.post(
    '/meetings/:id/start',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(deps, req, res);
      authorizeChange(req, ctx);
      // The start_url is never rendered or stored: the window Start opened (a new tab) is sent there at once.
      res.set('Cache-Control', 'no-store');
      res.redirect(303, await deps.meetings.startUrl(ctx.course, String(req.params.id), ctx.actor));
    }),
  );

  router.post(
    '/meetings/:id/recordings',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(deps, req, res);
      authorizeChange(req, ctx);
      const form = parseInput(recordingsFormSchema, req.body);
      const meeting = await deps.meetings.setShowRecordings(ctx.course, String(req.params.id), form.show);
      await deps.recordings?.meetingSwitched(ctx.course, meeting.id, form.show);
      res.redirect(303, ctx.link('/course', { notice: 'recordings', m: meeting.id }));
    }),
  );

  router.post(
    '/meetings/:id/pick',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(deps, req, res);
      authorizeChange(req, ctx);
      const meeting = await deps.meetings.require(ctx.course, String(req.params.id));
      await answerPicker(deps, res, ctx, meeting);
    }),
  );

  // The picker's Cancel: an answer with no content item, so the LMS closes its picker and adds nothing.
  router.post(
    '/picker/cancel',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(deps, req, res);
      authorizeChange(req, ctx);
      const { t } = ctx.viewer.translator;
      const answer = await deps.lti.deepLinkingResponse(res, [], { message: t('picker.nothingAdded') });
      res.render('deep-linking-return', {
        ...ctx.common,
        title: t('picker.cancelTitle'),
        message: t('picker.cancelReturning'),
        button: t('picker.cancelButton'),
        ...answer,
      });
    }),
  );

  router.post(
    '/meetings/:id/retry',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(deps, req, res);
      authorizeChange(req, ctx);
      const outcome = await deps.meetings.retryCreate(ctx.course, String(req.params.id), ctx.actor);
      res.redirect(303, ctx.link('/course', noticeParams(outcome, 'scheduled')));
    }),
  );

  return router;
}

/**
 * Zoom refused the change: what the form shows again (logged with Zoom's own words), or the error
 * itself when it is not a refusal of this change (the error page then says what happened).
 */
function refused(req: Request, ctx: Context, error: unknown): Refusal {
  const refusal = refusalOf(error, ctx.viewer.translator, String(req.id ?? ''));
  if (!refusal) throw error;
  req.log.info(refusal.log, 'Zoom refused the meeting; the form is shown again with its values');
  return refusal;
}

/** A deep-linking launch answered with the meeting as a resource link titled with its topic. */
async function answerPicker(
  deps: MeetingRouteDeps,
  res: Response,
  ctx: Context,
  meeting: Outcome['meeting'],
) {
  // Only a meeting Zoom confirmed is placed: an unconfirmed one may yet be dropped by the confirm job.
  if (!isConfirmed(meeting))
    return res.redirect(303, ctx.link('/course', { notice: 'pendingPick', m: meeting.id }));
  const item: ContentItem = {
    type: 'ltiResourceLink',
    title: meeting.topic,
    custom: { meeting_id: meeting.id },
  };
  const answer = await deps.lti.deepLinkingResponse(res, [item], {
    message: ctx.viewer.translator.t('deepLinking.added', { topic: meeting.topic }),
  });
  res.render('deep-linking-return', {
    ...ctx.common,
    title: ctx.viewer.translator.t('deepLinking.title'),
    message: ctx.viewer.translator.t('deepLinking.returning'),
    button: ctx.viewer.translator.t('deepLinking.returnButton'),
    ...answer,
  });
}

/**
 * Zoom accepts only licensed, active users of the account as alternative hosts: checked before
 * asking it. The form's error when an added one is not, else undefined.
 */
async function hostsRefused(
  deps: MeetingRouteDeps,
  ctx: Context,
  chosen: string[],
  already: string[] = [],
): Promise<FieldErrors | undefined> {
  const added = chosen.filter((email) => !already.includes(email));
  if (added.length === 0) return undefined;
  const candidates = await deps.pages.candidates({ ...ctx, schoolId: ctx.school.id }, ctx.launch.email);
  const allowed = new Set(candidates.filter((c) => c.allowed && c.email).map((c) => c.email));
  if (added.every((email) => allowed.has(email))) return undefined;
  return { alternativeHosts: 'alternative_host_not_allowed' };
}
