import crypto from 'node:crypto';
import express, { type Router } from 'express';
import { bearerOf } from './zoom-sim.auth';
import { expiredStartPage, joinPage, refusalPage, startPage } from './zoom-sim.consent';
import type { SimContext } from './zoom-sim.context';
import type { MeetingsService } from './zoom-sim.meetings';
import { singleValues } from './zoom-sim.schema';
import type { TokenService } from './zoom-sim.tokens';

/**
 * The browser-facing links the API hands out: `start_url` (`/s/{id}?zak=`, valid 2 hours; following
 * it starts the meeting), `join_url` (`/j/{id}`, a registrant's `/w/{id}?tk=`) and recording `download_url` / `play_url`.
 */
export function webRouter(ctx: SimContext, meetings: MeetingsService, tokens: TokenService): Router {
  const router = express.Router();

  router.get('/s/:meetingId', (req, res) => {
    const zak = singleValues(req.query).zak ?? '';
    const saved = ctx.state.zaks.get(zak);
    const meeting = ctx.state.meetings.get(Number(req.params.meetingId));
    res.locals.accountId = meeting?.account_id;
    if (!saved || saved.meeting_id !== Number(req.params.meetingId)) {
      return res
        .status(403)
        .type('html')
        .send(
          refusalPage(
            'Invalid start link',
            'This start link is not valid.',
            'Ask the tool for a new start link.',
            null,
          ),
        );
    }
    if (ctx.clock.now() >= saved.expires_at) return res.status(410).type('html').send(expiredStartPage());
    if (!meeting) {
      return res
        .status(404)
        .type('html')
        .send(
          refusalPage(
            'Meeting not found',
            'This meeting does not exist any more.',
            'Schedule a new meeting.',
            3001,
          ),
        );
    }
    meetings.start(meeting);
    res.type('html').send(startPage(meeting.id, meeting.topic));
  });

  router.get('/j/:meetingId', (req, res) => {
    const meeting = ctx.state.meetings.get(Number(req.params.meetingId));
    if (!meeting) {
      return res
        .status(404)
        .type('html')
        .send(
          refusalPage(
            'Meeting not found',
            'This meeting does not exist any more.',
            'Ask the host for a new link.',
            3001,
          ),
        );
    }
    res.locals.accountId = meeting.account_id;
    res.type('html').send(joinPage(meeting.id, meeting.topic));
  });

  // A registrant's own link: the join page while its token is one of the meeting's registrants'.
  router.get('/w/:meetingId', (req, res) => {
    const meeting = ctx.state.meetings.get(Number(req.params.meetingId));
    const tk = singleValues(req.query).tk;
    const registrant = tk ? meeting?.registrants?.find((r) => r.token === tk) : undefined;
    if (!meeting || !registrant) {
      return res
        .status(meeting ? 403 : 404)
        .type('html')
        .send(
          refusalPage(
            meeting ? 'Invalid registration link' : 'Meeting not found',
            meeting
              ? 'This registration link is not valid for this meeting.'
              : 'This meeting does not exist any more.',
            'Use the join link you were given, or ask the host for a new one.',
            meeting ? null : 3001,
          ),
        );
    }
    res.locals.accountId = meeting.account_id;
    res.type('html').send(joinPage(meeting.id, meeting.topic));
  });

  router.get(['/rec/download/:fileId', '/rec/play/:fileId'], (req, res, next) => {
    const given = bearerOf(req) ?? singleValues(req.query).access_token;
    // A play link opened by a viewer (no token): shared as its recording is (zoom-sim.recordings.web.ts).
    if (given === undefined && req.path.startsWith('/rec/play/')) return next();
    const checked = tokens.check(given);
    if (checked.status !== 'ok') {
      res.locals.errorCode = 124;
      return res.status(401).json({
        code: 124,
        message: checked.status === 'expired' ? 'Access token is expired.' : 'Invalid access token.',
      });
    }
    res.locals.accountId = checked.token.account_id;
    const file = ctx.state
      .accountMeetings(checked.token.account_id)
      .flatMap((m) => m.instances.flatMap((i) => i.recording_files))
      .find((f) => f.id === req.params.fileId);
    if (!file) {
      res.locals.errorCode = 3301;
      return res.status(404).json({ code: 3301, message: 'This recording does not exist.' });
    }
    if (req.path.startsWith('/rec/play/')) return res.type('html').send(joinPage(0, `recording ${file.id}`));
    const content = crypto.createHash('sha256').update(file.id).digest();
    res
      .type(file.file_extension === 'MP4' ? 'video/mp4' : 'audio/mp4')
      .set('Content-Disposition', `attachment; filename="${file.id}.${file.file_extension.toLowerCase()}"`)
      .send(Buffer.concat([Buffer.from('ZOOM-SIMULATOR-RECORDING\n'), content]));
  });

  return router;
}
