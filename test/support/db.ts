import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import { openDatabase, runMigrations, type Database } from '../../src/storage';
import { MIGRATIONS_FOLDER } from '../../src/storage/storage.migrate';
import { writeFileAtomically } from './files';

/**
 * Test databases. `pglite` is an in-memory PGlite; `postgres` is a fresh database created on the
 * server named by TEST_DATABASE_URL and dropped afterwards. `databaseKinds()` lists the kinds a
 * suite runs against.
 */
export type TestDatabaseKind = 'pglite' | 'postgres';

export interface TestDatabase extends Database {
  url?: string;
  drop(): Promise<void>;
}

/**
 * The kinds a suite runs against.
 * - 'both' (the data layer, concurrency between transactions, the embedded database): PGlite, and
 *   PostgreSQL when TEST_DATABASE_URL is set.
 * - 'one' (logic above the data layer, whose SQL and drivers the 'both' suites prove on each):
 *   PostgreSQL when TEST_DATABASE_URL is set (production's database), else PGlite. Every suite that
 *   does not ask runs on PGlite, so the embedded database sees all of it too.
 */
export function databaseKinds(scope: 'both' | 'one' = 'both'): TestDatabaseKind[] {
  if (!process.env.TEST_DATABASE_URL) return ['pglite'];
  return scope === 'both' ? ['pglite', 'postgres'] : ['postgres'];
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

/** Names the test caches of a migrated database: PGlite's version and every migration file. */
export function schemaHash(): string {
  const hash = crypto.createHash('sha256');
  hash.update(fs.readFileSync(path.join(__dirname, '../../node_modules/@electric-sql/pglite/package.json')));
  for (const file of fs.readdirSync(MIGRATIONS_FOLDER, { recursive: true, encoding: 'utf8' }).sort()) {
    const full = path.join(MIGRATIONS_FOLDER, file);
    if (fs.statSync(full).isFile()) hash.update(file).update(fs.readFileSync(full));
  }
  return hash.digest('hex').slice(0, 16);
}

/**
 * A migrated PGlite data directory, as a tarball in the system's temporary directory, named by a hash
 * of the migrations and of PGlite's version. Starting PGlite runs initdb (about 3 s of WASM on this
 * machine); opening the tarball takes under 1 s, and every suite opens several databases. The first
 * suite to need it builds it; a change to any migration names a new one.
 */
async function migratedPgliteTemplate(): Promise<Blob> {
  const file = path.join(os.tmpdir(), `zoomlti-test-pglite-${schemaHash()}.tar`);
  if (!fs.existsSync(file)) {
    const database = await openDatabase({ kind: 'pglite-memory' });
    await runMigrations(database);
    const dump = await database.dumpDataDir!();
    await database.close();
    writeFileAtomically(file, Buffer.from(await dump.arrayBuffer()));
  }
  // Read by PGlite straight from the file: a Blob made from a 40 MB buffer costs half a second more.
  return (await fs.openAsBlob(file)) as Blob;
}

export async function createTestDatabase(kind: TestDatabaseKind = 'pglite'): Promise<TestDatabase> {
  if (kind === 'pglite') {
    const database = await openDatabase({
      kind: 'pglite-memory',
      loadDataDir: await migratedPgliteTemplate(),
    });
    // Nothing to apply (the template is migrated): checks the journal, as a server's start does.
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
