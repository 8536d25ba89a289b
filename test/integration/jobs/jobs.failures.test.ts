import { Writable } from 'node:stream';
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

/**
 * A job that gives up is told (a metric's callback) and counted by kind for every instance; a job
 * whose school no longer exists is dropped at once with one log line, never run or retried.
 */
describe.each(databaseKinds())('background jobs that fail (%s)', (databaseKind) => {
  let database: TestDatabase;
  const runners: JobRunner[] = [];
  const logs: Array<{ level: number; msg: string; schoolId?: string }> = [];

  beforeAll(async () => {
    database = await createTestDatabase(databaseKind);
  });
  afterAll(() => database.drop());
  afterEach(async () => {
    await Promise.all(runners.splice(0).map((runner) => runner.stop(2_000)));
    await database.db.execute(sql`delete from background_jobs`);
    logs.length = 0;
  });

  function runner(handlers: Record<string, JobHandler>, options: { onFailed?: (kind: string) => void } = {}) {
    const created = new JobRunner({
      db: database.db,
      logger: createLogger({
        level: 'debug',
        destination: new Writable({
          write(chunk, _encoding, callback) {
            logs.push(JSON.parse(String(chunk)) as (typeof logs)[number]);
            callback();
          },
        }),
      }),
      pollMs: 20,
      onFailed: options.onFailed,
    });
    for (const [kind, handler] of Object.entries(handlers))
      created.register(kind, { handler, maxAttempts: 2 });
    runners.push(created);
    return created;
  }

  async function newSchool(name: string): Promise<string> {
    const [row] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into schools (name) values (${name}) returning id`,
    );
    if (!row) throw new Error('no school');
    return row.id;
  }

  const rows = () =>
    queryRows<{ kind: string; key: string; status: string }>(
      database.db,
      sql`select kind, key, status from background_jobs order by key`,
    );

  it('a job given up is told by kind once, and counted by kind until it is asked for again', async () => {
    const failed: string[] = [];
    const jobs = runner(
      {
        broken: async () => {
          throw new Error('Zoom said no');
        },
        fine: async () => undefined,
      },
      { onFailed: (kind) => failed.push(kind) },
    );
    await jobs.enqueue('broken', 'k1', {});
    await jobs.enqueue('broken', 'k2', {});
    await jobs.enqueue('fine', 'k3', {});
    // Backoff is seconds: each attempt is made due again by hand.
    for (let attempt = 0; attempt < 2; attempt += 1) {
      await database.db.execute(sql`update background_jobs set run_at = now() - interval '1 second'`);
      await jobs.runDue();
      await eventually(
        async () =>
          (await queryRows(database.db, sql`select 1 from background_jobs where lease_owner is not null`))
            .length === 0,
      );
    }
    await eventually(async () => (await rows()).every((row) => row.status === 'failed'));
    expect(failed).toEqual(['broken', 'broken']);
    expect(await jobs.failedCounts()).toEqual([{ kind: 'broken', count: 2 }]);
    expect(logs.filter((line) => /given up/.test(line.msg))).toHaveLength(2);
    await jobs.enqueue('broken', 'k1', {}, Date.now() + 60_000);
    expect(await jobs.failedCounts()).toEqual([{ kind: 'broken', count: 1 }]);
  });

  it('a job whose school was deleted is dropped at once, with one log line, and never run', async () => {
    const seen: string[] = [];
    const gone = await newSchool('A school about to close');
    const kept = await newSchool('A school that stays');
    const jobs = runner({
      sync: async (payload) => {
        seen.push(String(payload.schoolId));
        throw new Error('the school has no Zoom connection');
      },
    });
    await jobs.enqueue('sync', 'gone', { schoolId: gone });
    await jobs.enqueue('sync', 'kept', { schoolId: kept });
    await database.db.execute(sql`delete from schools where id = ${gone}`);
    jobs.start();
    await eventually(async () => (await rows()).length === 1);
    await sleep(200);
    expect(seen).toEqual([kept]);
    expect(await rows()).toEqual([{ kind: 'sync', key: 'kept', status: 'pending' }]);
    const dropped = logs.filter((line) => /school no longer exists/.test(line.msg));
    expect(dropped).toHaveLength(1);
    expect(dropped[0]?.schoolId).toBe(gone);
  });

  it('a job whose school is deleted while it runs is dropped when it fails, not retried', async () => {
    const school = await newSchool('A school closing during a job');
    let calls = 0;
    const jobs = runner({
      sync: async () => {
        calls += 1;
        await database.db.execute(sql`delete from schools where id = ${school}`);
        throw new Error('the school has no Zoom connection');
      },
    });
    await jobs.enqueue('sync', 'k1', { schoolId: school });
    jobs.start();
    await eventually(async () => (await rows()).length === 0);
    expect(calls).toBe(1);
    expect(logs.filter((line) => /school no longer exists/.test(line.msg))).toHaveLength(1);
  });
});
