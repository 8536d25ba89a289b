import path from 'node:path';
import express, { Router } from 'express';
import type { Services } from '../services';
import { VIEWS_DIR } from '../services';
import { asyncHandler } from '../shared/http';
import type { Sandbox } from './sandbox';
import { sandboxHome } from './sandbox.presenter';

/**
 * The sandbox's pages on the tool's port, mounted only while the sandbox runs: the home page at
 * `/` (and `/sandbox`), and its stylesheet. Read-only: every change goes through the LMSs' course
 * pages and the simulator's consent page, as it would for a real school.
 */
export function sandboxRoutes(deps: { sandbox: Sandbox; services: Services }): Router {
  const router = Router();
  router.use(
    '/sandbox/assets',
    express.static(path.join(VIEWS_DIR, 'sandbox-assets'), { maxAge: '1h', index: false }),
  );
  const home = asyncHandler(async (_req, res) => {
    res.set('Cache-Control', 'no-store');
    res.render('sandbox-home', await sandboxHome(deps.sandbox, deps.services));
  });
  router.get('/', home);
  router.get('/sandbox', home);
  return router;
}
