import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Request, type Response } from 'express';
import pino from 'pino';
import { z } from 'zod';
import { ZoomClient, type ZoomClientOptions } from '../../../src/zoom/zoom.client';
import { ZoomApiError } from '../../../src/zoom/zoom.client.errors';
import { ZoomPacer } from '../../../src/zoom/zoom.pacer';
import type { AccessTokenProvider, ZoomConnectionRef } from '../../../src/zoom/zoom.types';

/** The client against a loopback stub whose answers each test scripts. */
type Handler = (req: Request, res: Response) => void;

interface Seen {
  method: string;
  url: string;
  authorization: string | undefined;
  body: unknown;
}

class Tokens implements AccessTokenProvider {
  calls: Array<{ rejected?: string } | undefined> = [];
  marked: Array<[string, string]> = [];
  failMark = false;
  private n = 1;

  async accessToken(_connectionId: string, options?: { rejected?: string }): Promise<string> {
    this.calls.push(options);
    if (options?.rejected === `token-${this.n}`) this.n += 1;
    return `token-${this.n}`;
  }

  async markReconnectRequired(connectionId: string, reason: string): Promise<void> {
    this.marked.push([connectionId, reason]);
    if (this.failMark) throw new Error('database down');
  }
}

const CONNECTION: ZoomConnectionRef = {
  id: 'conn-1',
  schoolId: 'school-1',
  zoomAccountId: 'acct-1',
  plan: 'business',
};
const USER = { id: 'KDcuGIm1QgePTO8WbOqwIQ', email: 'jane+1@school.example.edu', type: 2, status: 'active' };

describe('ZoomClient (against a scripted stub)', () => {
  let server: http.Server;
  let apiUrl: string;
  let script: Handler[];
  let seen: Seen[];
  let logLines: string[];
  let tokens: Tokens;

  beforeAll(async () => {
    const app = express();
    app.use(express.json());
    app.use((req, res) => {
      seen.push({
        method: req.method,
        url: req.originalUrl,
        authorization: req.headers.authorization,
        body: req.body,
      });
      const next = script.length > 1 ? script.shift() : script[0];
      if (next) next(req, res);
      else res.status(500).json({ code: 500, message: 'unscripted' });
    });
    server = http.createServer(app);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    apiUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`;
  });

  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  beforeEach(() => {
    script = [];
    seen = [];
    logLines = [];
    tokens = new Tokens();
  });

  const client = (options: Partial<ZoomClientOptions> = {}) =>
    new ZoomClient({
      apiUrl,
      tokens,
      logger: pino({ level: 'debug' }, { write: (line: string) => logLines.push(line) }),
      pacer: new ZoomPacer({ limits: { business: { light: 1000, medium: 1000 } } }),
      ...options,
    }).forConnection(CONNECTION);

  const reply =
    (status: number, body?: unknown, headers: Record<string, string> = {}): Handler =>
    (_req, res) => {
      res.set(headers).status(status);
      if (body === undefined) res.end();
      else if (typeof body === 'string') res.type('text/html').send(body);
      else res.json(body);
    };

  const failure = async (promise: Promise<unknown>): Promise<ZoomApiError> => {
    const error = await promise.then(
      () => undefined,
      (e: unknown) => e,
    );
    if (!(error instanceof ZoomApiError)) throw new Error(`expected a ZoomApiError, got ${String(error)}`);
    return error;
  };

  it('sends the bearer token and JSON, encodes path values, and logs templates but no token or email', async () => {
    script = [reply(200, USER), reply(204)];
    const api = client();
    await expect(api.getUser('jane+1@school.example.edu')).resolves.toMatchObject(USER);
    await api.updateUser(USER.id, { type: 1 });
    expect(seen[0]).toMatchObject({ method: 'GET', url: '/v2/users/jane%2B1%40school.example.edu' });
    expect(seen[0]?.authorization).toBe('Bearer token-1');
    expect(seen[1]).toMatchObject({ method: 'PATCH', url: `/v2/users/${USER.id}`, body: { type: 1 } });
    const logs = logLines.join('\n');
    expect(logs).not.toContain('token-1');
    expect(logs).not.toContain('jane');
    expect(logs).not.toMatch(/authorization/i);
    const entries = logLines.map((l) => JSON.parse(l) as Record<string, unknown>);
    expect(entries[0]).toMatchObject({ method: 'GET', path: '/users/{userId}', status: 200, attempt: 1 });
    expect(typeof entries[0]?.latencyMs).toBe('number');
    expect(entries[1]).toMatchObject({ method: 'PATCH', path: '/users/{userId}', status: 204 });
  });

  it('passes query values (dropping undefined) and redacts ids in concrete paths for the log', async () => {
    script = [reply(200, { meetings: [] })];
    const schema = z.looseObject({ meetings: z.array(z.unknown()) });
    await client().request({
      method: 'GET',
      path: `/users/${USER.id}/meetings`,
      query: { type: 'scheduled', page_size: 300, next_page_token: undefined },
      category: 'medium',
      schema,
    });
    expect(seen[0]?.url).toBe(`/v2/users/${USER.id}/meetings?type=scheduled&page_size=300`);
    expect(JSON.parse(logLines[0] ?? '{}')).toMatchObject({ path: '/users/{…}/meetings' });
  });

  it('refuses absolute or protocol-relative paths without sending anything', async () => {
    const api = client();
    const schema = z.unknown();
    await expect(
      api.request({ method: 'GET', path: 'http://evil.example/x', category: 'light', schema }),
    ).rejects.toThrow(TypeError);
    await expect(
      api.request({ method: 'GET', path: '//evil.example/x', category: 'light', schema }),
    ).rejects.toThrow(TypeError);
    expect(seen).toHaveLength(0);
  });

  it('reports a 2xx body of the wrong shape as invalid_response', async () => {
    script = [reply(200, { id: 42 }), reply(200, '<html>login</html>')];
    const api = client();
    const wrong = await failure(api.getUser('x'));
    expect(wrong).toMatchObject({ kind: 'invalid_response', status: 200 });
    expect(wrong.zoomMessage).toMatch(/id/);
    expect(await failure(api.getUser('x'))).toMatchObject({ kind: 'invalid_response' });
  });

  it('after a 401 code 124, asks once for a new token and retries once; a second 401 is unauthorized', async () => {
    script = [reply(401, { code: 124, message: 'Invalid access token.' })];
    const error = await failure(client().getUser('x'));
    expect(error).toMatchObject({ kind: 'unauthorized', status: 401, code: 124 });
    expect(seen.map((s) => s.authorization)).toEqual(['Bearer token-1', 'Bearer token-2']);
    expect(tokens.calls).toEqual([undefined, { rejected: 'token-1' }]);
  });

  it('tells the caller of every answer (errors included) with Zoom’s Date header and when it was sent and came back', async () => {
    const date = 'Mon, 07 Jan 2030 09:10:00 GMT';
    script = [
      reply(401, { code: 124, message: 'Invalid access token.' }, { Date: date }),
      reply(200, USER, { Date: date }),
    ];
    const answers: Array<{ status: number; date: string | undefined; sentAt: number; receivedAt: number }> =
      [];
    const before = Date.now();
    await client().request({
      method: 'GET',
      path: '/users/me',
      category: 'light',
      schema: z.unknown(),
      onAnswer: (answer) => answers.push(answer),
    });
    expect(answers.map((a) => [a.status, a.date])).toEqual([
      [401, date],
      [200, date],
    ]);
    for (const answer of answers) {
      expect(answer.sentAt).toBeGreaterThanOrEqual(before);
      expect(answer.receivedAt).toBeGreaterThanOrEqual(answer.sentAt);
    }
  });

  it('on 4711 marks the connection for reconnection and does not retry, even if marking fails', async () => {
    tokens.failMark = true;
    script = [
      reply(400, { code: 4711, message: 'Invalid access token, does not contain scopes:[user:read:admin].' }),
    ];
    const error = await failure(client().getUser('x'));
    expect(error).toMatchObject({ kind: 'missing_scopes', code: 4711 });
    expect(tokens.marked).toEqual([['conn-1', 'missing_scopes']]);
    expect(seen).toHaveLength(1);
  });

  it('retries a POST after a per-second 429 (Zoom did not process it)', async () => {
    script = [
      reply(
        429,
        { code: 429, message: 'Too many requests.' },
        { 'Retry-After': '0', 'X-RateLimit-Type': 'QPS' },
      ),
      reply(201, { id: 'u1', email: 'a@b.edu', type: 1 }),
    ];
    const created = await client().createUser({ action: 'create', user_info: { email: 'a@b.edu', type: 1 } });
    expect(created.id).toBe('u1');
    expect(seen).toHaveLength(2);
  });

  it('gives up on a per-second 429 that asks for a longer wait than allowed', async () => {
    script = [
      reply(429, { code: 429, message: 'Slow down.' }, { 'Retry-After': '120', 'X-RateLimit-Type': 'QPS' }),
    ];
    const before = Date.now();
    const error = await failure(client({ maxRateLimitWaitMs: 5000 }).getUser('x'));
    expect(error.kind).toBe('rate_limited');
    expect(error.retryAt).toBeGreaterThanOrEqual(before + 120_000);
    expect(seen).toHaveLength(1);
  });

  it('dates a daily limit without Retry-After to 00:00 UTC and sends nothing more for that user', async () => {
    const limited = reply(429, {
      code: 429,
      message:
        'You have exceeded the daily rate limit (100) of Meeting Create/Update API requests permitted for this particular user.',
    });
    script = [limited, reply(201, { id: 1 })];
    const now = () => Date.parse('2030-01-07T21:30:00Z');
    const api = client({ now, pacer: new ZoomPacer({ now, limits: { business: { medium: 1000 } } }) });
    const create = (user: string) =>
      api.request({
        method: 'POST',
        path: '/users/{userId}/meetings',
        pathParams: { userId: user },
        body: { topic: 'T', type: 2 },
        category: 'medium',
        schema: z.looseObject({ id: z.number() }),
        dailyLimitUser: user,
      });
    const error = await failure(create('u1'));
    expect(error).toMatchObject({ kind: 'daily_limit', retryAt: Date.parse('2030-01-08T00:00:00Z') });
    expect(await failure(create('u1'))).toMatchObject({ kind: 'daily_limit', retryAt: error.retryAt });
    expect(seen).toHaveLength(1);
    await expect(create('u2')).resolves.toEqual({ id: 1 });
    expect(seen).toHaveLength(2);
  });

  it('holds a spent daily category limit for the whole account and category', async () => {
    script = [
      reply(
        429,
        { code: 429, message: 'You have reached the maximum daily rate limit for this API.' },
        { 'X-RateLimit-Type': 'Daily-limit', 'X-RateLimit-Category': 'Light', 'Retry-After': '3600' },
      ),
      reply(200, { meetings: [] }),
    ];
    const api = client();
    expect(await failure(api.getUser('x'))).toMatchObject({ kind: 'account_daily_limit', category: 'Light' });
    expect(await failure(api.getUser('y'))).toMatchObject({ kind: 'account_daily_limit' });
    expect(seen).toHaveLength(1);
    const schema = z.looseObject({ meetings: z.array(z.unknown()) });
    await api.request({ method: 'GET', path: '/users/me/meetings', category: 'medium', schema });
    expect(seen).toHaveLength(2);
  });

  it('an account-wide daily limit met by a meeting write holds the whole category, not only that host', async () => {
    script = [
      reply(
        429,
        { code: 429, message: 'You have reached the maximum daily rate limit for this API.' },
        { 'X-RateLimit-Type': 'Daily-limit', 'X-RateLimit-Category': 'Medium', 'Retry-After': '3600' },
      ),
    ];
    const api = client();
    const create = (user: string) =>
      api.request({
        method: 'POST',
        path: '/users/{userId}/meetings',
        pathParams: { userId: user },
        body: { topic: 'T', type: 2 },
        category: 'medium',
        schema: z.looseObject({ id: z.number() }),
        dailyLimitUser: user,
      });
    expect(await failure(create('u1'))).toMatchObject({ kind: 'account_daily_limit' });
    // Another host's create is not sent either: the account's limit is spent, not u1's.
    expect(await failure(create('u2'))).toMatchObject({ kind: 'account_daily_limit' });
    expect(seen).toHaveLength(1);
  });

  it('tells the caller before each retry send, never the first, whether Zoom may have counted the send before', async () => {
    script = [
      reply(503, { code: 503, message: 'Service Unavailable' }),
      reply(429, { code: 429, message: 'Slow down.' }, { 'Retry-After': '0', 'X-RateLimit-Type': 'QPS' }),
      (_req, res) => void res.status(204).end(),
    ];
    const retries: Array<{ attempt: number; mayHaveCounted: boolean; after: string }> = [];
    await client().request({
      method: 'PATCH',
      path: '/meetings/{meetingId}',
      pathParams: { meetingId: '85746065432' },
      body: { topic: 'T' },
      category: 'light',
      schema: z.unknown(),
      idempotent: true,
      beforeRetry: async ({ attempt, mayHaveCounted, after }) => {
        retries.push({ attempt, mayHaveCounted, after: after.kind });
      },
    });
    expect(seen).toHaveLength(3);
    // A 5xx may have been applied (and counted) by Zoom; a 429 was refused before Zoom did anything.
    expect(retries).toEqual([
      { attempt: 2, mayHaveCounted: true, after: 'server' },
      { attempt: 3, mayHaveCounted: false, after: 'rate_limited' },
    ]);
  });

  it('a retry the caller refuses is not sent: the call fails with the caller’s error', async () => {
    script = [
      reply(503, { code: 503, message: 'Service Unavailable' }),
      (_req, res) => void res.status(204).end(),
    ];
    const refused = new Error('the host has no request left today');
    const error = await client()
      .request({
        method: 'PATCH',
        path: '/meetings/{meetingId}',
        pathParams: { meetingId: '85746065432' },
        body: { topic: 'T' },
        category: 'light',
        schema: z.unknown(),
        idempotent: true,
        beforeRetry: () => Promise.reject(refused),
      })
      .catch((e: unknown) => e);
    expect(error).toBe(refused);
    expect(seen).toHaveLength(1);
  });

  it('retries idempotent calls on 5xx at most maxRetries times, and never a POST or PATCH by default', async () => {
    script = [reply(503, { code: 503, message: 'Service Unavailable' })];
    const api = client({ maxRetries: 2 });
    expect(await failure(api.getUser('x'))).toMatchObject({ kind: 'server', status: 503 });
    expect(seen).toHaveLength(3);
    seen = [];
    expect(
      await failure(api.createUser({ action: 'create', user_info: { email: 'a@b.edu', type: 1 } })),
    ).toMatchObject({
      kind: 'server',
    });
    expect(await failure(api.updateUser('u1', { type: 1 }))).toMatchObject({ kind: 'server' });
    expect(seen.map((s) => s.method)).toEqual(['POST', 'PATCH']);
  });

  it('retries a POST the caller declares idempotent', async () => {
    script = [reply(500, { code: 500, message: 'Internal Server Error' }), reply(200, { ok: true })];
    const result = await client().request({
      method: 'POST',
      path: '/users/me/token',
      category: 'light',
      schema: z.looseObject({ ok: z.boolean() }),
      idempotent: true,
    });
    expect(result.ok).toBe(true);
    expect(seen).toHaveLength(2);
  });

  it('classifies a refused connection as network, retried for GET', async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, '127.0.0.1', () => resolve()));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const error = await failure(
      client({ apiUrl: `http://127.0.0.1:${port}/v2`, maxRetries: 1 }).getUser('x'),
    );
    expect(error).toMatchObject({ kind: 'network', status: 0 });
    expect(JSON.stringify(error)).not.toContain('token-1');
    expect(logLines.filter((l) => l.includes('"kind":"network"'))).toHaveLength(2);
  });
});
