import express, { type Router } from 'express';
import { parseBody } from './zoom-sim.api.schema';
import { callerOf, SCOPES, scopeForMeeting } from './zoom-sim.auth';
import type { ApiDeps } from './zoom-sim.api.routes';
import { rateLimit } from './zoom-sim.limits';
import { registrantCreateSchema } from './zoom-sim.registrants';
import { singleValues } from './zoom-sim.schema';

/** `POST /meetings/{id}/registrants` (Light) and `GET /meetings/{id}/registrants` (Medium), as Zoom rates them. */
export function registrantsRouter({ ctx, registrants, limiter }: ApiDeps): Router {
  const router = express.Router();

  router.post(
    '/meetings/:meetingId/registrants',
    scopeForMeeting(ctx, SCOPES.registrantWrite),
    rateLimit(limiter, 'Light'),
    (req, res) => {
      const body = parseBody(registrantCreateSchema, req.body);
      res.status(201).json(registrants.add(callerOf(res), String(req.params.meetingId), body));
    },
  );

  router.get(
    '/meetings/:meetingId/registrants',
    scopeForMeeting(ctx, SCOPES.registrantList),
    rateLimit(limiter, 'Medium'),
    (req, res) => {
      res.json(registrants.list(callerOf(res), String(req.params.meetingId), singleValues(req.query)));
    },
  );

  return router;
}
