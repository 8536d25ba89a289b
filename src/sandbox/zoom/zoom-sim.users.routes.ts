import express, { type Router } from 'express';
import { parseBody, userCreateSchema, userUpdateSchema } from './zoom-sim.api.schema';
import { assertScope, callerOf, SCOPES, scopeForUser } from './zoom-sim.auth';
import type { ApiDeps } from './zoom-sim.api.routes';
import { rateLimit } from './zoom-sim.limits';

/** `POST /users`, `GET /users/{userId|email|me}`, `PATCH /users/{userId}`. */
export function usersRouter({ ctx, users, limiter }: ApiDeps): Router {
  const router = express.Router();

  router.post(
    '/users',
    (_req, res, next) => {
      assertScope(callerOf(res), SCOPES.userCreate, false);
      next();
    },
    rateLimit(limiter, 'Light'),
    (req, res) => {
      const user = users.create(callerOf(res), parseBody(userCreateSchema, req.body));
      res.status(201).json({
        id: user.id,
        first_name: user.first_name,
        last_name: user.last_name,
        email: user.email,
        type: user.type,
      });
    },
  );

  router.get(
    '/users/:userId',
    scopeForUser(ctx, SCOPES.userRead),
    rateLimit(limiter, 'Light'),
    (req, res) => {
      res.json(users.present(users.resolve(callerOf(res), String(req.params.userId))));
    },
  );

  router.patch(
    '/users/:userId',
    scopeForUser(ctx, SCOPES.userUpdate),
    rateLimit(limiter, 'Light'),
    (req, res) => {
      const caller = callerOf(res);
      const user = users.resolve(caller, String(req.params.userId));
      users.update(caller, user, parseBody(userUpdateSchema, req.body));
      res.status(204).end();
    },
  );

  return router;
}
