import crypto from 'node:crypto';
import pg from 'pg';
import { openDatabase, runMigrations, type Database } from '../../src/storage';

/**
 * Test databases. `pglite` is an in-memory PGlite; `postgres` is a fresh database created on the
 * server named by TEST_DATABASE_URL and dropped afterwards. `databaseKinds()` lists the kinds a
 * suite should run against: PGlite always, PostgreSQL when TEST_DATABASE_URL is set.
 */
export type TestDatabaseKind = 'pglite' | 'postgres';

export interface TestDatabase extends Database {
  url?: string;
  drop(): Promise<void>;
}

export function databaseKinds(): TestDatabaseKind[] {
  return process.env.TEST_DATABASE_URL ? ['pglite', 'postgres'] : ['pglite'];
}

export function adminUrl(): string {
  const url = process.env.TEST_DATABASE_URL;
  if (!url) throw new Error('TEST_DATABASE_URL is not set');
  return url;
}

/** Creates an empty PostgreSQL database and returns its URL (no migrations). */
export async function createPostgresDatabase(): Promise<{ url: string; drop: () => Promise<void> }> {
  const base = new URL(adminUrl());
  const name = `zoomlti_test_${crypto.randomBytes(6).toString('hex')}`;
  const admin = new pg.Client({ connectionString: base.toString() });
  await admin.connect();
  await admin.query(`create database ${name}`);
  await admin.end();
  const url = new URL(base.toString());
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    drop: async () => {
      const client = new pg.Client({ connectionString: base.toString() });
      await client.connect();
      await client.query(`drop database if exists ${name} with (force)`);
      await client.end();
    },
  };
}

export async function createTestDatabase(kind: TestDatabaseKind = 'pglite'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({ kind: 'pglite-memory' });
    await runMigrations(database);
    return { ...database, drop: () => database.close() };
  }
  const created = await createPostgresDatabase();
  const database = await openDatabase({ kind: 'postgres', url: created.url, poolSize: 20 });
  await runMigrations(database);
  return {
    ...database,
    url: created.url,
    drop: async () => {
      await database.close();
      await created.drop();
    },
  };
}

export const TEST_MASTER_KEY = Buffer.alloc(32, 7);
