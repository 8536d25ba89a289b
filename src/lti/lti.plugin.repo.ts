import { and, asc, eq, inArray, isNull, lte, or, gt, sql, type SQL } from 'drizzle-orm';
import { preparedStatements, tables, type Db, type Queryable } from '../storage';

/**
 * SQL behind the ltijs database plugin: one table, `ltijs_documents`, one row per ltijs document.
 * Queries are Mongo-style equality objects; see `matches` for how they become SQL.
 */
const docs = tables.ltijsDocuments;

export type LtijsPluginErrorCode =
  | 'PROVIDER_NOT_DEPLOYED'
  | 'MISSING_COLLECTION'
  | 'MISSING_PARAMS'
  | 'ENCRYPTION_REQUIRED'
  | 'NOT_ENCRYPTED'
  | 'DECRYPTION_FAILED'
  | 'DUPLICATE_DOCUMENT'
  | 'DATABASE_ERROR';

/** The message is the bare code, as ltijs' own errors are (`Error('MISSING_PARAMS')`). */
export class LtijsPluginError extends Error {
  constructor(
    readonly code: LtijsPluginErrorCode,
    options?: { cause?: unknown },
  ) {
    super(code, options);
    this.name = 'LtijsPluginError';
  }
}

/** The driver's own error (it carries the SQLSTATE) rather than drizzle's wrapper, which holds the parameters. */
function driverError(error: unknown): unknown {
  let current: unknown = error;
  for (let depth = 0; depth < 5 && current instanceof Error; depth += 1) {
    if (typeof (current as { code?: unknown }).code === 'string') return current;
    current = current.cause;
  }
  return error instanceof Error && error.cause !== undefined ? error.cause : error;
}

/** Database failures surface as typed errors without drizzle's copy of the query parameters. */
export async function withDatabaseErrors<T>(work: () => Promise<T>): Promise<T> {
  try {
    return await work();
  } catch (error) {
    if (error instanceof LtijsPluginError) throw error;
    const cause = driverError(error);
    const code = cause instanceof Error ? (cause as { code?: unknown }).code : undefined;
    throw new LtijsPluginError(code === '23505' ? 'DUPLICATE_DOCUMENT' : 'DATABASE_ERROR', { cause });
  }
}

export type Query = Record<string, unknown>;

export interface StoredDocument {
  id: number;
  doc: Record<string, unknown>;
  sealed: string | null;
  createdAt: Date;
}

export interface NewDocument {
  collection: string;
  doc: Record<string, unknown>;
  sealed: string | null;
  /** Set for keyed collections (see `lti.plugin.ts` KEY_FIELDS). */
  docKey?: string | null;
  createdAt: Date;
  expiresAt: Date | null;
}

/** Rows removed per write by the opportunistic sweep of expired rows. */
export const SWEEP_LIMIT = 200;

/**
 * Mongo equality semantics: a defined value must be equal as JSON (`doc @> {field: value}`); an
 * `undefined` or `null` value matches documents where the field is missing or null, as
 * `find({field: undefined})` does in MongoDB (it is sent as null). Without this, `{state:
 * undefined}` would become `{}` and match (or delete) every document of the collection.
 */
export function matches(collection: string, query: Query): SQL {
  const present: Query = {};
  const conditions: SQL[] = [eq(docs.collection, collection)];
  for (const [field, value] of Object.entries(query)) {
    if (value === undefined || value === null) {
      conditions.push(sql`coalesce(${docs.doc} -> ${field}::text, 'null'::jsonb) = 'null'::jsonb`);
    } else {
      present[field] = value;
    }
  }
  if (Object.keys(present).length > 0) conditions.push(sql`${docs.doc} @> ${JSON.stringify(present)}::jsonb`);
  return and(...conditions) as SQL;
}

function live(now: Date): SQL {
  return or(isNull(docs.expiresAt), gt(docs.expiresAt, now)) as SQL;
}

/** JSON with object keys sorted at every level, so equal queries give equal text. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map((item) => canonicalJson(item)).join(',')}]`;
  if (value !== null && typeof value === 'object' && !(value instanceof Date)) {
    const record = value as Record<string, unknown>;
    const fields = Object.keys(record)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson(record[key])}`);
    return `{${fields.join(',')}}`;
  }
  return JSON.stringify(value ?? null);
}

/** Serialises writers of the same (collection, query) until the transaction ends. */
export async function lockQuery(tx: Queryable, collection: string, query: Query): Promise<void> {
  const key = `${collection}:${canonicalJson(query)}`;
  await tx.execute(sql`select pg_advisory_xact_lock(hashtextextended(${key}, 0))`);
}

export async function findLive(
  db: Queryable,
  collection: string,
  query: Query,
  now: Date,
): Promise<StoredDocument[]> {
  return db
    .select({ id: docs.id, doc: docs.doc, sealed: docs.sealed, createdAt: docs.createdAt })
    .from(docs)
    .where(and(matches(collection, query), live(now)))
    .orderBy(asc(docs.id));
}

/** The first live match (insertion order, like Mongo's `updateOne`), locked for the transaction. */
export async function lockFirstLive(
  tx: Queryable,
  collection: string,
  query: Query,
  now: Date,
): Promise<StoredDocument | undefined> {
  const [row] = await tx
    .select({ id: docs.id, doc: docs.doc, sealed: docs.sealed, createdAt: docs.createdAt })
    .from(docs)
    .where(and(matches(collection, query), live(now)))
    .orderBy(asc(docs.id))
    .limit(1)
    .for('update');
  return row;
}

export async function insertDocument(db: Queryable, row: NewDocument): Promise<void> {
  await db.insert(docs).values(row);
}

/** The statements every launch runs (its session written, then read by every page). */
const statementsOf = preparedStatements((db) => {
  const columns = { id: docs.id, doc: docs.doc, sealed: docs.sealed, createdAt: docs.createdAt };
  return {
    findByKey: db
      .select(columns)
      .from(docs)
      .where(
        and(
          eq(docs.collection, sql.placeholder('collection')),
          eq(docs.docKey, sql.placeholder('key')),
          or(isNull(docs.expiresAt), gt(docs.expiresAt, sql.placeholder('now'))),
        ),
      )
      .prepare('ltijs_find_by_key'),
    upsertByKey: db
      .insert(docs)
      .values({
        collection: sql.placeholder('collection'),
        doc: sql.placeholder('doc'),
        sealed: sql.placeholder('sealed'),
        docKey: sql.placeholder('key'),
        createdAt: sql.placeholder('createdAt'),
        expiresAt: sql.placeholder('expiresAt'),
      })
      .onConflictDoUpdate({
        target: [docs.collection, docs.docKey],
        targetWhere: sql`${docs.docKey} is not null`,
        set: {
          doc: sql`excluded.doc`,
          sealed: sql`excluded.sealed`,
          createdAt: sql`excluded.created_at`,
          expiresAt: sql`excluded.expires_at`,
        },
      })
      .prepare('ltijs_upsert_by_key'),
  };
});

/** The live document of a keyed collection with this key (one index lookup). */
export async function findByKey(
  db: Db,
  collection: string,
  key: string,
  now: Date,
): Promise<StoredDocument[]> {
  return statementsOf(db).findByKey.execute({ collection, key, now });
}

/** Stores the keyed document, replacing the one with the same key (one statement). */
export async function upsertByKey(db: Db, row: NewDocument & { docKey: string }): Promise<void> {
  await statementsOf(db).upsertByKey.execute({
    collection: row.collection,
    doc: row.doc,
    sealed: row.sealed,
    key: row.docKey,
    createdAt: row.createdAt,
    expiresAt: row.expiresAt,
  });
}

/** Deletes every matching row, expired or not. */
export async function deleteMatching(db: Queryable, collection: string, query: Query): Promise<void> {
  await db.delete(docs).where(matches(collection, query));
}

export async function updateDocument(
  db: Queryable,
  id: number,
  change: { doc?: Query; sealed?: string; docKey?: string },
): Promise<void> {
  const set: { doc?: SQL; sealed?: string; docKey?: string } = {};
  if (change.doc) set.doc = sql`${docs.doc} || ${JSON.stringify(change.doc)}::jsonb`;
  if (change.sealed !== undefined) set.sealed = change.sealed;
  if (change.docKey !== undefined) set.docKey = change.docKey;
  if (Object.keys(set).length > 0) await db.update(docs).set(set).where(eq(docs.id, id));
}

/**
 * Removes expired rows whose unique field (`nonce`, `state`) equals `value`, so the unique index
 * lets the value in again once its earlier row has expired.
 */
export async function deleteExpiredHolder(
  db: Queryable,
  collection: string,
  field: string,
  value: string,
  now: Date,
): Promise<void> {
  await db
    .delete(docs)
    .where(
      and(
        eq(docs.collection, collection),
        sql`${docs.doc} ->> ${field}::text = ${value}`,
        lte(docs.expiresAt, now),
      ),
    );
}

/** Deletes at most `limit` expired rows of one collection, skipping rows another writer holds. */
export async function sweepExpired(
  db: Queryable,
  collection: string,
  now: Date,
  limit = SWEEP_LIMIT,
): Promise<void> {
  const expired = db
    .select({ id: docs.id })
    .from(docs)
    .where(and(eq(docs.collection, collection), lte(docs.expiresAt, now)))
    .limit(limit)
    .for('update', { skipLocked: true });
  await db.delete(docs).where(inArray(docs.id, expired));
}

/** Deletes every expired row of every collection; returns how many went. */
export async function purgeExpired(db: Queryable, now: Date): Promise<number> {
  const removed = await db.delete(docs).where(lte(docs.expiresAt, now)).returning({ id: docs.id });
  return removed.length;
}

export async function assertTableReady(db: Queryable): Promise<void> {
  await db.select({ id: docs.id }).from(docs).limit(1);
}
