import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { AttendanceService } from './zoom-sim.attendance';
import { buildApp } from './zoom-sim.app';
import { CLASSIC_ADMIN_SCOPES } from './zoom-sim.auth';
import { SimClock } from './zoom-sim.clock';
import type { SimContext } from './zoom-sim.context';
import { SimControlError } from './zoom-sim.errors';
import { FaultInjector } from './zoom-sim.faults';
import { RateLimiter } from './zoom-sim.limits';
import { MeetingPresenter } from './zoom-sim.meetings.presenter';
import { MeetingsService } from './zoom-sim.meetings';
import { OAuthService } from './zoom-sim.oauth';
import { resolveOptions, type ZoomSimulatorOptions } from './zoom-sim.options';
import { RecordingsService } from './zoom-sim.recordings';
import { RegistrantsService } from './zoom-sim.registrants';
import { RequestLog } from './zoom-sim.requestlog';
import { DEFAULT_APP_NAME, SimState, type SimApp } from './zoom-sim.state';
import { TokenService } from './zoom-sim.tokens';
import type { CreateAppInput, SimMeeting, ZoomSimulator } from './zoom-sim.types';
import { UsersService } from './zoom-sim.users';
import { WebhookDispatcher } from './zoom-sim.webhooks';

/**
 * Builds a Zoom simulator: state in memory, an Express app, and the in-process API that mirrors the
 * `/_sim/` control endpoints. `start()` listens (port 0 by default); the OAuth base is `baseUrl`,
 * the API base `${baseUrl}/v2`.
 */
export function createZoomSimulator(options: ZoomSimulatorOptions = {}): ZoomSimulator {
  const config = resolveOptions(options);
  const clock = new SimClock(options.clock);
  const state = new SimState(config.uuidGenerator);
  let server: http.Server | null = null;
  let listeningUrl: string | null = null;
  let poller: NodeJS.Timeout | null = null;
  const baseUrl = () => config.baseUrl ?? listeningUrl ?? `http://${config.host}:${config.port}`;

  let tokens: TokenService | null = null;
  const dispatcher = new WebhookDispatcher(state, clock, config, (c, a) => tokens?.installed(c, a) ?? false);
  const ctx: SimContext = { state, clock, options: config, events: dispatcher, baseUrl };
  tokens = new TokenService(ctx);
  const tokenService = tokens;
  const oauth = new OAuthService(ctx, tokenService);
  const limiter = new RateLimiter(ctx);
  const users = new UsersService(ctx);
  const presenter = new MeetingPresenter(ctx);
  const meetings = new MeetingsService(ctx, users, limiter, presenter);
  const recordings = new RecordingsService(ctx, users, presenter);
  const registrants = new RegistrantsService(ctx, meetings, presenter);
  const attendance = new AttendanceService(ctx, meetings, registrants, recordings, presenter);
  const faults = new FaultInjector(tokenService, ctx);
  const log = new RequestLog(clock);

  const appOf = (clientId: string): SimApp => {
    const app = state.apps.get(clientId);
    if (!app) throw new SimControlError(404, `No simulated app ${clientId}.`);
    return app;
  };
  const accountOf = (accountId: string) => {
    const account = state.accounts.get(accountId);
    if (!account) throw new SimControlError(404, `No simulated account ${accountId}.`);
    return account;
  };
  const meetingOf = (id: number | string): SimMeeting => {
    const found = state.findMeeting(String(id));
    if (!found) throw new SimControlError(404, `No simulated meeting ${id}.`);
    return found.meeting;
  };

  let self: ZoomSimulator | null = null;
  const simulatorRef = (): ZoomSimulator => {
    if (!self) throw new Error('The simulator is not built yet');
    return self;
  };
  const app = buildApp({
    ctx,
    tokens: tokenService,
    users,
    meetings,
    recordings,
    registrants,
    presenter,
    limiter,
    oauth,
    faults,
    log,
    simulator: simulatorRef,
  });

  const simulator: ZoomSimulator = {
    app,
    get baseUrl() {
      return baseUrl();
    },
    get listeningUrl() {
      return server ? listeningUrl : null;
    },
    async start() {
      if (server) return;
      const s = http.createServer(app);
      await new Promise<void>((resolve, reject) => {
        s.once('error', reject);
        s.listen(config.port, config.host, () => resolve());
      });
      server = s;
      const address = s.address() as AddressInfo;
      const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
      listeningUrl = `http://${host}:${address.port}`;
      if (config.webhooks.retryPollMs !== undefined) {
        poller = setInterval(() => void dispatcher.runDue(), config.webhooks.retryPollMs);
        poller.unref();
      }
    },
    async stop() {
      if (poller) clearInterval(poller);
      poller = null;
      faults.dispose();
      const s = server;
      server = null;
      if (!s) return;
      s.closeAllConnections();
      await new Promise<void>((resolve) => s.close(() => resolve()));
    },
    async createAccount(input) {
      return users.createAccount(input);
    },
    async createApp(input: CreateAppInput) {
      if (input.kind === 's2s') accountOf(input.account_id ?? '');
      const scopes =
        typeof input.scopes === 'string' ? input.scopes.split(/\s+/).filter(Boolean) : input.scopes;
      const app: SimApp = {
        client_id: state.secret(16),
        client_secret: state.secret(24),
        kind: input.kind,
        name: input.name ?? DEFAULT_APP_NAME,
        redirect_uri: input.redirect_uri ?? null,
        account_id: input.account_id ?? null,
        webhook_url: input.webhook_url ?? null,
        webhook_secret_token: state.secret(16),
        scopes: scopes ?? [...CLASSIC_ADMIN_SCOPES],
        events: input.events ?? null,
        published: input.published ?? true,
        disabled: false,
      };
      state.apps.set(app.client_id, app);
      return {
        client_id: app.client_id,
        client_secret: app.client_secret,
        webhook_secret_token: app.webhook_secret_token,
      };
    },
    issueTokens(clientId, accountId) {
      const app = appOf(clientId);
      const account = accountOf(accountId);
      if (app.kind === 's2s') {
        if (app.account_id !== accountId)
          throw new SimControlError(400, 'An S2S app only serves its own account.');
        return oauth.s2sToken(app);
      }
      return tokenService.issue(tokenService.newGrant(app, account.id, account.owner_id), true);
    },
    setAppDisabled(clientId, disabled) {
      appOf(clientId).disabled = disabled;
    },
    setAppScopes(clientId, scopes) {
      const app = appOf(clientId);
      app.scopes = [...scopes];
      if (app.kind !== 's2s') return;
      for (const grant of state.grants.values()) if (grant.client_id === clientId) grant.scopes = [...scopes];
    },
    activateUser(idOrEmail) {
      users.setStatus(idOrEmail, 'active');
    },
    deactivateUser(idOrEmail) {
      users.setStatus(idOrEmail, 'inactive');
    },
    deleteUser(idOrEmail, action = 'delete') {
      const user = state.findUser(idOrEmail);
      if (!user) throw new SimControlError(404, `No simulated user ${idOrEmail}.`);
      users.remove(null, user, { action });
    },
    setLimits(accountId, limits) {
      const account = accountOf(accountId);
      account.limits = { ...account.limits, ...limits };
    },
    setAccountSettings(accountId, settings) {
      const account = accountOf(accountId);
      if (settings.require_passcode !== undefined) account.require_passcode = settings.require_passcode;
      if (settings.recording_passcode !== undefined) account.recording_passcode = settings.recording_passcode;
    },
    async advanceClock(seconds) {
      await dispatcher.flush();
      const target = clock.now() + seconds * 1000;
      for (let next = dispatcher.nextDue(target); next !== null; next = dispatcher.nextDue(target)) {
        clock.advanceTo(next);
        await dispatcher.runDue();
      }
      clock.advanceTo(target);
    },
    now: () => clock.now(),
    injectFault: (fault) => faults.add(fault),
    clearFaults: () => faults.clear(),
    requests: (filter) => log.list(filter),
    clearRequests: () => log.clear(),
    startMeeting(id) {
      meetings.start(meetingOf(id));
    },
    endMeeting(id, endOptions) {
      attendance.end(meetingOf(id), endOptions);
    },
    joinMeeting: (id, input) => attendance.join(meetingOf(id), input),
    leaveMeeting: (id, input) => attendance.leave(meetingOf(id), input),
    playClass: (id, input) => attendance.playClass(meetingOf(id), input, (s) => simulator.advanceClock(s)),
    async deauthorize(clientId, accountId) {
      const app = appOf(clientId);
      const account = accountOf(accountId);
      const grant = tokenService.revokeInstallation(clientId, accountId);
      if (app.kind === 's2s') app.disabled = true;
      dispatcher.emitToApp(clientId, 'app_deauthorized', {
        account_id: accountId,
        user_id: grant?.user_id ?? account.owner_id,
        signature: state.secret(32),
        deauthorization_time: clock.iso(),
        client_id: clientId,
      });
      await dispatcher.flush();
    },
    validateWebhook: (clientId) => dispatcher.validate(appOf(clientId)),
    webhookDeliveries: (filter) => dispatcher.deliveries(filter),
    flushWebhooks: () => dispatcher.flush(),
    users: (accountId) => state.accountUsers(accountId).map((u) => ({ ...u })),
    meetings: (accountId) => state.accountMeetings(accountId).map((m) => structuredClone(m)),
    tokensIssued: (filter = {}) =>
      state.issued.filter(
        (t) =>
          (!filter.client_id || t.client_id === filter.client_id) &&
          (!filter.account_id || t.account_id === filter.account_id) &&
          (!filter.kind || t.kind === filter.kind),
      ).length,
    exportState: () => state.snapshot(),
    importState(snapshot) {
      state.restore(snapshot);
      limiter.reset();
    },
    reset() {
      state.reset();
      limiter.reset();
      dispatcher.reset();
      faults.clear();
      log.reset();
      clock.reset();
    },
  };
  self = simulator;
  return simulator;
}
