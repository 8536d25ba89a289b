import pino from 'pino';
import { z } from 'zod';
import {
  createZoomSimulator,
  fixedClock,
  validateZoomRequest,
  validateZoomResponse,
  type ZoomSimulator,
} from '../../../src/sandbox/zoom';
import { ZoomClient, type ZoomClientOptions } from '../../../src/zoom/zoom.client';
import { ZoomApiError } from '../../../src/zoom/zoom.client.errors';
import { ZoomPacer } from '../../../src/zoom/zoom.pacer';
import { eventually, recordingFront, s2sSchool, type School } from './zoom.client.helpers';

/**
 * The Zoom client against the Zoom simulator on loopback, each school with its own S2S app.
 * Simulator workarounds: none needed; request bodies are captured by a recording front that
 * serves the simulator's own Express app (the simulator does not log bodies, by design).
 */
const silent = pino({ level: 'silent' });
const meetingSchema = z.looseObject({ id: z.number(), join_url: z.string() });

function clientFor(sim: ZoomSimulator, school: School, options: Partial<ZoomClientOptions> = {}) {
  return new ZoomClient({
    apiUrl: `${sim.baseUrl}/v2`,
    tokens: school.tokens,
    logger: silent,
    ...options,
  }).forConnection(school.connection);
}

async function failure(promise: Promise<unknown>): Promise<ZoomApiError> {
  const error = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof ZoomApiError)) throw new Error(`expected a ZoomApiError, got ${String(error)}`);
  return error;
}

describe('ZoomClient against the Zoom simulator', () => {
  let sim: ZoomSimulator;

  beforeAll(async () => {
    sim = createZoomSimulator();
    await sim.start();
  });
  afterAll(async () => {
    await sim.stop();
  });

  /** The school's API requests in the simulator's log (token requests left out). */
  const log = (school: School, filter: { method?: string; path?: string } = {}) =>
    sim.requests({ account_id: school.accountId, path: '/v2/', ...filter });

  it('creates, reads and updates a user with requests and answers that match Zoom’s OpenAPI', async () => {
    const school = await s2sSchool(sim, { plan: 'pro', managed_domain: 'school.example.edu' });
    const front = await recordingFront(sim);
    const lines: string[] = [];
    const logger = pino({ level: 'debug' }, { write: (line: string) => lines.push(line) });
    try {
      const api = clientFor(sim, school, { apiUrl: front.apiUrl, logger });
      const input = {
        action: 'autoCreate' as const,
        user_info: { email: 'ada@school.example.edu', type: 2 as const, first_name: 'Ada', last_name: 'L' },
      };
      const created = await api.createUser(input);
      expect(created).toMatchObject({ email: 'ada@school.example.edu', type: 2, first_name: 'Ada' });
      const byEmail = await api.getUser('ada@school.example.edu');
      expect(byEmail).toMatchObject({
        id: created.id,
        status: 'active',
        type: 2,
        account_id: school.accountId,
      });
      await api.updateUser(created.id, { type: 1 });
      expect((await api.getUser(created.id)).type).toBe(1);

      const templates: Record<string, string> = {
        POST: '/users',
        GET: '/users/{userId}',
        PATCH: '/users/{userId}',
      };
      expect(front.records.map((r) => `${r.method} ${r.status}`)).toEqual([
        'POST 201',
        'GET 200',
        'PATCH 204',
        'GET 200',
      ]);
      for (const r of front.records) {
        const template = templates[r.method] ?? '';
        expect(validateZoomRequest(r.method, template, r.body)).toMatchObject({ valid: true, errors: [] });
        expect(validateZoomResponse(r.method, template, r.status, r.response)).toMatchObject({ valid: true });
      }
      expect(front.records[0]?.body).toEqual(input);
      expect(front.records[2]?.body).toEqual({ type: 1 });
      expect(school.tokens.fetches).toBe(1);
      const logs = lines.join('\n');
      expect(logs).toContain('"path":"/users/{userId}"');
      expect(logs).not.toContain(school.tokens.lastToken ?? 'no token');
      expect(logs).not.toContain('ada@school.example.edu');
    } finally {
      await front.stop();
    }
  });

  it('reports an unknown user as not_found with Zoom’s code and message', async () => {
    const school = await s2sSchool(sim, { plan: 'pro' });
    const error = await failure(clientFor(sim, school).getUser('nobody@elsewhere.example.edu'));
    expect(error).toMatchObject({
      kind: 'not_found',
      status: 404,
      code: 1001,
      zoomMessage: 'User does not exist: nobody@elsewhere.example.edu.',
    });
  });

  it('reports a user created twice as conflict (1005)', async () => {
    const school = await s2sSchool(sim, { plan: 'pro', managed_domain: 'twice.example.edu' });
    const api = clientFor(sim, school);
    const input = {
      action: 'autoCreate' as const,
      user_info: { email: 'bo@twice.example.edu', type: 1 as const },
    };
    await api.createUser(input);
    const error = await failure(api.createUser(input));
    expect(error).toMatchObject({ kind: 'conflict', status: 409, code: 1005 });
    expect(error.zoomMessage).toContain('bo@twice.example.edu');
  });

  it('on 401 code 124 (tokens revoked) fetches exactly one new token and retries successfully', async () => {
    const school = await s2sSchool(sim, { plan: 'pro' });
    const api = clientFor(sim, school);
    await api.getUser(school.adminEmail);
    const first = school.tokens.lastToken;
    sim.injectFault({
      match: { path: '/v2/users', account_id: school.accountId },
      kind: 'revoke_tokens',
      count: 1,
    });
    await expect(api.getUser(school.adminEmail)).resolves.toMatchObject({ id: school.ownerId });
    expect(school.tokens.fetches).toBe(2);
    expect(school.tokens.rejections).toEqual([first]);
    expect(log(school, { path: '/v2/users' }).map((r) => r.status)).toEqual([200, 401, 200]);
  });

  it('on 401 code 124 after the token expired (simulated clock) refreshes once and succeeds', async () => {
    const frozen = createZoomSimulator({ clock: fixedClock('2030-01-07T09:00:00.500Z') });
    await frozen.start();
    try {
      const school = await s2sSchool(frozen, { plan: 'pro' });
      const api = clientFor(frozen, school);
      await api.getUser(school.adminEmail);
      await frozen.advanceClock(3601);
      await expect(api.getUser(school.adminEmail)).resolves.toMatchObject({ id: school.ownerId });
      expect(school.tokens.fetches).toBe(2);
      expect(frozen.requests({ path: '/v2/users' }).map((r) => [r.status, r.error_code])).toEqual([
        [200, null],
        [401, 124],
        [200, null],
      ]);
    } finally {
      await frozen.stop();
    }
  });

  it('on 4711 (missing scopes) marks the connection for reconnection and does not retry', async () => {
    const school = await s2sSchool(sim, { plan: 'pro' }, ['meeting:read:admin']);
    const error = await failure(clientFor(sim, school).getUser(school.adminEmail));
    expect(error).toMatchObject({ kind: 'missing_scopes', status: 400, code: 4711 });
    expect(school.tokens.reconnects).toEqual([
      { connectionId: school.connection.id, reason: 'missing_scopes' },
    ]);
    expect(log(school, { path: '/v2/users' })).toHaveLength(1);
  });

  it('retries a 5xx GET and succeeds; a 5xx POST is not repeated', async () => {
    const school = await s2sSchool(sim, { plan: 'pro', managed_domain: 'five.example.edu' });
    const api = clientFor(sim, school);
    sim.injectFault({
      match: { method: 'GET', path: '^/v2/users/[^/]+$', account_id: school.accountId },
      kind: 'status5xx',
      status: 503,
      count: 2,
    });
    await expect(api.getUser(school.adminEmail)).resolves.toMatchObject({ id: school.ownerId });
    expect(log(school, { method: 'GET' }).map((r) => r.status)).toEqual([503, 503, 200]);

    sim.injectFault({
      match: { method: 'POST', path: '^/v2/users$', account_id: school.accountId },
      kind: 'status5xx',
      count: 1,
    });
    const input = {
      action: 'autoCreate' as const,
      user_info: { email: 'cy@five.example.edu', type: 1 as const },
    };
    expect(await failure(api.createUser(input))).toMatchObject({ kind: 'server', status: 500 });
    expect(log(school, { method: 'POST' }).map((r) => r.status)).toEqual([500]);
    expect(sim.users(school.accountId).map((u) => u.email)).not.toContain('cy@five.example.edu');
  });

  it('times out without repeating a POST, and gives up on a GET after maxRetries', async () => {
    const school = await s2sSchool(sim, { plan: 'pro', managed_domain: 'slow.example.edu' });
    const api = clientFor(sim, school, { timeoutMs: 300, maxRetries: 1 });
    sim.injectFault({
      match: { method: 'POST', path: '^/v2/users$', account_id: school.accountId },
      kind: 'timeout',
      count: 1,
    });
    const input = {
      action: 'autoCreate' as const,
      user_info: { email: 'di@slow.example.edu', type: 1 as const },
    };
    expect(await failure(api.createUser(input))).toMatchObject({ kind: 'timeout', status: 0 });
    expect(log(school, { method: 'POST' })).toHaveLength(1);

    sim.injectFault({
      match: { method: 'GET', path: '/v2/users/', account_id: school.accountId },
      kind: 'timeout',
    });
    expect(await failure(api.getUser(school.adminEmail))).toMatchObject({ kind: 'timeout' });
    expect(log(school, { method: 'GET' })).toHaveLength(2);
    sim.clearFaults();
  });

  it('does not repeat a POST whose connection dropped after the commit: the caller must look up first', async () => {
    const school = await s2sSchool(sim, { plan: 'pro', managed_domain: 'drop.example.edu' });
    const api = clientFor(sim, school);
    sim.injectFault({
      match: { method: 'POST', path: '^/v2/users$', account_id: school.accountId },
      kind: 'commit_then_drop',
      count: 1,
    });
    const input = {
      action: 'autoCreate' as const,
      user_info: { email: 'ed@drop.example.edu', type: 1 as const },
    };
    expect(await failure(api.createUser(input))).toMatchObject({ kind: 'network', status: 0 });
    expect(log(school, { method: 'POST' }).map((r) => r.status)).toEqual([0]);
    // The user exists although the client saw an error: look up by email before creating again.
    expect(sim.users(school.accountId).map((u) => u.email)).toContain('ed@drop.example.edu');
    await expect(api.getUser('ed@drop.example.edu')).resolves.toMatchObject({ email: 'ed@drop.example.edu' });
  });

  it('stops at the per-user daily meeting limit: daily_limit, sent once, then not sent again before the reset', async () => {
    const school = await s2sSchool(sim, { plan: 'business' });
    const api = clientFor(sim, school);
    const createMeeting = () =>
      api.request({
        method: 'POST',
        path: '/users/{userId}/meetings',
        pathParams: { userId: school.ownerId },
        body: { topic: 'Office hours', type: 2, start_time: '2030-03-01T10:00:00Z', duration: 30 },
        category: 'medium',
        schema: meetingSchema,
        dailyLimitUser: school.ownerId,
      });
    const path = `/v2/users/${school.ownerId}/meetings`;
    const created = await Promise.all(Array.from({ length: 100 }, () => createMeeting()));
    expect(created).toHaveLength(100);
    expect(log(school, { path }).every((r) => r.status === 201)).toBe(true);

    const error = await failure(createMeeting());
    expect(error).toMatchObject({ kind: 'daily_limit', status: 429, category: 'Medium' });
    const midnight = (Math.floor(sim.now() / 86_400_000) + 1) * 86_400_000;
    expect(Math.abs((error.retryAt ?? 0) - midnight)).toBeLessThan(2000);
    expect(log(school, { path })).toHaveLength(101);
    expect(log(school, { path }).at(-1)?.status).toBe(429);

    expect(await failure(createMeeting())).toMatchObject({ kind: 'daily_limit' });
    expect(log(school, { path })).toHaveLength(101);
  });

  it('tells the account’s daily limit from a host’s: account_daily_limit, then nothing sent for any host before the reset', async () => {
    const school = await s2sSchool(sim, { plan: 'free' });
    // A Free account's Medium calls: 2,000 a day, here 2 (and 1 a second).
    sim.setLimits(school.accountId, { scale: 0.001 });
    const api = clientFor(sim, school);
    const path = `/v2/users/${school.ownerId}/meetings`;
    const list = () =>
      api.request({
        method: 'GET',
        path: '/users/{userId}/meetings',
        pathParams: { userId: school.ownerId },
        category: 'medium',
        schema: z.looseObject({}),
      });
    await list();
    await list();
    const error = await failure(list());
    expect(error).toMatchObject({ kind: 'account_daily_limit', status: 429, category: 'Medium' });
    const midnight = (Math.floor(sim.now() / 86_400_000) + 1) * 86_400_000;
    expect(Math.abs((error.retryAt ?? 0) - midnight)).toBeLessThan(2000);
    const sent = log(school, { path }).length;
    // Any host's meeting create (Medium) waits for the reset too: the account's limit is spent.
    const create = api.request({
      method: 'POST',
      path: '/users/{userId}/meetings',
      pathParams: { userId: school.ownerId },
      body: { topic: 'Office hours', type: 2, start_time: '2030-03-01T10:00:00Z', duration: 30 },
      category: 'medium',
      schema: meetingSchema,
      dailyLimitUser: school.ownerId,
    });
    expect(await failure(create)).toMatchObject({ kind: 'account_daily_limit' });
    expect(log(school, { path })).toHaveLength(sent);
  });

  it('paces a burst of 40 light calls on a Free account (4/s) without a single 429', async () => {
    const school = await s2sSchool(sim, { plan: 'free' });
    const api = clientFor(sim, school);
    const started = Date.now();
    const users = await Promise.all(Array.from({ length: 40 }, () => api.getUser(school.adminEmail)));
    expect(users).toHaveLength(40);
    expect(Date.now() - started).toBeGreaterThanOrEqual((39 / 4) * 1000);
    const statuses = log(school, { path: '/v2/users' }).map((r) => r.status);
    expect(statuses).toHaveLength(40);
    expect(statuses.filter((s) => s !== 200)).toEqual([]);
  });
});

describe('ZoomClient and per-second 429s from the simulator', () => {
  it('waits for Retry-After (seconds) and retries: no error surfaces', async () => {
    const sim = createZoomSimulator({ clock: fixedClock('2030-01-07T09:00:00.500Z') });
    await sim.start();
    try {
      const school = await s2sSchool(sim, { plan: 'free' });
      // A pacer that lets the client exceed 4/s, as several processes together would.
      const pacer = new ZoomPacer({ limits: { free: { light: 1000 } } });
      const api = clientFor(sim, school, { pacer });
      for (let i = 0; i < 4; i += 1) await api.getUser(school.adminEmail);
      const started = Date.now();
      const fifth = api.getUser(school.adminEmail);
      await eventually(() => sim.requests().some((r) => r.status === 429));
      await sim.advanceClock(1); // the simulated second ends while the client waits
      await expect(fifth).resolves.toMatchObject({ id: school.ownerId });
      expect(Date.now() - started).toBeGreaterThanOrEqual(990);
      expect(sim.requests({ path: '/v2/users' }).map((r) => r.status)).toEqual([
        200, 200, 200, 200, 429, 200,
      ]);
    } finally {
      await sim.stop();
    }
  });

  it('reads Retry-After as an HTTP date and recovers from a burst beyond the limit', async () => {
    const sim = createZoomSimulator({ retryAfterFormat: 'http-date' });
    await sim.start();
    const front = await recordingFront(sim);
    try {
      const school = await s2sSchool(sim, { plan: 'free' });
      const pacer = new ZoomPacer({ limits: { free: { light: 1000 } } });
      const api = clientFor(sim, school, { pacer, apiUrl: front.apiUrl, maxRetries: 5 });
      const users = await Promise.all(Array.from({ length: 10 }, () => api.getUser(school.adminEmail)));
      expect(users).toHaveLength(10);
      const limited = front.records.filter((r) => r.status === 429);
      expect(limited.length).toBeGreaterThanOrEqual(2);
      for (const r of limited)
        expect(r.retryAfter).toMatch(/^[A-Z][a-z]{2}, \d{2} [A-Z][a-z]{2} \d{4} \d{2}:\d{2}:\d{2} GMT$/);
      expect(front.records.filter((r) => r.status === 200)).toHaveLength(10);
    } finally {
      await front.stop();
      await sim.stop();
    }
  });
});
