import { sql } from 'drizzle-orm';
import { JobRunner, type JobHandler } from '../../../src/jobs';
import { createLogger } from '../../../src/shared/logger';
import { queryRows } from '../../../src/storage';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/db';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function eventually(check: () => boolean | Promise<boolean>, ms = 5_000): Promise<void> {
  const until = Date.now() + ms;
  while (Date.now() < until) {
    if (await check()) return;
    await sleep(20);
  }
  throw new Error('did not happen in time');
}

interface JobRowView {
  kind: string;
  key: string;
  status: string;
  attempts: number;
  lease_owner: string | null;
  last_error: string | null;
}

/**
 * The job runner owns background work: durable jobs (claimed with a renewed lease, retried, run
 * again after a crash) and work that outlived its request; shutdown waits for both, bounded.
 */
describe.each(databaseKinds())('background jobs (%s)', (databaseKind) => {
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
    options: { leaseMs?: number; maxAttempts?: number } = {},
  ) {
    const created = new JobRunner({
      db: database.db,
      logger: createLogger({ level: 'silent' }),
      pollMs: 20,
      leaseMs: options.leaseMs ?? 5_000,
    });
    for (const [kind, handler] of Object.entries(handlers)) {
      created.register(kind, { handler, maxAttempts: options.maxAttempts });
    }
    runners.push(created);
    return created;
  }

  async function rows(): Promise<JobRowView[]> {
    const found = await queryRows<JobRowView>(
      database.db,
      sql`select kind, key, status, attempts, lease_owner, last_error from background_jobs order by key`,
    );
    return found.map((row) => ({ ...row, attempts: Number(row.attempts) }));
  }

  it('runs a due job once, with its payload, and forgets it', async () => {
    const seen: unknown[] = [];
    const jobs = runner({ greet: async (payload) => void seen.push(payload) });
    jobs.start();
    await jobs.enqueue('greet', 'k1', { name: 'Ada' });
    await eventually(() => seen.length === 1);
    await eventually(async () => (await rows()).length === 0);
    await sleep(100);
    expect(seen).toEqual([{ name: 'Ada' }]);
  });

  it('does not run a job before its time', async () => {
    const seen: string[] = [];
    const jobs = runner({ later: async () => void seen.push('ran') });
    jobs.start();
    await jobs.enqueue('later', 'k1', {}, Date.now() + 60_000);
    await sleep(200);
    expect(seen).toEqual([]);
    expect(await rows()).toMatchObject([{ key: 'k1', status: 'pending', attempts: 0 }]);
  });

  it('keeps one pending job per kind and key: asking again moves it earlier and takes the newest payload', async () => {
    const seen: unknown[] = [];
    const jobs = runner({ sync: async (payload) => void seen.push(payload) });
    await jobs.enqueue('sync', 'course-1', { v: 1 }, Date.now() + 60_000);
    await jobs.enqueue('sync', 'course-1', { v: 2 });
    expect(await rows()).toHaveLength(1);
    jobs.start();
    await eventually(() => seen.length === 1);
    expect(seen).toEqual([{ v: 2 }]);
  });

  it('runs a job again when it was asked for again while it ran', async () => {
    let release!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const seen: unknown[] = [];
    const jobs = runner({
      sync: async (payload) => {
        seen.push(payload);
        if (seen.length === 1) await gate;
      },
    });
    jobs.start();
    await jobs.enqueue('sync', 'course-1', { v: 1 });
    await eventually(() => seen.length === 1);
    await jobs.enqueue('sync', 'course-1', { v: 2 });
    release();
    await eventually(() => seen.length === 2);
    expect(seen).toEqual([{ v: 1 }, { v: 2 }]);
    await eventually(async () => (await rows()).length === 0);
  });

  it('runs a job again at the time its handler asks for', async () => {
    const times: number[] = [];
    const jobs = runner({
      limited: async () => {
        times.push(Date.now());
        if (times.length === 1) return { retryAt: Date.now() + 300 };
      },
    });
    jobs.start();
    await jobs.enqueue('limited', 'k1', {});
    await eventually(() => times.length === 2);
    expect((times[1] ?? 0) - (times[0] ?? 0)).toBeGreaterThanOrEqual(280);
  });

  it('gives a failing job up after its last attempt, marked failed with the reason', async () => {
    let calls = 0;
    const jobs = runner(
      {
        broken: async () => {
          calls += 1;
          throw new Error('Zoom said no');
        },
      },
      { maxAttempts: 1 },
    );
    jobs.start();
    await jobs.enqueue('broken', 'k1', {});
    await eventually(async () => (await rows())[0]?.status === 'failed');
    expect(calls).toBe(1);
    expect(await rows()).toMatchObject([
      { status: 'failed', attempts: 1, lease_owner: null, last_error: 'Zoom said no' },
    ]);
  });

  it('runs each job once when two runners share the database', async () => {
    const seen: string[] = [];
    const handler: JobHandler = async (payload) => {
      await sleep(30);
      seen.push(String(payload.n));
    };
    const a = runner({ work: handler });
    const b = runner({ work: handler });
    for (let n = 0; n < 20; n += 1) await a.enqueue('work', `k${n}`, { n });
    a.start();
    b.start();
    await eventually(() => seen.length >= 20);
    await sleep(200);
    expect(seen.sort()).toEqual(Array.from({ length: 20 }, (_, n) => String(n)).sort());
  });

  it('renews the lease of a long job, so another runner does not run it too', async () => {
    let runs = 0;
    const slow: JobHandler = async () => {
      runs += 1;
      await sleep(900);
    };
    const a = runner({ slow }, { leaseMs: 300 });
    const b = runner({ slow }, { leaseMs: 300 });
    a.start();
    await a.enqueue('slow', 'k1', {});
    await eventually(() => runs === 1);
    b.start();
    await eventually(async () => (await rows()).length === 0, 3_000);
    expect(runs).toBe(1);
  });

  it('a job whose runner stopped before finishing is run by another runner once its lease expires', async () => {
    let release!: () => void;
    const stuck = new Promise<void>((resolve) => (release = resolve));
    const seen: string[] = [];
    const a = runner({ work: async () => stuck }, { leaseMs: 300 });
    a.start();
    await a.enqueue('work', 'k1', {});
    await eventually(async () => (await rows())[0]?.lease_owner !== null && (await rows()).length === 1);
    // Shutdown's grace runs out while the job is still running: it keeps its lease, which stops being renewed.
    expect(await a.stop(100)).toBe(false);
    const b = runner({ work: async () => void seen.push('b') }, { leaseMs: 300 });
    b.start();
    await eventually(() => seen.length === 1, 3_000);
    release();
  });

  it('stop waits for a running job and for tracked work before it resolves', async () => {
    const finished: string[] = [];
    const jobs = runner({
      slow: async () => {
        await sleep(400);
        finished.push('job');
      },
    });
    jobs.start();
    await jobs.enqueue('slow', 'k1', {});
    await eventually(async () => (await rows())[0]?.lease_owner != null);
    void jobs.track(sleep(300).then(() => finished.push('tracked')));
    const started = Date.now();
    expect(await jobs.stop(5_000)).toBe(true);
    expect(Date.now() - started).toBeGreaterThanOrEqual(250);
    expect(finished.sort()).toEqual(['job', 'tracked']);
    expect(await rows()).toEqual([]);
  });

  it('a stopped runner claims nothing more; its pending jobs stay for the next one', async () => {
    const seen: string[] = [];
    const a = runner({ work: async () => void seen.push('a') });
    a.start();
    await a.stop();
    await a.enqueue('work', 'k1', {});
    await sleep(150);
    expect(seen).toEqual([]);
    expect(await rows()).toMatchObject([{ key: 'k1', status: 'pending' }]);
    const b = runner({ work: async () => void seen.push('b') });
    b.start();
    await eventually(() => seen.length === 1);
    expect(seen).toEqual(['b']);
  });

  it('refuses a job kind that has no handler, and a kind registered twice', async () => {
    const jobs = runner({ known: async () => undefined });
    await expect(jobs.enqueue('unknown', 'k', {})).rejects.toThrow(/no handler for job kind unknown/);
    expect(() => jobs.register('known', { handler: async () => undefined })).toThrow(/registered twice/);
  });
});
