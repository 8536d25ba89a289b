import express, { type Router } from 'express';
import { errors } from '../shared/errors';
import { asyncHandler } from '../shared/http';
import { courseCalendar, courseOfRef, signatureMatches } from './meetings.ics';
import type { MeetingsService } from './meetings.service';

/** The course's calendar feed: a public URL, signed (no launch: calendar apps fetch it). */
export function calendarRoutes(deps: {
  meetings: Pick<MeetingsService, 'calendarOf'>;
  feedKey: Buffer;
  publicUrl: string;
}): Router {
  const router = express.Router();
  router.get(
    '/calendar/:ref/:file',
    asyncHandler(async (req, res) => {
      const file = /^([A-Za-z0-9_-]{20,64})\.ics$/.exec(String(req.params.file));
      const key = courseOfRef(String(req.params.ref));
      const signature = file?.[1];
      const feed =
        key && signature
          ? await deps.meetings.calendarOf(key, (course) => signatureMatches(deps.feedKey, course, signature))
          : undefined;
      if (!feed) throw errors.notFound();
      const body = courseCalendar(feed.course, feed.meetings, deps.publicUrl);
      res.type('text/calendar; charset=utf-8').set('Cache-Control', 'private, max-age=300').send(body);
    }),
  );
  return router;
}
