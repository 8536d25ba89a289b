import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { asyncHandler } from '../shared/http';
import { parseInput } from '../shared/validation';
import { courseContextOf } from './meetings.context';
import { assertCanChangeMeetings } from './meetings.policy';
import type { NextTermService, SeriesPick } from './meetings.nextterm';
import { MAX_OCCURRENCES } from './meetings.schema';
import { wallTime } from './meetings.time';

export interface NextTermRouteDeps {
  nextTerm: NextTermService;
  now?: () => number;
}

const list = z.preprocess(
  (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.uuid()).max(200),
);
const bringFormSchema = z.looseObject({ pick: list });

type FieldErrors = Record<string, string>;

/** The course page's request context, with this page's title. */
function contextOf(req: Request, res: Response, now: number) {
  const ctx = courseContextOf(req, res, now);
  const { translator, launch } = ctx;
  const common = {
    ...ctx.common,
    title: translator.t('nextTerm.title'),
    courseTitle: launch.course.title ?? launch.course.label ?? '',
  };
  return { ...ctx, common };
}

/** Each picked series' new date and count, checked (catalog keys per field), or the picks. */
function parsePicks(
  body: Record<string, unknown>,
  picked: string[],
  series: { id: string; recurring: boolean; time: string; timeZone: string }[],
  now: number,
): { ok: true; picks: SeriesPick[] } | { ok: false; errors: FieldErrors } {
  const errors: FieldErrors = {};
  const picks: SeriesPick[] = [];
  if (picked.length === 0) errors.pick = 'nextTerm.errors.noneChosen';
  for (const id of picked) {
    const choice = series.find((s) => s.id === id);
    const date = typeof body[`date-${id}`] === 'string' ? String(body[`date-${id}`]) : '';
    // Not one of the earlier course's: the service refuses it (404), whatever its date.
    if (!choice) {
      picks.push({ meetingId: id, date, count: undefined });
      continue;
    }
    const start = /^\d{4}-\d{2}-\d{2}$/.test(date) ? wallTime(date, choice.time, choice.timeZone) : undefined;
    if (!start?.isValid) errors[`date-${id}`] = 'nextTerm.errors.date';
    else if (start.toMillis() < now) errors[`date-${id}`] = 'nextTerm.errors.datePast';
    let count: number | undefined;
    if (choice.recurring) {
      count = Number(body[`count-${id}`]);
      if (!Number.isInteger(count) || count < 1 || count > MAX_OCCURRENCES)
        errors[`count-${id}`] = 'nextTerm.errors.count';
    }
    picks.push({ meetingId: id, date, count });
  }
  return Object.keys(errors).length > 0 ? { ok: false, errors } : { ok: true, picks };
}

/** Next term (behind the launch): the offer page, bringing series over, and "No thanks". */
export function nextTermRoutes(deps: NextTermRouteDeps): Router {
  const router = express.Router();
  const now = deps.now ?? Date.now;

  const render = async (
    res: Response,
    ctx: ReturnType<typeof contextOf>,
    form?: { values: Record<string, unknown>; errors: FieldErrors; refused?: unknown[] },
  ) => {
    const model = await deps.nextTerm.choices(ctx.course, ctx.launch, ctx.viewer);
    res.render('course-life/next-term', { ...ctx.common, model, form });
  };

  router.get(
    '/next-term',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res, now());
      assertCanChangeMeetings(ctx.launch);
      await render(res, ctx);
    }),
  );

  router.post(
    '/next-term',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res, now());
      assertCanChangeMeetings(ctx.launch);
      ctx.assertForm(req.body);
      const body = (req.body ?? {}) as Record<string, unknown>;
      const { pick } = parseInput(bringFormSchema, body);
      const model = await deps.nextTerm.choices(ctx.course, ctx.launch, ctx.viewer);
      const parsed = parsePicks(body, pick, model.series, ctx.viewer.now);
      if (!parsed.ok) {
        res.status(400);
        return render(res, ctx, { values: body, errors: parsed.errors });
      }
      const result = await deps.nextTerm.bring(
        ctx.course,
        ctx.launch,
        ctx.actor,
        ctx.translator,
        parsed.picks,
      );
      if (result.refused.length > 0) {
        res.status(409);
        return render(res, ctx, { values: body, errors: {}, refused: result.refused });
      }
      res.redirect(303, ctx.link('/next-term/done', { count: String(result.brought.length) }));
    }),
  );

  router.get(
    '/next-term/done',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res, now());
      assertCanChangeMeetings(ctx.launch);
      const count = Math.min(200, Math.max(0, Number.parseInt(String(req.query.count ?? '0'), 10) || 0));
      res.render('course-life/next-term-done', { ...ctx.common, count });
    }),
  );

  router.post(
    '/next-term/dismiss',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res, now());
      assertCanChangeMeetings(ctx.launch);
      ctx.assertForm(req.body);
      await deps.nextTerm.dismiss(ctx.course, ctx.launch);
      res.redirect(303, ctx.link('/course'));
    }),
  );

  return router;
}
