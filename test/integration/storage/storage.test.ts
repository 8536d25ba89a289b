import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { migrationsApplied, openDatabase, queryRows, runMigrations } from '../../../src/storage';
import { createPostgresDatabase } from '../../support/db';
import { seededDataDir } from '../../support/data-dir';

describe('embedded database (PGlite in DATA_DIR)', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-lti-storage-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses a second opener of a directory a running process holds, and frees it on close', async () => {
    const first = await openDatabase({ kind: 'pglite', dataDir });
    await runMigrations(first);
    await expect(openDatabase({ kind: 'pglite', dataDir })).rejects.toMatchObject({
      id: 'database_in_use',
      detail: expect.stringMatching(/held by another running process/),
    });
    await first.db.execute(sql`insert into schools (name) values ('Kept School')`);
    await first.close();

    const second = await openDatabase({ kind: 'pglite', dataDir });
    try {
      expect(await migrationsApplied(second)).toBe(true);
      const rows = await queryRows<{ name: string }>(second.db, sql`select name from schools`);
      expect(rows).toEqual([{ name: 'Kept School' }]);
    } finally {
      await second.close();
    }
  }, 60_000);

  it('housekeeping vacuums dead rows, so a table that is written and emptied over and over stops growing', async () => {
    const vacuumDir = await seededDataDir('zoom-lti-vacuum-');
    const database = await openDatabase({ kind: 'pglite', dataDir: vacuumDir });
    try {
      await database.db.execute(sql`create table churn (id serial primary key, body text)`);
      const size = async () =>
        Number(
          (
            await queryRows<{ n: string | number }>(database.db, sql`select pg_relation_size('churn') as n`)
          )[0]?.n,
        );
      const churn = async () => {
        await database.db.execute(
          sql`insert into churn (body) select repeat('x', 200) from generate_series(1, 5000)`,
        );
        await database.db.execute(sql`delete from churn`);
      };
      await churn();
      await database.maintain({ vacuum: true });
      const settled = await size();
      for (let round = 0; round < 3; round += 1) {
        await churn();
        await database.maintain({ vacuum: true });
      }
      // Without the vacuum, each round would add its 5,000 dead rows' pages (about 1.2 MB).
      expect(await size()).toBeLessThanOrEqual(settled);
      await database.maintain({ vacuum: false });
    } finally {
      await database.close();
      fs.rmSync(vacuumDir, { recursive: true, force: true });
    }
  }, 60_000);
});

const postgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;
if (!process.env.TEST_DATABASE_URL) {
  // Said out loud rather than skipped silently: CI sets TEST_DATABASE_URL.
  process.stderr.write(
    'storage.test: TEST_DATABASE_URL is not set; the PostgreSQL migration race is not exercised\n',
  );
}

postgres('PostgreSQL', () => {
  it('migrations are safe when several instances start at once', async () => {
    const created = await createPostgresDatabase();
    const instances = await Promise.all(
      Array.from({ length: 5 }, () => openDatabase({ kind: 'postgres', url: created.url, poolSize: 2 })),
    );
    try {
      await Promise.all(instances.map((instance) => runMigrations(instance)));
      for (const instance of instances) expect(await migrationsApplied(instance)).toBe(true);
      const rows = await queryRows<{ count: string }>(
        instances[0]!.db,
        sql`select count(*) as count from drizzle.__drizzle_migrations`,
      );
      expect(Number(rows[0]?.count)).toBeGreaterThan(0);
    } finally {
      await Promise.all(instances.map((instance) => instance.close()));
      await created.drop();
    }
  }, 60_000);

  it('readiness is false before migrations and true after', async () => {
    const created = await createPostgresDatabase();
    const database = await openDatabase({ kind: 'postgres', url: created.url });
    try {
      await expect(migrationsApplied(database)).rejects.toThrow();
      await runMigrations(database);
      expect(await migrationsApplied(database)).toBe(true);
    } finally {
      await database.close();
      await created.drop();
    }
  });
});
