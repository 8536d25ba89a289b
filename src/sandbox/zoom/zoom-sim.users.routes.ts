import express, { type Router } from 'express';
import {
  parseBody,
  userCreateSchema,
  userDeleteQuerySchema,
  userStatusSchema,
  userUpdateSchema,
} from './zoom-sim.api.schema';
import { assertScope, callerOf, SCOPES, scopeForUser, type ScopeRule } from './zoom-sim.auth';
import type { ApiDeps } from './zoom-sim.api.routes';
import { rateLimit } from './zoom-sim.limits';
import { singleValues } from './zoom-sim.schema';

/** Deleting a user and changing their status are admin acts (classic or granular scopes). */
const USER_DELETE: ScopeRule = { admin: ['user:write:admin', 'user:delete:user:admin'], self: [] };
const USER_STATUS: ScopeRule = {
  admin: ['user:write:admin', 'user:update:status:admin', 'user:write:user:admin'],
  self: [],
};

/**
 * `POST /users`, `GET /users/{userId|email|me}`, `PATCH /users/{userId}`, `DELETE /users/{userId}`,
 * `PUT /users/{userId}/status`.
 */
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

  router.delete('/users/:userId', scopeForUser(ctx, USER_DELETE), rateLimit(limiter, 'Light'), (req, res) => {
    const caller = callerOf(res);
    const query = parseBody(userDeleteQuerySchema, singleValues(req.query));
    users.remove(caller, users.resolve(caller, String(req.params.userId)), {
      action: query.action,
      transferEmail: query.transfer_email,
      transferMeeting: query.transfer_meeting === 'true',
    });
    res.status(204).end();
  });

  router.put(
    '/users/:userId/status',
    scopeForUser(ctx, USER_STATUS),
    rateLimit(limiter, 'Light'),
    (req, res) => {
      const caller = callerOf(res);
      const user = users.resolve(caller, String(req.params.userId));
      const { action } = parseBody(userStatusSchema, req.body);
      users.changeStatus(user, action === 'activate' ? 'active' : 'inactive', {
        operator: users.operatorEmail(caller),
        operator_id: caller.token.user_id,
      });
      res.status(204).end();
    },
  );

  return router;
}
