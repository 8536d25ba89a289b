import pino from 'pino';
import { errors } from '../../../src/shared/errors';
import { ZoomApiError } from '../../../src/zoom/zoom.client.errors';
import type { ZoomAnswerInfo, ZoomRequestSpec } from '../../../src/zoom/zoom.client';
import type { ConnectionView } from '../../../src/zoom/zoom.connect.service';
import { ZoomSelfCheck, type SelfCheckDeps, type SelfCheckInput } from '../../../src/zoom/zoom.selfcheck';
import type { ZoomConnectionRef } from '../../../src/zoom/zoom.types';

const FULL = ['user:read:admin', 'user:write:admin', 'meeting:read:admin', 'meeting:write:admin'];
const REF: ZoomConnectionRef = { id: 'c1', schoolId: 's1', zoomAccountId: 'acct-1', plan: 'pro' };
const INPUT: SelfCheckInput = {
  schoolId: 's1',
  email: 'admin@school.edu',
  platform: 'moodle',
  stateCheck: undefined,
  cookie: { cameBack: true, anyOfOurs: true },
};

function connected(over: Partial<ConnectionView> = {}): ConnectionView {
  return {
    status: 'connected',
    kind: 'oauth',
    zoomAccountId: 'acct-1',
    scopes: FULL,
    lastError: undefined,
    connectedAt: undefined,
    webhookUrl: undefined,
    ...over,
  };
}

/** Fakes for the connection, the token store and the client, each scripted per test. */
function harness(options: {
  views?: ConnectionView[];
  token?: (rejected: string | undefined) => Promise<string>;
  lookup?: (spec: ZoomRequestSpec<unknown>) => Promise<unknown>;
  budgetMs?: number;
}) {
  const views = options.views ?? [connected()];
  const calls = { tokens: [] as Array<string | undefined>, lookups: [] as ZoomRequestSpec<unknown>[] };
  let read = 0;
  const deps: SelfCheckDeps = {
    connection: async () => {
      const view = views[Math.min(read, views.length - 1)] as ConnectionView;
      read += 1;
      return { view, ref: view.status === 'connected' ? REF : undefined };
    },
    tokens: {
      accessToken: (_id, opts) => {
        calls.tokens.push(opts?.rejected);
        return options.token ? options.token(opts?.rejected) : Promise.resolve('tok-1');
      },
    },
    client: {
      forConnection: () => ({
        request: <T>(spec: ZoomRequestSpec<T>) => {
          calls.lookups.push(spec as ZoomRequestSpec<unknown>);
          return (
            options.lookup ? options.lookup(spec as ZoomRequestSpec<unknown>) : Promise.resolve({})
          ) as Promise<T>;
        },
      }),
    },
    logger: pino({ level: 'silent' }),
    budgetMs: options.budgetMs,
  };
  return { check: new ZoomSelfCheck(deps), calls };
}

const answered = (
  spec: ZoomRequestSpec<unknown>,
  date: string,
  body: unknown = { email: 'admin@school.edu' },
) => {
  const now = Date.now();
  const info: ZoomAnswerInfo = { status: 200, date, sentAt: now, receivedAt: now };
  spec.onAnswer?.(info);
  return Promise.resolve(body);
};

const byId = (verdicts: Array<{ id: string }>) => Object.fromEntries(verdicts.map((v) => [v.id, v]));

describe('ZoomSelfCheck', () => {
  it('without a connection, reads nothing from Zoom and skips the Zoom checks; launch checks still run', async () => {
    const { check, calls } = harness({ views: [connected({ status: 'none', kind: undefined })] });
    const verdicts = await check.run(INPUT);
    expect(verdicts.map((v) => [v.id, v.status])).toEqual([
      ['connection', 'fail'],
      ['scopes', 'skipped'],
      ['token', 'skipped'],
      ['lookup', 'skipped'],
      ['clock', 'skipped'],
      ['email', 'pass'],
      ['browser', 'pass'],
    ]);
    expect(calls.tokens).toEqual([]);
    expect(calls.lookups).toEqual([]);
  });

  it('OAuth looks up `me`; Server-to-Server never does (the admin’s email instead); the clock comes from the answer', async () => {
    const oauth = harness({ lookup: (spec) => answered(spec, new Date().toUTCString()) });
    const verdicts = byId(await oauth.check.run(INPUT));
    expect(oauth.calls.lookups[0]).toMatchObject({
      method: 'GET',
      path: '/users/{userId}',
      pathParams: { userId: 'me' },
    });
    expect(verdicts.clock).toMatchObject({ status: 'pass' });
    expect(verdicts.lookup).toMatchObject({ status: 'pass', says: 'lookupFound' });

    const s2s = harness({
      views: [connected({ kind: 's2s' })],
      lookup: (spec) => answered(spec, new Date().toUTCString()),
    });
    await s2s.check.run(INPUT);
    expect(s2s.calls.lookups[0]?.pathParams).toEqual({ userId: 'admin@school.edu' });
    const noEmail = harness({ views: [connected({ kind: 's2s' })] });
    await noEmail.check.run({ ...INPUT, email: undefined });
    expect(noEmail.calls.lookups[0]?.pathParams).toEqual({ userId: 'acct-1' });
  });

  it('a user Zoom does not know still proves the lookup works', async () => {
    const { check } = harness({
      views: [connected({ kind: 's2s' })],
      lookup: () =>
        Promise.reject(new ZoomApiError({ status: 404, code: 1001, kind: 'not_found', zoomMessage: 'no' })),
    });
    expect(byId(await check.run(INPUT)).lookup).toMatchObject({ status: 'pass', says: 'lookupNoUser' });
  });

  it('a grant Zoom refuses on the lookup fails the token check (reconnect), not the lookup', async () => {
    const { check } = harness({ lookup: () => Promise.reject(errors.zoomReconnectRequired()) });
    const verdicts = byId(await check.run(INPUT));
    expect(verdicts.token).toMatchObject({ status: 'fail', fix: 'reconnect' });
    expect(verdicts.lookup).toMatchObject({ status: 'skipped' });
  });

  it('a token the store cannot give fails the token check and skips the lookup', async () => {
    const { check, calls } = harness({ token: () => Promise.reject(errors.zoomReconnectRequired()) });
    const verdicts = byId(await check.run(INPUT));
    expect(verdicts.token).toMatchObject({ status: 'fail', fix: 'reconnect' });
    expect(verdicts.lookup).toMatchObject({ status: 'skipped' });
    expect(verdicts.clock).toMatchObject({ status: 'skipped' });
    expect(calls.lookups).toEqual([]);
  });

  it('Zoom that does not answer within the budget: the waiting check says it timed out, and the run ends in time', async () => {
    const { check } = harness({ budgetMs: 150, lookup: () => new Promise(() => undefined) });
    const started = Date.now();
    const verdicts = byId(await check.run(INPUT));
    expect(Date.now() - started).toBeLessThan(1000);
    expect(verdicts.lookup).toMatchObject({ status: 'fail', says: 'timedOut', fix: 'timeout' });
    const slowToken = harness({ budgetMs: 100, token: () => new Promise(() => undefined) });
    expect(byId(await slowToken.check.run(INPUT)).token).toMatchObject({ status: 'fail', says: 'timedOut' });
  });

  it('missing scopes on a Server-to-Server app: one renewal through the token store reads the app’s scopes of now', async () => {
    const partial = connected({ kind: 's2s', scopes: ['user:read:admin'] });
    const fixed = harness({ views: [partial, partial, connected({ kind: 's2s' })] });
    expect(byId(await fixed.check.run(INPUT)).scopes).toMatchObject({ status: 'pass' });
    expect(fixed.calls.tokens).toEqual([undefined, 'tok-1']);

    const oauth = harness({ views: [connected({ scopes: ['user:read:admin'] })] });
    expect(byId(await oauth.check.run(INPUT)).scopes).toMatchObject({ status: 'fail', fix: 'scopesOauth' });
    expect(oauth.calls.tokens).toEqual([undefined]);
  });
});
