import express, { type Router } from 'express';
import { requireToken } from './zoom-sim.auth';
import type { SimContext } from './zoom-sim.context';
import { apiErrorHandler, zoomErrors } from './zoom-sim.errors';
import type { RateLimiter } from './zoom-sim.limits';
import type { MeetingPresenter } from './zoom-sim.meetings.presenter';
import { meetingsRouter } from './zoom-sim.meetings.routes';
import type { MeetingsService } from './zoom-sim.meetings';
import type { RecordingsService } from './zoom-sim.recordings';
import { recordingsRouter } from './zoom-sim.recordings.routes';
import type { RegistrantsService } from './zoom-sim.registrants';
import { registrantsRouter } from './zoom-sim.registrants.routes';
import type { TokenService } from './zoom-sim.tokens';
import { usersRouter } from './zoom-sim.users.routes';
import type { UsersService } from './zoom-sim.users';

/** The `/v2` API: JSON bodies, bearer token, the capability routers, Zoom-shaped errors. */
export interface ApiDeps {
  ctx: SimContext;
  tokens: TokenService;
  users: UsersService;
  meetings: MeetingsService;
  recordings: RecordingsService;
  registrants: RegistrantsService;
  presenter: MeetingPresenter;
  limiter: RateLimiter;
}

export function apiRouter(deps: ApiDeps): Router {
  const router = express.Router();
  router.use(express.json({ limit: '1mb' }));
  router.use(requireToken(deps.ctx, deps.tokens));
  router.use(usersRouter(deps));
  router.use(meetingsRouter(deps));
  router.use(recordingsRouter(deps));
  router.use(registrantsRouter(deps));
  router.use((_req, _res, next) => next(zoomErrors.notFound()));
  router.use(apiErrorHandler(deps.ctx.options));
  return router;
}
