import { sql } from 'drizzle-orm';
import { openDatabase, queryRows, type Database } from '../../../src/storage';
import { ZoomPacer, zoomRateStore } from '../../../src/zoom';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/db';

/** 10 Light calls a second at 95 %: one every 105.3 ms (the pacer does not round it up). */
const SPACING_MS = 1000 / (10 * 0.95);

/**
 * Zoom pacing shared through the database (zoom.pacer.repo.ts): two pacers stand for two instances
 * of the tool; on PostgreSQL each has its own connection pool, as two processes would.
 */
describe.each(databaseKinds())('Zoom pacing shared through the database (%s)', (kind) => {
  let database: TestDatabase;
  let second: Database;

  beforeAll(async () => {
    database = await createTestDatabase(kind);
    second = database.url ? await openDatabase({ kind: 'postgres', url: database.url }) : database;
  });
  afterAll(async () => {
    if (second !== database) await second.close();
    await database.drop();
  });
  beforeEach(async () => {
    await database.db.execute(sql`delete from zoom_rate_lanes`);
    await database.db.execute(sql`delete from zoom_daily_holds`);
  });

  const limits = { free: { light: 10 } };
  const instances = () => [
    new ZoomPacer({ limits, store: zoomRateStore(database.db) }),
    new ZoomPacer({ limits, store: zoomRateStore(second.db) }),
  ];

  it('two instances together keep to the limit', async () => {
    const starts: number[] = [];
    await Promise.all(
      instances().flatMap((pacer) =>
        Array.from({ length: 8 }, () =>
          pacer.schedule('acct-1', 'free', 'light', async () => {
            starts.push(Date.now());
          }),
        ),
      ),
    );
    starts.sort((a, b) => a - b);
    expect(starts).toHaveLength(16);
    // 10 a second at 95 %: one call every 105.3 ms, whichever instance sends it (11 calls span more
    // than a second; 50 ms of margin for a loaded machine; alone, each would send 8 in 750 ms).
    for (let i = 0; i + 10 < starts.length; i += 1)
      expect((starts[i + 10] ?? 0) - (starts[i] ?? 0)).toBeGreaterThanOrEqual(1000 - 50);
    // The 16 calls took about 15 spacings (1.58 s), not the 0.74 s each instance alone would take.
    // One spacing of room: a call may go out up to the lane's late tolerance (26 ms) after its
    // slot, the first one included, and a timer may fire a millisecond early.
    expect((starts[15] ?? 0) - (starts[0] ?? 0)).toBeGreaterThanOrEqual(14 * SPACING_MS);
  });

  it('concurrent reservations each get their own slot, one spacing after another', async () => {
    const store = zoomRateStore(database.db);
    const other = zoomRateStore(second.db);
    const lane = { accountId: 'acct-2', category: 'medium' as const };
    // A second a slot: the ten statements chain as long as they all run within a second of the
    // first, which holds on a loaded machine too (nothing here waits for its slot).
    const spacing = 1000;
    const waits = await Promise.all(
      Array.from({ length: 10 }, (_v, i) => (i % 2 ? other : store).reserve(lane, spacing, 1, 0)),
    );
    waits.sort((a, b) => a - b);
    // Each slot is one spacing after the one before, less the time between the two statements.
    expect(waits[0] ?? Infinity).toBeLessThan(spacing / 2);
    expect(waits[9] ?? 0).toBeGreaterThanOrEqual(9 * spacing - spacing / 2);
    for (let i = 1; i < waits.length; i += 1)
      expect((waits[i] ?? 0) - (waits[i - 1] ?? 0)).toBeGreaterThan(spacing / 2);
    const [row] = await queryRows<{ ahead_ms: number }>(
      database.db,
      sql`select (extract(epoch from (next_at - clock_timestamp())) * 1000)::float8 as ahead_ms
          from zoom_rate_lanes where account_id = 'acct-2' and category = 'medium'`,
    );
    expect(Number(row?.ahead_ms)).toBeGreaterThan(10 * spacing - spacing / 2);
  });

  it('a reservation asked for several calls takes that many slots', async () => {
    const store = zoomRateStore(database.db);
    const lane = { accountId: 'acct-3', category: 'light' as const };
    expect(await store.reserve(lane, 100, 4, 0)).toBeLessThan(50);
    expect(await store.reserve(lane, 100, 1, 0)).toBeGreaterThan(400 - 100);
  });

  it('a pause asked by one instance holds the lane in the other', async () => {
    const [one, two] = instances();
    const until = Date.now() + 400;
    one?.pause('acct-1', 'light', until);
    await waitForRow(database, sql`select 1 from zoom_rate_lanes where paused_until is not null`);
    let started = 0;
    await two?.schedule('acct-1', 'free', 'light', async () => {
      started = Date.now();
    });
    expect(started).toBeGreaterThanOrEqual(until - 30);
  });

  it('a daily limit spent in one instance is honoured by the other until its reset', async () => {
    const [one, two] = instances();
    const reset = Date.now() + 60_000;
    one?.holdUntilReset('acct-1', 'user:u1', reset);
    await waitForRow(database, sql`select 1 from zoom_daily_holds where scope = 'user:u1'`);
    const seen = await two?.heldUntil('acct-1', 'user:u1');
    expect(Math.abs((seen ?? 0) - reset)).toBeLessThan(1000);
    await expect(two?.heldUntil('acct-1', 'user:u2')).resolves.toBeUndefined();
    await expect(two?.heldUntil('acct-9', 'user:u1')).resolves.toBeUndefined();
  });

  it('a spent limit past its reset holds nothing', async () => {
    const store = zoomRateStore(database.db);
    await store.hold('acct-4', 'category:light', 50);
    expect((await store.holds('acct-4')).map((hold) => hold.scope)).toEqual(['category:light']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    expect(await store.holds('acct-4')).toEqual([]);
  });

  it('refuses a reservation without a positive spacing or count', async () => {
    const store = zoomRateStore(database.db);
    const lane = { accountId: 'acct-5', category: 'light' as const };
    await expect(store.reserve(lane, 0, 1, 0)).rejects.toThrow(RangeError);
    await expect(store.reserve(lane, 100, 0, 0)).rejects.toThrow(RangeError);
  });
});

/** The store's writes from `pause`/`holdUntilReset` are not awaited by their callers. */
async function waitForRow(database: Database, query: ReturnType<typeof sql>): Promise<void> {
  for (let i = 0; i < 100; i += 1) {
    if ((await queryRows(database.db, query)).length > 0) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('the row was never written');
}
