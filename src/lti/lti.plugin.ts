import { z } from 'zod';
import { SecretBox } from '../shared/crypto';
import type { Db, Tx } from '../storage';
import {
  CACHEABLE,
  docKeyOf,
  KEY_FIELDS,
  LIFETIME_SECONDS,
  LTIJS_COLLECTIONS,
  SEALED_INDEX_FIELDS,
  UNIQUE_FIELD,
  type EphemeralCollection,
  type LtijsCollection,
} from './lti.plugin.collections';
import { MemoryCollection, ReadCache, SessionCache } from './lti.plugin.memory';
import * as repo from './lti.plugin.repo';
import { LtijsPluginError, type LtijsPluginErrorCode } from './lti.plugin.repo';

export { LtijsPluginError, type LtijsPluginErrorCode } from './lti.plugin.repo';
export { LTIJS_COLLECTIONS, type EphemeralCollection, type LtijsCollection } from './lti.plugin.collections';

/**
 * ltijs database plugin over our SQL database (table `ltijs_documents`), replacing ltijs' MongoDB
 * layer (`ltijs/dist/Utils/Database.js`) with the same observable behaviour: Mongo-style equality
 * queries, results as plain documents or `false`, `Replace` as an upsert. Differences on purpose:
 * key material and access tokens are sealed with our SecretBox (ltijs' own key argument is not
 * used as a cipher key), `Replace` is one transaction under an advisory lock, expired rows are
 * never returned and really removed, and a write that would put key material in clear is refused.
 * This file must not import ltijs and does no logging.
 */

const ENCRYPT_AAD = 'ltijs:Encrypt';

export interface LtijsPluginOptions {
  /** Shared database (pool or PGlite). */
  db: Db;
  /** Seals key material and access tokens at rest. */
  secretBox: SecretBox;
  /** Must be >= the id token max age (config guarantees it). */
  nonceTtlSeconds: number;
  /**
   * Collections kept in this process's memory instead of the table: ltijs' nonce replay check and
   * its own login state, which it writes on every launch and reads back only within that request.
   * Safe only when something shared guards the same thing (our single-use login states do).
   */
  memoryCollections?: EphemeralCollection[];
  /** Keep reads of the platform records this long (0 = never; default). */
  readCacheMs?: number;
  /** Keep the launch sessions this process wrote this long, for the pages that follow (0 = never; default). */
  sessionCacheMs?: number;
  /** Milliseconds clock, for tests. */
  now?: () => number;
}

const optionsSchema = z.object({
  db: z.custom<Db>((value) => typeof value === 'object' && value !== null && 'transaction' in value),
  secretBox: z.instanceof(SecretBox),
  nonceTtlSeconds: z.number().int().positive(),
  memoryCollections: z.array(z.enum(['nonce', 'state'])).optional(),
  readCacheMs: z.number().int().nonnegative().optional(),
  sessionCacheMs: z.number().int().nonnegative().optional(),
  now: z.custom<() => number>((value) => typeof value === 'function').optional(),
});

const documentSchema = z.record(z.string(), z.unknown());

type Document = Record<string, unknown>;
type EncryptionKey = string | false | null | undefined;

function asDocument(value: unknown): Document {
  const parsed = documentSchema.safeParse(value);
  if (!parsed.success) throw new LtijsPluginError('MISSING_PARAMS');
  return parsed.data;
}

function sealedAad(collection: LtijsCollection): string {
  return `ltijs:${collection}`;
}

export class LtijsDatabasePlugin {
  private readonly db: Db;
  private readonly box: SecretBox;
  private readonly nonceTtlSeconds: number;
  private readonly now: () => number;
  private readonly memory = new Map<LtijsCollection, MemoryCollection>();
  private readonly readCache: ReadCache | undefined;
  private readonly sessionCache: SessionCache | undefined;
  private deployed = false;

  constructor(options: LtijsPluginOptions) {
    const parsed = optionsSchema.parse(options);
    this.db = parsed.db;
    this.box = parsed.secretBox;
    this.nonceTtlSeconds = parsed.nonceTtlSeconds;
    this.now = parsed.now ?? Date.now;
    for (const name of parsed.memoryCollections ?? []) {
      const ttlMs = (this.lifetimeSeconds(name) ?? 600) * 1000;
      this.memory.set(name, new MemoryCollection({ ttlMs, uniqueField: UNIQUE_FIELD[name] ?? name }));
    }
    this.readCache = parsed.readCacheMs ? new ReadCache(parsed.readCacheMs) : undefined;
    this.sessionCache = parsed.sessionCacheMs ? new SessionCache(parsed.sessionCacheMs) : undefined;
  }

  async setup(): Promise<true> {
    await repo.withDatabaseErrors(() => repo.assertTableReady(this.db));
    this.deployed = true;
    return true;
  }

  /** The database is shared with the rest of the tool: closing the plugin leaves it open. */
  async Close(): Promise<true> {
    this.deployed = false;
    return true;
  }

  async Get(encryptionKey: EncryptionKey, collection: string, query?: Document): Promise<Document[] | false> {
    this.assertDeployed();
    const name = this.collectionOf(collection, 'MISSING_COLLECTION');
    const filter = query === undefined || query === null ? {} : asDocument(query);
    const held = this.memory.get(name);
    if (held) {
      const found = held.find(filter);
      return found.length === 0 ? false : found.map(({ doc, createdAt }) => ({ ...doc, createdAt }));
    }
    const key = docKeyOf(name, filter, true);
    const session = key === undefined ? undefined : this.sessionCache?.find(name, key, this.now());
    if (session) return [session];
    const load = async () => {
      const rows = await repo.withDatabaseErrors(() =>
        key === undefined
          ? repo.findLive(this.db, name, filter, this.clock())
          : repo.findByKey(this.db, name, key, this.clock()),
      );
      if (rows.length === 0) return false;
      return rows.map((row) => (encryptionKey ? this.unseal(name, row) : row.doc));
    };
    return this.readCache && CACHEABLE.includes(name) && !encryptionKey
      ? this.readCache.read(name, filter, load)
      : load();
  }

  async Insert(
    encryptionKey: EncryptionKey,
    collection: string,
    item: Document,
    index?: Document,
  ): Promise<true> {
    this.assertDeployed();
    if (!collection || !item || (encryptionKey && !index)) throw new LtijsPluginError('MISSING_PARAMS');
    const name = this.collectionOf(collection, 'MISSING_PARAMS');
    const row = this.newRow(name, encryptionKey, item, index);
    const held = this.memory.get(name);
    if (held) {
      if (!held.insert(row.doc, row.createdAt.getTime())) throw new LtijsPluginError('DUPLICATE_DOCUMENT');
      return true;
    }
    this.changed(name);
    await repo.withDatabaseErrors(() =>
      this.db.transaction(async (tx) => {
        await this.makeRoom(tx, row);
        await repo.insertDocument(tx, row);
      }),
    );
    return true;
  }

  /** Upsert: removes every document matching `query` and stores `item`, atomically. */
  async Replace(
    encryptionKey: EncryptionKey,
    collection: string,
    query: Document,
    item: Document,
    index?: Document,
  ): Promise<true> {
    this.assertDeployed();
    if (!collection || !query || !item || (encryptionKey && !index))
      throw new LtijsPluginError('MISSING_PARAMS');
    const name = this.collectionOf(collection, 'MISSING_PARAMS');
    const filter = asDocument(query);
    const row = this.newRow(name, encryptionKey, item, index);
    const held = this.memory.get(name);
    if (held) {
      held.delete(filter);
      if (!held.insert(row.doc, row.createdAt.getTime())) throw new LtijsPluginError('DUPLICATE_DOCUMENT');
      return true;
    }
    const key = docKeyOf(name, filter, true);
    if (key !== undefined && row.docKey === key) {
      // The query is the stored document's own key: replacing what matches it is one upsert.
      await repo.withDatabaseErrors(() => repo.upsertByKey(this.db, { ...row, docKey: key }));
      this.sessionCache?.remember(name, key, row.doc, row.expiresAt);
      return true;
    }
    this.changed(name);
    await repo.withDatabaseErrors(() =>
      this.db.transaction(async (tx) => {
        await repo.lockQuery(tx, name, filter);
        await this.makeRoom(tx, row);
        await repo.deleteMatching(tx, name, filter);
        await repo.insertDocument(tx, row);
      }),
    );
    return true;
  }

  /**
   * Updates the first live match (Mongo `updateOne`). With a key, the first modification field is
   * set inside the sealed item; without one, the fields are merged into the clear document (for
   * sealed collections only their index fields may change this way).
   */
  async Modify(
    encryptionKey: EncryptionKey,
    collection: string,
    query: Document,
    modification: Document,
  ): Promise<true> {
    this.assertDeployed();
    if (!collection || !query || !modification) throw new LtijsPluginError('MISSING_PARAMS');
    const name = this.collectionOf(collection, 'MISSING_PARAMS');
    const filter = asDocument(query);
    const change = asDocument(modification);
    if (!encryptionKey) this.assertClearFields(name, change);
    const held = this.memory.get(name);
    if (held) {
      held.modify(filter, change);
      return true;
    }
    this.changed(name);
    await repo.withDatabaseErrors(() =>
      this.db.transaction(async (tx) => {
        const row = await repo.lockFirstLive(tx, name, filter, this.clock());
        if (!row) return;
        if (!encryptionKey) {
          const docKey = docKeyOf(name, { ...row.doc, ...change }, false);
          await repo.updateDocument(tx, row.id, { doc: change, docKey });
          return;
        }
        const field = Object.keys(change)[0];
        if (field === undefined) return;
        const item = this.openSealed(name, row);
        item[field] = change[field];
        await repo.updateDocument(tx, row.id, {
          sealed: this.box.seal(JSON.stringify(item), sealedAad(name)),
        });
      }),
    );
    return true;
  }

  async Delete(collection: string, query: Document): Promise<true> {
    this.assertDeployed();
    if (!collection || !query) throw new LtijsPluginError('MISSING_PARAMS');
    const name = this.collectionOf(collection, 'MISSING_PARAMS');
    const filter = asDocument(query);
    const held = this.memory.get(name);
    if (held) {
      held.delete(filter);
      return true;
    }
    this.changed(name);
    await repo.withDatabaseErrors(() => repo.deleteMatching(this.db, name, filter));
    return true;
  }

  /** ltijs' public cipher helpers, backed by our SecretBox (the `secret` argument is not used). */
  async Encrypt(data: string, _secret: string): Promise<{ iv: string; data: string }> {
    const [version, iv, tag, body] = this.box.seal(data, ENCRYPT_AAD).split('.');
    if (version === undefined || iv === undefined || tag === undefined || body === undefined) {
      throw new LtijsPluginError('DECRYPTION_FAILED');
    }
    return { iv, data: [version, tag, body].join('.') };
  }

  async Decrypt(data: string, iv: string, _secret: string): Promise<string> {
    const [version, tag, body] = String(data).split('.');
    try {
      return this.box.open([version, iv, tag, body].join('.'), ENCRYPT_AAD);
    } catch (error) {
      throw new LtijsPluginError('DECRYPTION_FAILED', { cause: error });
    }
  }

  /** Deletes the expired rows of every collection; returns how many were removed. */
  async purgeExpired(): Promise<number> {
    return repo.withDatabaseErrors(() => repo.purgeExpired(this.db, this.clock()));
  }

  /** A write to a cached collection: its cached reads go (before the write, so none outlives it). */
  private changed(collection: LtijsCollection): void {
    if (CACHEABLE.includes(collection)) this.readCache?.forget();
    if (KEY_FIELDS[collection]) this.sessionCache?.forget();
  }

  private clock(): Date {
    return new Date(this.now());
  }

  private assertDeployed(): void {
    if (!this.deployed) throw new LtijsPluginError('PROVIDER_NOT_DEPLOYED');
  }

  private collectionOf(collection: string, missing: LtijsPluginErrorCode): LtijsCollection {
    if (!collection) throw new LtijsPluginError(missing);
    const known = LTIJS_COLLECTIONS.find((name) => name === collection);
    if (!known) throw new LtijsPluginError('MISSING_COLLECTION');
    return known;
  }

  private lifetimeSeconds(collection: LtijsCollection): number | undefined {
    return collection === 'nonce' ? this.nonceTtlSeconds : LIFETIME_SECONDS[collection];
  }

  private assertClearFields(collection: LtijsCollection, fields: Document): void {
    const allowed = SEALED_INDEX_FIELDS[collection];
    if (allowed && Object.keys(fields).some((field) => !allowed.includes(field))) {
      throw new LtijsPluginError('ENCRYPTION_REQUIRED');
    }
  }

  private newRow(
    collection: LtijsCollection,
    encryptionKey: EncryptionKey,
    item: Document,
    index: Document | undefined,
  ): repo.NewDocument {
    const now = this.now();
    const lifetime = this.lifetimeSeconds(collection);
    const timing = {
      createdAt: new Date(now),
      expiresAt: lifetime === undefined ? null : new Date(now + lifetime * 1000),
    };
    const document = asDocument(item);
    if (!encryptionKey) {
      if (SEALED_INDEX_FIELDS[collection]) throw new LtijsPluginError('ENCRYPTION_REQUIRED');
      return {
        collection,
        doc: document,
        sealed: null,
        docKey: docKeyOf(collection, document, false),
        ...timing,
      };
    }
    const clear = asDocument(index);
    this.assertClearFields(collection, clear);
    const sealed = this.box.seal(JSON.stringify(document), sealedAad(collection));
    return { collection, doc: clear, sealed, ...timing };
  }

  /** Bounded sweep of the collection's expired rows, and of an expired holder of the same unique value. */
  private async makeRoom(tx: Tx, row: repo.NewDocument): Promise<void> {
    const collection = row.collection as LtijsCollection;
    if (this.lifetimeSeconds(collection) === undefined) return;
    const now = row.createdAt;
    await repo.sweepExpired(tx, collection, now);
    const field = UNIQUE_FIELD[collection];
    const value = field === undefined ? undefined : row.doc[field];
    if (field !== undefined && typeof value === 'string') {
      await repo.deleteExpiredHolder(tx, collection, field, value, now);
    }
  }

  private openSealed(collection: LtijsCollection, row: repo.StoredDocument): Document {
    if (row.sealed === null) throw new LtijsPluginError('NOT_ENCRYPTED');
    try {
      return asDocument(JSON.parse(this.box.open(row.sealed, sealedAad(collection))));
    } catch (error) {
      throw new LtijsPluginError('DECRYPTION_FAILED', { cause: error });
    }
  }

  /** The decrypted item plus `createdAt` in milliseconds, as the Mongo original returns it. */
  private unseal(collection: LtijsCollection, row: repo.StoredDocument): Document {
    return { ...this.openSealed(collection, row), createdAt: row.createdAt.getTime() };
  }
}
