import express, { type Router } from 'express';
import { z } from 'zod';
import { launchSections } from '../lti';
import { asyncHandler } from '../shared/http';
import { requestContext } from '../web';
import type { AttendanceJoin } from './attendance.join.service';

const querySchema = z.object({
  wait: z.literal('1').optional(),
  since: z.coerce.number().int().positive().optional().catch(undefined),
  format: z.literal('json').optional().catch(undefined),
});

/**
 * `GET /lti/meetings/:id/join` (behind the ltik): the viewer's own Zoom link (303), or the page that
 * waits for it (`?wait=1` reads only our table). The link is never logged nor cached.
 */
export function joinRoutes(deps: { join: AttendanceJoin }): Router {
  const router = express.Router();
  router.get(
    '/meetings/:id/join',
    asyncHandler(async (req, res) => {
      const { launch, school, translator, link } = requestContext(res);
      const query = querySchema.catch({ since: undefined, format: undefined }).parse(req.query);
      const answer = await deps.join.join(
        {
          schoolId: school.id,
          issuer: launch.issuer,
          contextId: launch.course.id,
          userId: launch.userId,
          name: launch.name,
          role: launch.role,
          sectionIds: launchSections(launch.custom)?.map((section) => section.id),
        },
        String(req.params.id),
        { wait: query.wait === '1', since: query.since },
      );
      res.set('Cache-Control', 'no-store');
      res.set('Referrer-Policy', 'no-referrer');
      if (query.format === 'json') {
        res.json(
          answer.kind === 'redirect'
            ? { url: answer.url }
            : { url: null, plain: answer.kind === 'wait' && answer.plainUrl !== undefined },
        );
        return;
      }
      if (answer.kind === 'redirect') {
        res.redirect(303, answer.url);
        return;
      }
      const since = answer.kind === 'wait' ? String(answer.since) : undefined;
      res.status(answer.kind === 'deleted' ? 410 : 200).render('meetings/join-wait', {
        t: translator.t,
        lang: translator.language,
        title: translator.t('join.title', { topic: answer.topic }),
        topic: answer.topic,
        deleted: answer.kind === 'deleted',
        plainUrl: answer.kind === 'wait' ? answer.plainUrl : undefined,
        pollUrl: link(`/meetings/${encodeURIComponent(String(req.params.id))}/join`, { wait: '1', since }),
        courseUrl: link('/course'),
      });
    }),
  );
  return router;
}
