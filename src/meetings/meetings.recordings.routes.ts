import express, { type Router } from 'express';
import { z } from 'zod';
import { isStaff, launchSections } from '../lti';
import { asyncHandler } from '../shared/http';
import { parseInput } from '../shared/validation';
import { requestContext } from '../web';
import { assertCanChangeMeetings } from './meetings.policy';
import type { RecordingsHiding } from './meetings.recordings.hide';

const params = z.object({ meetingId: z.uuid(), key: z.string().min(1).max(400) });
const hideForm = z.object({ csrf: z.string().optional(), action: z.enum(['hide', 'show']) });

/**
 * A course's recordings behind the launch (mounted on the protected router, so under /lti):
 * - `GET /recordings/:meetingId/:key/watch`: a viewer of the course is sent (303) to Zoom's current
 *   link of a recording they may see; the course page links here, never to Zoom. A hidden one gets
 *   a page in words, no redirect. Never cached, no referrer.
 * - `POST /recordings/:meetingId/:key/visibility` (`action` hide | show, the form token): staff
 *   hide a recording from students (Zoom's sharing off, a new passcode) or show it again.
 */
export function recordingRoutes(deps: { hiding: RecordingsHiding }): Router {
  const router = express.Router();

  router.get(
    '/recordings/:meetingId/:key/watch',
    asyncHandler(async (req, res) => {
      const { launch, school, translator, link } = requestContext(res);
      const { meetingId, key } = parseInput(params, req.params);
      const course = { schoolId: school.id, lmsIssuer: launch.issuer, contextId: launch.course.id };
      const staff = isStaff(launch.role);
      const answer = await deps.hiding.watch(course, meetingId, key, {
        staff,
        userId: launch.userId,
        sectionIds: launchSections(launch.custom)?.map((section) => section.id),
      });
      res.set('Cache-Control', 'no-store');
      res.set('Referrer-Policy', 'no-referrer');
      if ('url' in answer) {
        res.redirect(303, answer.url);
        return;
      }
      res.status(answer.refused === 'pending' ? 503 : 403).render('meetings/recording-unavailable', {
        t: translator.t,
        lang: translator.language,
        title: translator.t('recordings.title'),
        reason: answer.refused,
        staff,
        topic: answer.topic,
        courseUrl: link('/course'),
      });
    }),
  );

  router.post(
    '/recordings/:meetingId/:key/visibility',
    asyncHandler(async (req, res) => {
      const { launch, school, assertForm, link } = requestContext(res);
      assertCanChangeMeetings(launch);
      assertForm(req.body);
      const { meetingId, key } = parseInput(params, req.params);
      const form = parseInput(hideForm, req.body);
      const course = { schoolId: school.id, lmsIssuer: launch.issuer, contextId: launch.course.id };
      await deps.hiding.setHidden(course, meetingId, key, form.action === 'hide', launch.userId);
      // The Recordings tab says where Zoom's sharing is (revoking, revoked, restoring, failed).
      res.redirect(303, `${link('/course')}#panel-recordings`);
    }),
  );

  return router;
}
