import { sql } from 'drizzle-orm';
import { PersonLease, waitForHolder } from '../../../src/provisioning/provisioning.lease';
import { createLogger } from '../../../src/shared/logger';
import { queryRows } from '../../../src/storage';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/db';

const MINUTE = 60_000;
const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * The lease on a person's row is the database's: taking it, and whether it expired, are decided
 * with the database's clock, so workers on instances whose clocks disagree by minutes neither both
 * ask Zoom to create one person (a POST Zoom does not deduplicate) nor leave a person waiting.
 */
describe.each(databaseKinds())('the lease on a person, across clocks (%s)', (kind) => {
  let database: TestDatabase;
  let schoolId: string;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const [school] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into schools (name) values ('clock school') returning id`,
    );
    schoolId = String(school?.id);
  });
  afterAll(() => database.drop());

  const key = (userId: string) => ({ schoolId, lmsIssuer: 'https://lms.example.edu', lmsUserId: userId });
  const take = (userId: string, owner: string, skewMs: number, leaseMs = MINUTE) =>
    PersonLease.take({
      db: database.db,
      key: key(userId),
      details: { name: 'Cleo Clock', email: `${userId}@school.example.edu` },
      owner,
      leaseMs,
      now: () => Date.now() + skewMs,
      logger: createLogger({ level: 'silent' }),
    });

  it('a worker whose clock is minutes ahead does not take a live lease another worker holds', async () => {
    const behind = await take('ava', 'worker-behind', -5 * MINUTE);
    expect(behind).toBeDefined();
    expect(await take('ava', 'worker-ahead', 5 * MINUTE)).toBeUndefined();
    expect(await behind?.stillHolding()).toBe(true);
    await behind?.finish({ lastOutcome: 'active' });
  });

  it('a lease whose worker died is taken once it expires, by a worker whose clock is minutes behind', async () => {
    const ahead = await take('bo', 'worker-ahead', 10 * MINUTE, 300);
    expect(ahead).toBeDefined();
    ahead?.stop(); // it dies: its lease is no longer renewed
    await sleep(400);
    const behind = await take('bo', 'worker-behind', -10 * MINUTE);
    expect(behind).toBeDefined();
    await behind?.finish({ lastOutcome: 'active' });
  });

  it('a launch whose clock is minutes ahead waits for the live holder’s answer instead of giving up at once', async () => {
    const holder = await take('cy', 'worker-a', 0);
    expect(holder).toBeDefined();
    const waiting = waitForHolder(database.db, key('cy'), 2_000, () => Date.now() + 5 * MINUTE);
    await sleep(300);
    await holder?.finish({ lastOutcome: 'active' });
    expect(await waiting).toBe('active');
  });
});
