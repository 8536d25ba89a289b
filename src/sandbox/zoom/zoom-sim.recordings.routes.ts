import express, { type Router } from 'express';
import { callerOf, SCOPES, scopeForMeeting, scopeForUser, type ScopeRule } from './zoom-sim.auth';
import type { ApiDeps } from './zoom-sim.api.routes';
import { parseBody } from './zoom-sim.api.schema';
import { rateLimit } from './zoom-sim.limits';
import { recordingSettingsUpdateSchema } from './zoom-sim.recordings.sharing';
import { singleValues } from './zoom-sim.schema';

/** A recording's sharing settings: read with the recording scopes, changed with the write ones. */
const SETTINGS_SCOPES = {
  read: {
    admin: ['recording:read:admin', 'cloud_recording:read:recording_settings:admin'],
    self: ['recording:read', 'cloud_recording:read:recording_settings'],
  },
  write: {
    admin: ['recording:write:admin', 'cloud_recording:update:recording_settings:admin'],
    self: ['recording:write', 'cloud_recording:update:recording_settings'],
  },
} satisfies Record<string, ScopeRule>;

/** Recordings of a meeting or a user, a recording's sharing settings, a meeting's ended instances, and participants of a past instance. */
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
    '/meetings/:meetingId/recordings/settings',
    scopeForMeeting(ctx, SETTINGS_SCOPES.read),
    rateLimit(limiter, 'Light'),
    (req, res) => {
      res.json(recordings.settings(callerOf(res), String(req.params.meetingId)));
    },
  );

  router.patch(
    '/meetings/:meetingId/recordings/settings',
    scopeForMeeting(ctx, SETTINGS_SCOPES.write),
    rateLimit(limiter, 'Light'),
    (req, res) => {
      recordings.updateSettings(
        callerOf(res),
        String(req.params.meetingId),
        parseBody(recordingSettingsUpdateSchema, req.body),
      );
      res.status(204).end();
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
