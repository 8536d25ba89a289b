import express, { type Router } from 'express';
import { meetingCreateSchema, meetingUpdateSchema, parseBody } from './zoom-sim.api.schema';
import { callerOf, SCOPES, scopeForMeeting, scopeForUser } from './zoom-sim.auth';
import type { ApiDeps } from './zoom-sim.api.routes';
import { rateLimit } from './zoom-sim.limits';
import { singleValues } from './zoom-sim.schema';

/** Meeting create / list for a user, and get / update / delete by meeting id. */
export function meetingsRouter({ ctx, meetings, presenter, limiter }: ApiDeps): Router {
  const router = express.Router();

  router.post(
    '/users/:userId/meetings',
    scopeForUser(ctx, SCOPES.meetingCreate),
    rateLimit(limiter, 'Medium'),
    (req, res) => {
      const meeting = meetings.create(
        callerOf(res),
        String(req.params.userId),
        parseBody(meetingCreateSchema, req.body),
      );
      res.status(201).json(presenter.full(meeting));
    },
  );

  router.get(
    '/users/:userId/meetings',
    scopeForUser(ctx, SCOPES.meetingList),
    rateLimit(limiter, 'Medium'),
    (req, res) => {
      const page = meetings.list(callerOf(res), String(req.params.userId), singleValues(req.query));
      res.json({
        page_size: page.page_size,
        total_records: page.total_records,
        next_page_token: page.next_page_token,
        meetings: page.items.map((m) => presenter.listItem(m)),
      });
    },
  );

  router.get(
    '/meetings/:meetingId',
    scopeForMeeting(ctx, SCOPES.meetingRead),
    rateLimit(limiter, 'Light'),
    (req, res) => {
      res.json(presenter.full(meetings.find(callerOf(res), String(req.params.meetingId))));
    },
  );

  router.patch(
    '/meetings/:meetingId',
    scopeForMeeting(ctx, SCOPES.meetingUpdate),
    rateLimit(limiter, 'Light'),
    (req, res) => {
      const occurrenceId = singleValues(req.query).occurrence_id;
      meetings.update(
        callerOf(res),
        String(req.params.meetingId),
        parseBody(meetingUpdateSchema, req.body),
        occurrenceId,
      );
      res.status(204).end();
    },
  );

  router.delete(
    '/meetings/:meetingId',
    scopeForMeeting(ctx, SCOPES.meetingDelete),
    rateLimit(limiter, 'Light'),
    (req, res) => {
      meetings.delete(callerOf(res), String(req.params.meetingId), singleValues(req.query).occurrence_id);
      res.status(204).end();
    },
  );

  return router;
}
