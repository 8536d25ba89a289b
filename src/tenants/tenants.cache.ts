import { LRUCache } from 'lru-cache';

/**
 * What every launch and every page after it reads about a registration (the registration itself,
 * its deployments, its school) changes only when an operator changes it, so it is kept in memory.
 *
 * This process drops an entry the moment it changes it (`forget`). Another process (the CLI, or
 * another instance on the same PostgreSQL) cannot reach this memory, so an entry also lives at
 * most `ttlMs` (default 10 s): a registration removed elsewhere stops launching here within that
 * time. A miss is never remembered, so a registration added elsewhere works at once.
 */
export const LAUNCH_CACHE_TTL_MS = 10_000;

export class TenantsCache {
  private readonly entries: LRUCache<string, object>;
  /** Bumped by `forget`: a read that began before a change never stores what it read. */
  private generation = 0;

  constructor(options: { ttlMs?: number; max?: number } = {}) {
    this.entries = new LRUCache<string, object>({
      max: options.max ?? 5_000,
      ttl: options.ttlMs ?? LAUNCH_CACHE_TTL_MS,
    });
  }

  /** The cached value, or `load()`'s (kept only when defined, and only if nothing changed meanwhile). */
  async read<T extends object>(key: string, load: () => Promise<T | undefined>): Promise<T | undefined> {
    const hit = this.entries.get(key) as T | undefined;
    if (hit) return hit;
    const generation = this.generation;
    const value = await load();
    if (value !== undefined && generation === this.generation) this.entries.set(key, value);
    return value;
  }

  /** Something about registrations changed here: nothing cached stays. */
  forget(): void {
    this.generation += 1;
    this.entries.clear();
  }
}
