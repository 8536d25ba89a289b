import net from 'node:net';
import { RateLimiterDrizzle, RateLimiterRes } from 'rate-limiter-flexible';
import { tables, type Db } from '../storage';
import { HashingBusy } from './admin.auth';
import { deleteExpiredLoginLimits } from './admin.repo';

/**
 * Sign-in attempts, counted in the database with rate-limiter-flexible (its Drizzle store: one
 * atomic upsert per count), so every instance of the tool shares them.
 *
 * - Before a password is hashed, the attempt takes a point from its address (ADDRESS_FAILURES_ALLOWED
 *   per ADDRESS_WINDOW_SECONDS, whatever names it tries) and from its address and operator name
 *   (LOGIN_FAILURES_ALLOWED per LOGIN_WINDOW_SECONDS). Taking is atomic, so concurrent guesses cannot
 *   outrun the count: when either has none left, the attempt is refused unchecked, even with the
 *   right password, until its window is over.
 * - A right password gives its address's point back and clears its name's failures from that
 *   address; a hash that could not run (too many waiting: HashingBusy) or failed gives both back.
 * - Failures for a name from anywhere are counted too, but only slow it down: once it has
 *   NAME_PAUSE_AFTER of them in NAME_WINDOW_SECONDS, each try for it waits NAME_PAUSE_MS before its
 *   hash. Nobody else's guesses can lock its owner out.
 *
 * The store's own clean-up timer is off: it would keep running after the database is closed, and
 * it logs through `console`. Counts whose window is over go with the server's periodic purge.
 */
export const LOGIN_FAILURES_ALLOWED = 5;
export const LOGIN_WINDOW_SECONDS = 60;
export const ADDRESS_FAILURES_ALLOWED = 20;
export const ADDRESS_WINDOW_SECONDS = 15 * 60;
export const NAME_PAUSE_AFTER = 5;
export const NAME_WINDOW_SECONDS = 15 * 60;
export const NAME_PAUSE_MS = 500;
/** How long a sign-in refused for too many hashes waiting is asked to wait. */
const BUSY_RETRY_SECONDS = 1;

export type LoginAttempt =
  | { kind: 'checked'; right: boolean }
  | { kind: 'limited'; retryAfterSeconds: number }
  | { kind: 'busy'; retryAfterSeconds: number };

export interface LoginLimiterOptions {
  /** Waits before checking a name others failed on (tests pass their own). */
  pause?: (ms: number) => Promise<void>;
}

/** The address a count is kept under: an IPv4-mapped IPv6 address is its IPv4 address. */
function addressOf(ip: string): string {
  const mapped = /^::ffff:(\d+\.\d+\.\d+\.\d+)$/i.exec(ip)?.[1];
  return mapped && net.isIPv4(mapped) ? mapped : ip.toLowerCase();
}

export class LoginLimiter {
  private readonly byAddress: RateLimiterDrizzle;
  private readonly byPair: RateLimiterDrizzle;
  private readonly byName: RateLimiterDrizzle;
  private readonly pause: (ms: number) => Promise<void>;

  constructor(
    private readonly db: Db,
    options: LoginLimiterOptions = {},
  ) {
    const store = { storeClient: db, schema: tables.operatorLoginLimits, clearExpiredByTimeout: false };
    this.byAddress = new RateLimiterDrizzle({
      ...store,
      keyPrefix: 'operator-login-address',
      points: ADDRESS_FAILURES_ALLOWED,
      duration: ADDRESS_WINDOW_SECONDS,
    });
    this.byPair = new RateLimiterDrizzle({
      ...store,
      keyPrefix: 'operator-login-pair',
      points: LOGIN_FAILURES_ALLOWED,
      duration: LOGIN_WINDOW_SECONDS,
    });
    this.byName = new RateLimiterDrizzle({
      ...store,
      keyPrefix: 'operator-login-name',
      points: Number.MAX_SAFE_INTEGER,
      duration: NAME_WINDOW_SECONDS,
    });
    this.pause = options.pause ?? ((ms) => new Promise((resolve) => setTimeout(resolve, ms)));
  }

  /**
   * One sign-in from `ip` for `username`: reserved, then `check` (which hashes the password) runs,
   * then the outcome is counted. `check` runs only when the attempt is not limited.
   */
  async attempt(ip: string, username: string, check: () => Promise<boolean>): Promise<LoginAttempt> {
    const address = addressOf(ip);
    const name = username.toLowerCase();
    const pair = `${address}|${name}`;
    const limited = await this.reserve(address, pair);
    if (limited) return limited;

    let right: boolean;
    try {
      await this.slowDown(name);
      right = await check();
    } catch (error) {
      await Promise.all([this.byAddress.reward(address, 1), this.byPair.reward(pair, 1)]);
      if (error instanceof HashingBusy) return { kind: 'busy', retryAfterSeconds: BUSY_RETRY_SECONDS };
      throw error;
    }
    if (right) await Promise.all([this.byAddress.reward(address, 1), this.byPair.delete(pair)]);
    else await this.byName.penalty(name, 1);
    return { kind: 'checked', right };
  }

  /**
   * Takes a point from the pair, then (only then) from the address; when either has none left, gives
   * the other back. The pair first: taken together, a guess could hold one of the pair's last points
   * while the address refused it, and guesses for that pair arriving meanwhile were refused unchecked.
   */
  private async reserve(address: string, pair: string): Promise<LoginAttempt | undefined> {
    const [fromPair] = await Promise.allSettled([this.byPair.consume(pair, 1)]);
    const [fromAddress] =
      fromPair?.status === 'fulfilled'
        ? await Promise.allSettled([this.byAddress.consume(address, 1)])
        : [undefined];
    const taken = [fromAddress, fromPair].filter((result) => result !== undefined);
    if (fromAddress?.status === 'fulfilled' && fromPair?.status === 'fulfilled') return undefined;
    const giveBack: Promise<unknown>[] = [];
    if (fromAddress?.status === 'fulfilled') giveBack.push(this.byAddress.reward(address, 1));
    if (fromPair?.status === 'fulfilled') giveBack.push(this.byPair.reward(pair, 1));
    await Promise.all(giveBack);
    const refusals = taken.flatMap((result) => (result.status === 'rejected' ? [result.reason] : []));
    const failure = refusals.find((reason) => !(reason instanceof RateLimiterRes));
    if (failure !== undefined) throw failure;
    const waitMs = Math.max(...refusals.map((refusal: RateLimiterRes) => refusal.msBeforeNext));
    return { kind: 'limited', retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  /** Waits NAME_PAUSE_MS when the name has NAME_PAUSE_AFTER failures or more from anywhere. */
  private async slowDown(name: string): Promise<void> {
    const failures = await this.byName.get(name);
    if (failures !== null && failures.consumedPoints >= NAME_PAUSE_AFTER) await this.pause(NAME_PAUSE_MS);
  }

  async purgeExpired(now: Date): Promise<number> {
    return deleteExpiredLoginLimits(this.db, now);
  }
}
