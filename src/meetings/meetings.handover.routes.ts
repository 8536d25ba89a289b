import express, { type Request, type Response, type Router } from 'express';
import { z } from 'zod';
import { asyncHandler } from '../shared/http';
import { parseInput } from '../shared/validation';
import type { HandoverOutcome, MeetingHandover } from './meetings.handover';
import { courseContextOf } from './meetings.context';
import { assertCanChangeMeetings } from './meetings.policy';

export interface HandoverRouteDeps {
  handover: MeetingHandover;
}

const OUTCOMES: HandoverOutcome[] = ['moved', 'recreated', 'pending'];
const count = z.coerce.number().int().min(0).max(10_000).optional();
const ids = z.union([z.uuid(), z.array(z.uuid()).min(1).max(500)]).optional();

/** The hand-over form: the new host, and the meetings (none named: all of the course's without a host). */
const handoverForm = z.looseObject({ to: z.string().min(1).max(255), m: ids });
const pageQuery = z.looseObject({
  m: z.uuid().optional(),
  moved: count,
  recreated: count,
  pending: count,
});

/** Staff only; the course and the viewer's zone, resolved once per request. */
function contextOf(req: Request, res: Response) {
  const ctx = courseContextOf(req, res, Date.now());
  assertCanChangeMeetings(ctx.launch);
  return ctx;
}

/** `GET /handover[?m=]`: the course's meetings without a host and who may take them; `POST /handover` hands them over. */
export function handoverRoutes(deps: HandoverRouteDeps): Router {
  const router = express.Router();

  router.get(
    '/handover',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res);
      const query = parseInput(pageQuery, req.query);
      const model = await deps.handover.page(ctx.course, query.m, {
        timeZone: ctx.timeZone,
        locale: ctx.translator.locale,
      });
      const done = OUTCOMES.filter((o) => (query[o] ?? 0) > 0).map((o) =>
        ctx.translator.t(`handover.done.${o}`, { count: query[o] }),
      );
      res.render('course-life/handover', {
        ...ctx.common,
        title: ctx.translator.t('handover.title'),
        ...model,
        done,
      });
    }),
  );

  router.post(
    '/handover',
    asyncHandler(async (req, res) => {
      const ctx = contextOf(req, res);
      ctx.assertForm(req.body);
      const form = parseInput(handoverForm, req.body);
      const meetings = form.m === undefined ? 'all' : typeof form.m === 'string' ? [form.m] : form.m;
      const counts = await deps.handover.handOver(ctx.course, meetings, form.to, ctx.actor);
      const params = Object.fromEntries(
        OUTCOMES.filter((o) => counts[o] > 0).map((o) => [o, String(counts[o])]),
      );
      res.redirect(303, ctx.link('/handover', params));
    }),
  );

  return router;
}
