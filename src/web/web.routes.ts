import express, { type Router } from 'express';
import { describeRole, launchOf } from '../lti';
import { asyncHandler } from '../shared/http';
import type { CoursePagePresenter } from './web.presenter';

/** `/healthz`: the process is up. `/readyz`: the database answers and migrations are applied. */
export function healthRoutes(checkReady: () => Promise<boolean>): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await checkReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  });
  return router;
}

/** Pages reached after a launch (mounted on the LTI provider's protected router). */
export function coursePageRoutes(present: CoursePagePresenter): Router {
  const router = express.Router();
  router.get(
    '/course',
    asyncHandler(async (_req, res) => {
      const launch = launchOf(res);
      res.render('course', await present(launch, describeRole(launch.role)));
    }),
  );
  return router;
}
