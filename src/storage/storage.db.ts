import path from 'node:path';
import { PGlite } from '@electric-sql/pglite';
import { sql, type ExtractTablesWithRelations } from 'drizzle-orm';
import { drizzle as drizzlePg } from 'drizzle-orm/node-postgres';
import { drizzle as drizzlePglite } from 'drizzle-orm/pglite';
import type { PgDatabase, PgQueryResultHKT, PgTransaction } from 'drizzle-orm/pg-core';
import pg from 'pg';
import { DATABASE_FOLDER, restrictModes, secureDataDir } from './storage.data-dir';
import { lockDataDir } from './storage.lock';
import * as schema from './storage.schema';

export type Schema = typeof schema;
export type Db = PgDatabase<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
export type Tx = PgTransaction<PgQueryResultHKT, Schema, ExtractTablesWithRelations<Schema>>;
/** A repository function takes either the database or a transaction the service opened. */
export type Queryable = Db | Tx;

export interface Database {
  db: Db;
  kind: 'postgres' | 'pglite';
  /** Runs `fn` on one dedicated connection (for session-level advisory locks). */
  withConnection<T>(fn: (db: Db) => Promise<T>): Promise<T>;
  /**
   * Housekeeping a server does not do for itself: on PGlite (one process, no autovacuum, no
   * background checkpointer) the write-ahead log is checkpointed and, with `vacuum`, dead rows are
   * vacuumed, so space and memory are reused instead of growing with every launch. PostgreSQL does
   * both itself: there it does nothing.
   */
  maintain(options: { vacuum: boolean }): Promise<void>;
  /** PGlite only: the whole data directory as an uncompressed tarball (`loadDataDir` opens it again). */
  dumpDataDir?(): Promise<Blob>;
  close(): Promise<void>;
}

export type DatabaseTarget =
  | { kind: 'postgres'; url: string; poolSize?: number }
  | { kind: 'pglite'; dataDir: string }
  /** In memory, empty or (`loadDataDir`) from a `dumpDataDir()` tarball: tests start from a migrated copy. */
  | { kind: 'pglite-memory'; loadDataDir?: Blob };

/** The configured database: PostgreSQL when a URL is set, else the embedded PGlite in the data directory. */
export function databaseTarget(settings: {
  databaseUrl: string | undefined;
  databasePoolSize: number;
  dataDir: string;
}): DatabaseTarget {
  return settings.databaseUrl
    ? { kind: 'postgres', url: settings.databaseUrl, poolSize: settings.databasePoolSize }
    : { kind: 'pglite', dataDir: settings.dataDir };
}

/** Rows of a raw `db.execute(sql…)`: node-postgres and PGlite both answer with `{ rows }`. */
export async function queryRows<T>(db: Queryable, query: ReturnType<typeof sql>): Promise<T[]> {
  const result = (await db.execute(query)) as unknown as { rows: T[] };
  return result.rows;
}

/** A unique-constraint violation (SQLSTATE 23505), whichever driver raised it. */
export function isUniqueViolation(error: unknown): boolean {
  const { code, cause } = error as { code?: string; cause?: { code?: string } };
  return (code ?? cause?.code) === '23505';
}

/**
 * The embedded database lives in this process's memory: PostgreSQL's defaults (a 128 MB buffer
 * cache, up to 1 GB of write-ahead log between checkpoints) would grow the process by that much
 * over days. A school's data is small; the operating system caches the files too.
 */
const PGLITE_SETTINGS = ['shared_buffers = 32MB', 'max_wal_size = 64MB', 'min_wal_size = 32MB'];

export async function openDatabase(target: DatabaseTarget): Promise<Database> {
  if (target.kind === 'postgres') {
    const pool = new pg.Pool({ connectionString: target.url, max: target.poolSize ?? 10 });
    pool.on('error', () => {
      // An idle client died (server restart); the pool replaces it on next use.
    });
    const db = drizzlePg(pool, { schema }) as unknown as Db;
    return {
      db,
      kind: 'postgres',
      async withConnection(fn) {
        const client = await pool.connect();
        try {
          return await fn(drizzlePg(client, { schema }) as unknown as Db);
        } finally {
          client.release();
        }
      },
      maintain: async () => undefined,
      close: () => pool.end(),
    };
  }

  let release: (() => Promise<void>) | undefined;
  let client: PGlite;
  if (target.kind === 'pglite') {
    secureDataDir(target.dataDir);
    release = await lockDataDir(target.dataDir);
    let opened: PGlite | undefined;
    try {
      opened = await PGlite.create(path.join(target.dataDir, DATABASE_FOLDER), {
        postgresqlconf: PGLITE_SETTINGS,
      });
      restrictModes(path.join(target.dataDir, DATABASE_FOLDER));
    } catch (error) {
      await opened?.close();
      await release();
      throw error;
    }
    client = opened;
  } else {
    client = await PGlite.create({ postgresqlconf: PGLITE_SETTINGS, loadDataDir: target.loadDataDir });
  }
  const db = drizzlePglite(client, { schema }) as unknown as Db;
  return {
    db,
    kind: 'pglite',
    withConnection: (fn) => fn(db),
    async maintain({ vacuum }) {
      // One statement each: VACUUM refuses to run inside the block several statements make.
      if (vacuum) await client.exec('VACUUM');
      await client.exec('CHECKPOINT');
    },
    dumpDataDir: () => client.dumpDataDir('none'),
    async close() {
      try {
        await client.close();
        // What PGlite wrote while it ran, with its own modes (see storage.data-dir.ts).
        if (target.kind === 'pglite') restrictModes(path.join(target.dataDir, DATABASE_FOLDER));
      } finally {
        await release?.();
      }
    },
  };
}
