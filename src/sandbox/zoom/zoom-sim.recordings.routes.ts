import express, { type Router } from 'express';
import { callerOf, SCOPES, scopeForMeeting, scopeForUser } from './zoom-sim.auth';
import type { ApiDeps } from './zoom-sim.api.routes';
import { rateLimit } from './zoom-sim.limits';
import { singleValues } from './zoom-sim.schema';

/** Recordings of a meeting or a user, a meeting's ended instances, and participants of a past instance. */
export function recordingsRouter({ ctx, recordings, limiter }: ApiDeps): Router {
  const router = express.Router();

  router.get(
    '/meetings/:meetingId/recordings',
    scopeForMeeting(ctx, SCOPES.recordingRead),
    rateLimit(limiter, 'Light'),
    (req, res) => {
      res.json(recordings.meetingRecordings(callerOf(res), String(req.params.meetingId)));
    },
  );

  router.get(
    '/users/:userId/recordings',
    scopeForUser(ctx, SCOPES.recordingList),
    rateLimit(limiter, 'Medium'),
    (req, res) => {
      res.json(recordings.userRecordings(callerOf(res), String(req.params.userId), singleValues(req.query)));
    },
  );

  router.get(
    '/past_meetings/:meetingId/instances',
    scopeForMeeting(ctx, SCOPES.pastInstances),
    rateLimit(limiter, 'Medium'),
    (req, res) => {
      res.json(recordings.pastInstances(callerOf(res), String(req.params.meetingId)));
    },
  );

  router.get(
    '/past_meetings/:meetingId/participants',
    scopeForMeeting(ctx, SCOPES.pastParticipants),
    rateLimit(limiter, 'Medium'),
    (req, res) => {
      res.json(
        recordings.participants(callerOf(res), String(req.params.meetingId), singleValues(req.query), false),
      );
    },
  );

  router.get(
    '/report/meetings/:meetingId/participants',
    scopeForMeeting(ctx, SCOPES.reportParticipants),
    rateLimit(limiter, 'Heavy'),
    (req, res) => {
      res.json(
        recordings.participants(callerOf(res), String(req.params.meetingId), singleValues(req.query), true),
      );
    },
  );

  return router;
}
