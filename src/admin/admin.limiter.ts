import { RateLimiterDrizzle } from 'rate-limiter-flexible';
import { tables, type Db } from '../storage';
import { deleteExpiredLoginLimits } from './admin.repo';

/**
 * Failed sign-ins, counted per IP and per operator name in the database with rate-limiter-flexible
 * (its Drizzle store: one atomic upsert per failure), so every instance of the tool shares the
 * count. Five failures within a minute, from one address or for one name, pause sign-ins for the
 * rest of that minute: the sixth try is refused even with the right password.
 *
 * The store's own clean-up timer is off: it would keep running after the database is closed, and
 * it logs through `console`. Counts whose minute is over go with the server's periodic purge.
 */
export const LOGIN_FAILURES_ALLOWED = 5;
export const LOGIN_WINDOW_SECONDS = 60;

export type LoginGate = { limited: false } | { limited: true; retryAfterSeconds: number };

export class LoginLimiter {
  private readonly byIp: RateLimiterDrizzle;
  private readonly byAccount: RateLimiterDrizzle;

  constructor(private readonly db: Db) {
    const options = {
      storeClient: db,
      schema: tables.operatorLoginLimits,
      points: LOGIN_FAILURES_ALLOWED,
      duration: LOGIN_WINDOW_SECONDS,
      clearExpiredByTimeout: false,
    };
    this.byIp = new RateLimiterDrizzle({ ...options, keyPrefix: 'operator-login-ip' });
    this.byAccount = new RateLimiterDrizzle({ ...options, keyPrefix: 'operator-login-account' });
  }

  /** Whether a sign-in from `ip` for `username` may be tried now. */
  async gate(ip: string, username: string): Promise<LoginGate> {
    const [fromIp, forAccount] = await Promise.all([
      this.byIp.get(ip),
      this.byAccount.get(username.toLowerCase()),
    ]);
    const spent = [fromIp, forAccount].filter(
      (res) => res !== null && res.consumedPoints >= LOGIN_FAILURES_ALLOWED,
    );
    if (spent.length === 0) return { limited: false };
    const waitMs = Math.max(...spent.map((res) => res?.msBeforeNext ?? 0));
    return { limited: true, retryAfterSeconds: Math.max(1, Math.ceil(waitMs / 1000)) };
  }

  async failed(ip: string, username: string): Promise<void> {
    await Promise.all([this.byIp.penalty(ip, 1), this.byAccount.penalty(username.toLowerCase(), 1)]);
  }

  async purgeExpired(now: Date): Promise<number> {
    return deleteExpiredLoginLimits(this.db, now);
  }

  /** A right password clears the operator name's count (not the address's). */
  async succeeded(username: string): Promise<void> {
    await this.byAccount.delete(username.toLowerCase());
  }
}
