import express, { type Express, type RequestHandler } from 'express';
import { apiRouter, type ApiDeps } from './zoom-sim.api.routes';
import { identifyCaller } from './zoom-sim.auth';
import { controlRouter } from './zoom-sim.control.routes';
import type { FaultInjector } from './zoom-sim.faults';
import type { OAuthService } from './zoom-sim.oauth';
import { oauthRouter } from './zoom-sim.oauth.routes';
import { recordingsWebRouter } from './zoom-sim.recordings.web';
import type { RequestLog } from './zoom-sim.requestlog';
import type { ZoomSimulator } from './zoom-sim.types';
import { webRouter } from './zoom-sim.web.routes';

/**
 * The Express app of the simulator, without listening: request log first, then the control
 * surface (never logged or faulted), then caller identification, faults, and Zoom's surfaces.
 */
export interface AppDeps extends ApiDeps {
  oauth: OAuthService;
  faults: FaultInjector;
  log: RequestLog;
  simulator: () => ZoomSimulator;
}

/** Knows the OAuth client (Basic auth) and S2S account early, so faults can match on them. */
function identifyOAuthClient(): RequestHandler {
  return (req, res, next) => {
    const basic = /^Basic\s+(.+)$/i.exec(req.headers.authorization ?? '');
    if (basic?.[1]) res.locals.clientId = Buffer.from(basic[1], 'base64').toString('utf8').split(':')[0];
    const clientId = typeof req.query.client_id === 'string' ? req.query.client_id : undefined;
    if (clientId) res.locals.clientId = clientId;
    if (typeof req.query.account_id === 'string') res.locals.accountId = req.query.account_id;
    next();
  };
}

export function buildApp(deps: AppDeps): Express {
  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  // Zoom's clock is the simulated one: its answers carry it in `Date`, as any HTTP server does with its own.
  app.use((_req, res, next) => {
    res.setHeader('Date', new Date(deps.ctx.clock.now()).toUTCString());
    next();
  });
  app.use(deps.log.middleware());
  app.use('/_sim', controlRouter(deps.ctx, deps.simulator));
  app.use(identifyCaller(deps.ctx));
  app.use('/oauth', identifyOAuthClient());
  app.use(deps.faults.middleware());
  app.use('/oauth', oauthRouter(deps.ctx, deps.oauth));
  app.use('/v2', apiRouter(deps));
  app.use(webRouter(deps.ctx, deps.meetings, deps.tokens));
  app.use(recordingsWebRouter(deps.recordings));
  app.use((_req, res) => {
    res.status(404).json({ code: 404, message: 'Not Found' });
  });
  return app;
}
