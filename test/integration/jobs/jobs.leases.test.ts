import { sql } from 'drizzle-orm';
import { JobRunner, type JobHandler } from '../../../src/jobs';
import { createLogger } from '../../../src/shared/logger';
import { queryRows, type Db } from '../../../src/storage';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/db';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const MINUTE = 60_000;

async function eventually(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error('did not happen in time');
}

/** The database, or one that refuses every statement while `down` is set (a lost connection). */
function unreliable(db: Db) {
  const state = { down: false };
  const proxy = new Proxy(db, {
    get(target, property) {
      if (property === 'execute' && state.down)
        return () => Promise.reject(new Error('connection to the database lost'));
      const value: unknown = Reflect.get(target, property, target);
      return typeof value === 'function' ? (value as (...args: unknown[]) => unknown).bind(target) : value;
    },
  });
  return { db: proxy, state };
}

/**
 * A job's lease is the database's: claims, expiry and due times are compared with the database's
 * clock, never an instance's, so instances whose clocks disagree by minutes neither run one job
 * twice nor leave one waiting. A runner that can no longer vouch for its lease stops treating the
 * job as its own: the handler is told (its abort signal) and nothing is written for it.
 */
describe.each(databaseKinds())('background job leases (%s)', (databaseKind) => {
  let database: TestDatabase;
  const runners: JobRunner[] = [];

  beforeAll(async () => {
    database = await createTestDatabase(databaseKind);
  });
  afterAll(() => database.drop());
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop(2_000)));
    await database.db.execute(sql`delete from background_jobs`);
  });

  function runner(
    handlers: Record<string, JobHandler>,
    options: { leaseMs?: number; skewMs?: number; db?: Db; maxAttempts?: number } = {},
  ) {
    const skew = options.skewMs ?? 0;
    const created = new JobRunner({
      db: options.db ?? database.db,
      logger: createLogger({ level: 'silent' }),
      now: () => Date.now() + skew,
      pollMs: 20,
      leaseMs: options.leaseMs ?? 5_000,
    });
    for (const [kind, handler] of Object.entries(handlers))
      created.register(kind, { handler, maxAttempts: options.maxAttempts });
    runners.push(created);
    return created;
  }

  /** Another instance holds the job now (as it would once this one's lease had expired). */
  const takeOver = () =>
    database.db.execute(
      sql`update background_jobs set lease_owner = 'another instance', lease_until = clock_timestamp() + interval '1 hour'`,
    );

  const rows = () =>
    queryRows<{ key: string; status: string; lease_owner: string | null; last_error: string | null }>(
      database.db,
      sql`select key, status, lease_owner, last_error from background_jobs order by key`,
    );

  it('a runner whose clock is minutes ahead does not take a job another runner holds', async () => {
    let runs = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const slow: JobHandler = async () => {
      runs += 1;
      await gate;
    };
    const behind = runner({ slow }, { skewMs: -5 * MINUTE, leaseMs: 600 });
    const ahead = runner({ slow }, { skewMs: 5 * MINUTE, leaseMs: 600 });
    behind.start();
    await behind.enqueue('slow', 'k1', {});
    await eventually(() => runs === 1);
    ahead.start();
    // Two lease lengths: the holder renews its lease; the other instance's clock says nothing about it.
    await sleep(1_200);
    expect(runs).toBe(1);
    release();
    await eventually(async () => (await rows()).length === 0);
    expect(runs).toBe(1);
  });

  it('a job recorded by a runner whose clock is minutes ahead runs at once on a runner whose clock is behind', async () => {
    const seen: string[] = [];
    const ahead = runner({ work: async () => void seen.push('ran') }, { skewMs: 10 * MINUTE });
    const behind = runner({ work: async () => void seen.push('ran') }, { skewMs: -10 * MINUTE });
    await ahead.enqueue('work', 'k1', {});
    behind.start();
    await eventually(() => seen.length === 1, 3_000);
    await eventually(async () => (await rows()).length === 0);
  });

  it('a job asked for in a minute waits a minute on every runner, whatever its clock', async () => {
    const seen: string[] = [];
    const behind = runner({ later: async () => void seen.push('ran') }, { skewMs: -10 * MINUTE });
    const ahead = runner({ later: async () => void seen.push('ran') }, { skewMs: 10 * MINUTE });
    await behind.enqueue('later', 'k1', {}, Date.now() - 10 * MINUTE + MINUTE);
    ahead.start();
    await sleep(300);
    expect(seen).toEqual([]);
    const [due] = await queryRows<{ in_ms: number }>(
      database.db,
      sql`select (extract(epoch from (run_at - clock_timestamp())) * 1000)::float8 as in_ms from background_jobs`,
    );
    expect(Number(due?.in_ms)).toBeGreaterThan(MINUTE - 5_000);
    expect(Number(due?.in_ms)).toBeLessThanOrEqual(MINUTE);
  });

  it('a job whose runner died is taken by another once its lease expires, whatever their clocks', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    const ahead = runner({ work: async () => stuck }, { skewMs: 10 * MINUTE, leaseMs: 300 });
    ahead.start();
    await ahead.enqueue('work', 'k1', {});
    await eventually(async () => (await rows())[0]?.lease_owner != null);
    // Its grace runs out: the job keeps its lease, which stops being renewed.
    expect(await ahead.stop(50)).toBe(false);
    const behind = runner({ work: async () => void seen.push('taken over') }, { skewMs: -10 * MINUTE });
    behind.start();
    await eventually(() => seen.length === 1, 3_000);
    release();
  });

  it('when its lease is taken over, the handler is told to stop and the job is not written as done', async () => {
    let signal: AbortSignal | undefined;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const jobs = runner(
      {
        slow: async (_payload, context) => {
          signal = context.signal;
          await gate;
        },
      },
      { leaseMs: 300 },
    );
    jobs.start();
    await jobs.enqueue('slow', 'k1', {});
    await eventually(() => signal !== undefined);
    expect(signal?.aborted).toBe(false);
    await takeOver();
    await eventually(() => signal?.aborted === true, 2_000);
    release();
    await sleep(200);
    expect(await rows()).toMatchObject([{ key: 'k1', status: 'pending', lease_owner: 'another instance' }]);
  });

  it('when renewing its lease keeps failing, the handler is told to stop before the lease can expire', async () => {
    const { db, state } = unreliable(database.db);
    const signals: AbortSignal[] = [];
    let abortedAt = 0;
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const jobs = runner(
      {
        slow: async (_payload, context) => {
          signals.push(context.signal);
          context.signal.addEventListener('abort', () => (abortedAt = Date.now()));
          if (signals.length === 1) await gate;
        },
      },
      { leaseMs: 1_500, db },
    );
    jobs.start();
    await jobs.enqueue('slow', 'k1', {});
    await eventually(() => signals.length === 1);
    const lostAt = Date.now();
    state.down = true;
    await eventually(() => signals[0]?.aborted === true, 3_000);
    // Told before the lease it last confirmed (1.5 s from at most lostAt) expires; renewals come
    // every 500 ms, so a loaded machine has that much room.
    expect(abortedAt - lostAt).toBeLessThan(1_500);
    state.down = false;
    release();
    // The first run was not written as done: the job is run again once its lease has expired.
    await eventually(() => signals.length === 2, 5_000);
    await eventually(async () => (await rows()).length === 0);
    expect(signals[1]?.aborted).toBe(false);
  });

  it('a job that ends without its lease is neither retried nor failed by this runner', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    let calls = 0;
    const jobs = runner(
      {
        broken: async () => {
          calls += 1;
          await gate;
          throw new Error('Zoom said no');
        },
      },
      { leaseMs: 300, maxAttempts: 1 },
    );
    jobs.start();
    await jobs.enqueue('broken', 'k1', {});
    await eventually(() => calls === 1);
    await takeOver();
    await sleep(250);
    release();
    await sleep(200);
    expect(await rows()).toMatchObject([
      { key: 'k1', status: 'pending', lease_owner: 'another instance', last_error: null },
    ]);
  });
});
