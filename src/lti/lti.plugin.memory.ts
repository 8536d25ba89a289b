import { LRUCache } from 'lru-cache';
import { ExpiringCache } from '../shared/cache';
import { canonicalJson } from './lti.plugin.repo';

/**
 * The in-memory parts of the ltijs plugin (`lti.plugin.ts`): collections kept in process memory
 * and a short read cache for collections that change only when an operator changes them.
 */

type Document = Record<string, unknown>;

/** Mongo equality, as `lti.plugin.repo.ts#matches` does it in SQL: undefined/null match missing or null. */
function matchesQuery(doc: Document, query: Document): boolean {
  return Object.entries(query).every(([field, value]) =>
    value === undefined || value === null
      ? doc[field] === undefined || doc[field] === null
      : canonicalJson(doc[field]) === canonicalJson(value),
  );
}

interface Held {
  doc: Document;
  createdAt: number;
}

/**
 * A collection held in this process only, each document living `ttlMs`: for what ltijs writes on
 * every launch and reads back only in the same request (its nonce replay check, whose guarantee
 * across instances is our single-use login state; its own login state, which our login replaces).
 * Documents are keyed by their unique field (`nonce`, `state`), so the lookup ltijs makes is one
 * map read, and a second live document with the same value is refused, as the table's index does.
 */
export class MemoryCollection {
  private readonly docs: LRUCache<string, Held>;
  private unkeyed = 0;

  constructor(private readonly options: { ttlMs: number; uniqueField: string; max?: number }) {
    this.docs = new LRUCache<string, Held>({ max: options.max ?? 50_000, ttl: options.ttlMs });
  }

  find(query: Document): Held[] {
    const value = query[this.options.uniqueField];
    if (typeof value === 'string') {
      const held = this.docs.peek(`=${value}`);
      return held && matchesQuery(held.doc, query) ? [held] : [];
    }
    const found: Held[] = [];
    // rforEach: oldest first, as the table answers in insertion order.
    this.docs.rforEach((held) => {
      if (matchesQuery(held.doc, query)) found.push(held);
    });
    return found;
  }

  /** False when the unique field's value is already held. */
  insert(doc: Document, now: number): boolean {
    const value = doc[this.options.uniqueField];
    const key = typeof value === 'string' ? `=${value}` : `#${(this.unkeyed += 1)}`;
    if (this.docs.peek(key)) return false;
    this.docs.set(key, { doc: { ...doc }, createdAt: now });
    return true;
  }

  delete(query: Document): void {
    const value = query[this.options.uniqueField];
    if (typeof value === 'string') {
      const held = this.docs.peek(`=${value}`);
      if (held && matchesQuery(held.doc, query)) this.docs.delete(`=${value}`);
      return;
    }
    for (const [key, held] of [...this.docs.entries()]) {
      if (matchesQuery(held.doc, query)) this.docs.delete(key);
    }
  }

  /** Merges `change` into the first match (Mongo `updateOne`); the unique field stays as it was. */
  modify(query: Document, change: Document): void {
    const [first] = this.find(query);
    if (first)
      Object.assign(first.doc, change, { [this.options.uniqueField]: first.doc[this.options.uniqueField] });
  }
}

/**
 * Answers kept briefly for collections an operator changes (the platform records and their
 * status): a write to the collection through this process drops them at once; a write by another
 * process (the CLI, another instance) is seen after at most `ttlMs`. Unlike most caches, an empty
 * answer is kept too: a platform with no status record (the usual case) is active.
 */
export class ReadCache {
  private readonly answers: ExpiringCache<{ value: Document[] | false }>;

  constructor(ttlMs: number) {
    this.answers = new ExpiringCache({ ttlMs, max: 10_000 });
  }

  async read(
    collection: string,
    query: Document,
    load: () => Promise<Document[] | false>,
  ): Promise<Document[] | false> {
    const answer = await this.answers.read(`${collection}\n${canonicalJson(query)}`, async () => ({
      value: await load(),
    }));
    return copy(answer?.value ?? false);
  }

  forget(): void {
    this.answers.forget();
  }
}

/** Callers get their own documents: nothing they change reaches the cache. */
function copy(value: Document[] | false): Document[] | false {
  return value === false ? false : value.map((doc) => structuredClone(doc));
}

/**
 * ltijs' launch sessions this process wrote, kept briefly so the course page that follows every
 * launch (and the next pages) reads them without a query. A session is keyed by its own fields
 * (the context session's key even hashes its content), so what another instance may write under
 * the same key meanwhile is the same person's same launch again; `ttlMs` bounds even that.
 */
export class SessionCache {
  private readonly sessions: LRUCache<string, { doc: Document; expiresAt: number | null }>;

  constructor(ttlMs: number) {
    this.sessions = new LRUCache({ max: 5_000, ttl: ttlMs });
  }

  remember(collection: string, key: string, doc: Document, expiresAt: Date | null): void {
    this.sessions.set(`${collection}\n${key}`, {
      doc: structuredClone(doc),
      expiresAt: expiresAt?.getTime() ?? null,
    });
  }

  /** The session as stored, if held and not expired at `now`. */
  find(collection: string, key: string, now: number): Document | undefined {
    const held = this.sessions.get(`${collection}\n${key}`);
    if (!held || (held.expiresAt !== null && held.expiresAt <= now)) return undefined;
    return structuredClone(held.doc);
  }

  forget(): void {
    this.sessions.clear();
  }
}
