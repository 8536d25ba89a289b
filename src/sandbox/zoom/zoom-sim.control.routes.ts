import express, { type ErrorRequestHandler, type Router } from 'express';
import { z } from 'zod';
import type { SimContext } from './zoom-sim.context';
import { classSchema, joinSchema, leaveSchema } from './zoom-sim.attendance';
import { SimControlError } from './zoom-sim.errors';
import {
  accountRefSchema,
  accountSettingsSchema,
  advanceClockSchema,
  appScopesSchema,
  createAccountSchema,
  createAppSchema,
  disableAppSchema,
  endMeetingSchema,
  faultSchema,
  limitsSchema,
  requestFilterSchema,
  singleValues,
} from './zoom-sim.schema';
import type { ZoomSimulator } from './zoom-sim.types';

const deleteUserSchema = z.object({ action: z.enum(['delete', 'disassociate']).default('delete') });

/**
 * The `/_sim/` control surface (JSON). Each route validates its body and calls the same method of
 * the in-process API, so HTTP and in-process use behave alike. See docs/zoom-simulator.md.
 */
export function controlRouter(ctx: SimContext, simulator: () => ZoomSimulator): Router {
  const router = express.Router();
  router.use((req, _res, next) => {
    const expected = ctx.options.controlToken;
    if (expected !== undefined && req.headers['x-sim-token'] !== expected) {
      return next(new SimControlError(401, 'Missing or wrong x-sim-token header.'));
    }
    next();
  });
  router.use(express.json({ limit: '1mb' }));
  const sim = () => simulator();
  const clock = () => ({ now: ctx.clock.now(), iso: ctx.clock.iso() });

  router.post('/accounts', async (req, res, next) => {
    try {
      res.status(201).json(await sim().createAccount(createAccountSchema.parse(req.body)));
    } catch (err) {
      next(err);
    }
  });

  router.get('/accounts/:accountId', (req, res) => {
    const account = ctx.state.accounts.get(req.params.accountId);
    if (!account) throw new SimControlError(404, `No simulated account ${req.params.accountId}.`);
    res.json({ account, users: sim().users(account.id), meetings: sim().meetings(account.id) });
  });

  router.post('/accounts/:accountId/limits', (req, res) => {
    sim().setLimits(req.params.accountId, limitsSchema.parse(req.body ?? {}));
    res.json({ limits: ctx.state.accounts.get(req.params.accountId)?.limits });
  });

  router.post('/accounts/:accountId/settings', (req, res) => {
    sim().setAccountSettings(req.params.accountId, accountSettingsSchema.parse(req.body ?? {}));
    const account = ctx.state.accounts.get(req.params.accountId);
    res.json({
      require_passcode: account?.require_passcode,
      recording_passcode: account?.recording_passcode,
    });
  });

  router.post('/apps', async (req, res, next) => {
    try {
      res.status(201).json(await sim().createApp(createAppSchema.parse(req.body)));
    } catch (err) {
      next(err);
    }
  });

  router.post('/apps/:clientId/disable', (req, res) => {
    const { disabled } = disableAppSchema.parse(req.body ?? {});
    sim().setAppDisabled(req.params.clientId, disabled);
    res.json({ client_id: req.params.clientId, disabled });
  });

  router.post('/apps/:clientId/scopes', (req, res) => {
    const { scopes } = appScopesSchema.parse(req.body ?? {});
    const list = typeof scopes === 'string' ? scopes.split(/\s+/).filter(Boolean) : scopes;
    sim().setAppScopes(req.params.clientId, list);
    res.json({ client_id: req.params.clientId, scopes: list });
  });

  router.post('/apps/:clientId/tokens', (req, res) => {
    res.json(sim().issueTokens(req.params.clientId, accountRefSchema.parse(req.body).account_id));
  });

  router.post('/apps/:clientId/deauthorize', async (req, res, next) => {
    try {
      await sim().deauthorize(req.params.clientId, accountRefSchema.parse(req.body).account_id);
      res.json({ status: 'deauthorized' });
    } catch (err) {
      next(err);
    }
  });

  router.post('/apps/:clientId/webhook-validation', async (req, res, next) => {
    try {
      res.json(await sim().validateWebhook(req.params.clientId));
    } catch (err) {
      next(err);
    }
  });

  router.post('/users/:ref/:action(activate|deactivate)', (req, res) => {
    const ref = String(req.params.ref);
    if (req.params.action === 'activate') sim().activateUser(ref);
    else sim().deactivateUser(ref);
    res.json({ user: ctx.state.findUser(ref) });
  });

  router.post('/users/:ref/delete', (req, res) => {
    const { action } = deleteUserSchema.parse(req.body ?? {});
    sim().deleteUser(String(req.params.ref), action);
    res.json({ deleted: String(req.params.ref), action });
  });

  router.get('/clock', (_req, res) => {
    res.json(clock());
  });

  router.post('/clock/advance', async (req, res, next) => {
    try {
      await sim().advanceClock(advanceClockSchema.parse(req.body).seconds);
      res.json(clock());
    } catch (err) {
      next(err);
    }
  });

  router.post('/faults', (req, res) => {
    res.status(201).json({ id: sim().injectFault(faultSchema.parse(req.body)) });
  });

  router.delete('/faults', (_req, res) => {
    sim().clearFaults();
    res.status(204).end();
  });

  router.get('/requests', (req, res) => {
    res.json({ requests: sim().requests(requestFilterSchema.parse(singleValues(req.query))) });
  });

  router.delete('/requests', (_req, res) => {
    sim().clearRequests();
    res.status(204).end();
  });

  router.post('/meetings/:id/start', (req, res) => {
    sim().startMeeting(req.params.id);
    res.json({ status: 'started' });
  });

  router.post('/meetings/:id/end', (req, res) => {
    sim().endMeeting(req.params.id, endMeetingSchema.parse(req.body ?? {}));
    const meeting = ctx.state.findMeeting(req.params.id)?.meeting;
    const instance = meeting?.instances[meeting.instances.length - 1];
    res.json({ ended: instance ?? null });
  });

  router.post('/meetings/:id/participants/join', (req, res) => {
    res.status(201).json({ session: sim().joinMeeting(req.params.id, joinSchema.parse(req.body ?? {})) });
  });

  router.post('/meetings/:id/participants/leave', (req, res) => {
    res.json({ session: sim().leaveMeeting(req.params.id, leaveSchema.parse(req.body ?? {})) });
  });

  router.post('/meetings/:id/class', async (req, res, next) => {
    try {
      res.json(await sim().playClass(req.params.id, classSchema.parse(req.body ?? {})));
    } catch (err) {
      next(err);
    }
  });

  router.get('/webhooks', (req, res) => {
    const q = singleValues(req.query);
    res.json({ deliveries: sim().webhookDeliveries({ client_id: q.client_id, event: q.event }) });
  });

  router.get('/tokens', (req, res) => {
    const q = singleValues(req.query);
    const kind = q.kind === 'oauth' || q.kind === 's2s' ? q.kind : undefined;
    res.json({ issued: sim().tokensIssued({ client_id: q.client_id, account_id: q.account_id, kind }) });
  });

  router.post('/reset', (_req, res) => {
    sim().reset();
    res.status(204).end();
  });

  router.use((_req, _res, next) => next(new SimControlError(404, 'No such control endpoint.')));
  router.use(controlErrorHandler);
  return router;
}

const controlErrorHandler: ErrorRequestHandler = (err: unknown, _req, res, _next) => {
  if (err instanceof z.ZodError) {
    return res.status(400).json({
      error: 'invalid_request',
      issues: err.issues.map((i) => ({ path: i.path.map(String).join('.'), message: i.message })),
    });
  }
  if (err instanceof SimControlError) return res.status(err.status).json({ error: err.message });
  if (typeof err === 'object' && err !== null && (err as { type?: unknown }).type === 'entity.parse.failed') {
    return res.status(400).json({ error: 'The body is not valid JSON.' });
  }
  res.status(500).json({ error: err instanceof Error ? err.message : 'Internal error' });
};
