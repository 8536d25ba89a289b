import { sql } from 'drizzle-orm';
import { PersonLease } from '../../../src/provisioning/provisioning.lease';
import { createLogger } from '../../../src/shared/logger';
import { queryRows } from '../../../src/storage';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/db';

/**
 * A worker's lease on a person's row: nobody can take it before it expires, so within half its
 * length the worker knows it still holds it without asking the database (a first launch reaches
 * Zoom one round trip sooner); later it asks, and learns when another worker took over.
 */
describe.each(databaseKinds())('the lease on a person (%s)', (kind) => {
  let database: TestDatabase;
  let schoolId: string;
  let clock = 0;
  const now = () => clock;
  const LEASE_MS = 60_000;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    const [school] = await queryRows<{ id: string }>(
      database.db,
      sql`insert into schools (name) values ('lease school') returning id`,
    );
    schoolId = String(school?.id);
  });
  afterAll(() => database.drop());

  const key = (userId: string) => ({ schoolId, lmsIssuer: 'https://lms.example.edu', lmsUserId: userId });
  const take = (userId: string, owner: string) =>
    PersonLease.take({
      db: database.db,
      key: key(userId),
      details: { name: 'Lee Lease', email: `${userId}@school.example.edu` },
      owner,
      leaseMs: LEASE_MS,
      now,
      logger: createLogger({ level: 'silent' }),
    });
  const ownerOf = async (userId: string) =>
    (
      await queryRows<{ lease_owner: string | null }>(
        database.db,
        sql`select lease_owner from zoom_users where lms_user_id = ${userId}`,
      )
    )[0]?.lease_owner;

  it('a live lease is not taken by a second worker; an expired one is, and the first learns it', async () => {
    clock = Date.now();
    const first = await take('lee', 'worker-a');
    expect(first).toBeDefined();
    expect(await take('lee', 'worker-b')).toBeUndefined();
    expect(await first?.stillHolding()).toBe(true);

    // The lease expires (by the database's clock, which decides; the workers' clocks move on too).
    clock += LEASE_MS + 1;
    await queryRows(
      database.db,
      sql`update zoom_users set lease_until = clock_timestamp() - interval '1 second' where lms_user_id = 'lee'`,
    );
    const second = await take('lee', 'worker-b');
    expect(second).toBeDefined();
    expect(await ownerOf('lee')).toBe('worker-b');
    expect(await first?.stillHolding()).toBe(false);
    await first?.finish({ lastOutcome: 'active' });
    expect(await ownerOf('lee')).toBe('worker-b'); // a lost lease writes nothing
    await second?.finish({ lastOutcome: 'pending' });
    expect(await ownerOf('lee')).toBeNull();
  });

  it('within half the lease the holder answers from memory; after it, from the database', async () => {
    clock = Date.now();
    const lease = await take('mo', 'worker-a');
    // Only an expired lease may be taken, so a row changed under a live lease is not looked at yet…
    await queryRows(
      database.db,
      sql`update zoom_users set lease_owner = 'intruder' where lms_user_id = 'mo'`,
    );
    clock += LEASE_MS / 2 - 1_000;
    expect(await lease?.stillHolding()).toBe(true);
    // …and is once the lease is older than half its length.
    clock += 2_000;
    expect(await lease?.stillHolding()).toBe(false);
    lease?.stop();
  });

  it('renewing keeps answering from memory for another half lease', async () => {
    clock = Date.now();
    const lease = await take('nia', 'worker-a');
    clock += LEASE_MS / 2 + 1;
    expect(await lease?.stillHolding()).toBe(true); // asked the database, which renewed it
    await queryRows(
      database.db,
      sql`update zoom_users set lease_owner = 'intruder' where lms_user_id = 'nia'`,
    );
    clock += LEASE_MS / 2 - 1_000;
    expect(await lease?.stillHolding()).toBe(true);
    lease?.stop();
  });

  it('the outcome written at the end outlasts a database restart (retried), so a Zoom user just made is not lost', async () => {
    clock = Date.now();
    // A database whose next updates meet a restart (SQLSTATE 57P01, as node-postgres reports it).
    let refusals = 0;
    const update = database.db.update.bind(database.db);
    const restarting = new Proxy(database.db, {
      get(target, property, receiver) {
        if (property !== 'update') return Reflect.get(target, property, receiver);
        return (...args: Parameters<typeof update>) => {
          if (refusals > 0) {
            refusals -= 1;
            throw Object.assign(new Error('terminating connection due to administrator command'), {
              code: '57P01',
            });
          }
          return update(...args);
        };
      },
    });
    const lease = await PersonLease.take({
      db: restarting,
      key: key('ora'),
      details: { name: 'Ora Outage', email: 'ora@school.example.edu' },
      owner: 'worker-a',
      leaseMs: LEASE_MS,
      now,
      logger: createLogger({ level: 'silent' }),
    });
    refusals = 2;
    await lease?.finish({ zoomUserId: 'zoom-ora', status: 'active', lastOutcome: 'active' });
    expect(refusals).toBe(0);
    const [row] = await queryRows<{ zoom_user_id: string | null; lease_owner: string | null }>(
      database.db,
      sql`select zoom_user_id, lease_owner from zoom_users where lms_user_id = 'ora'`,
    );
    expect(row).toEqual({ zoom_user_id: 'zoom-ora', lease_owner: null });
  });
});
