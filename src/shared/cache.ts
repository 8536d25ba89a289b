import { LRUCache } from 'lru-cache';

/**
 * What many requests read and an operator rarely changes (registrations, platform records), kept
 * in memory for at most `ttlMs`. The process that changes it calls `forget`, so it sees its own
 * change at once; another process (the CLI, another instance) is seen within `ttlMs`. A miss is
 * never remembered, so something added elsewhere is found at once. A read that began before a
 * `forget` does not store what it read.
 */
export class ExpiringCache<T extends object> {
  private readonly entries: LRUCache<string, T>;
  private generation = 0;

  constructor(options: { ttlMs: number; max?: number }) {
    this.entries = new LRUCache<string, T>({ max: options.max ?? 5_000, ttl: options.ttlMs });
  }

  /** The cached value, or `load()`'s (kept only when defined, and only if nothing was forgotten meanwhile). */
  async read<V extends T>(key: string, load: () => Promise<V | undefined>): Promise<V | undefined> {
    // Each key is only ever stored by the loader of its own kind (the caller's key names it).
    const hit = this.entries.get(key) as V | undefined;
    if (hit) return hit;
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && generation === this.generation) this.entries.set(key, value);
    return value;
  }

  forget(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
