import crypto from 'node:crypto';
import { randomToken } from '../shared/crypto';
import type { Db } from '../storage';
import * as repo from './admin.repo';

/**
 * Operator sessions, kept in the database (every instance sees them). The id is 32 random bytes
 * given to the browser once, in its cookie; only its SHA-256 is stored, so the table alone cannot
 * sign anyone in. A session ends after 30 minutes without a request, 8 hours after sign-in, at
 * logout, or when the operator's password changes.
 */
export const SESSION_IDLE_MS = 30 * 60_000;
export const SESSION_MAX_MS = 8 * 3_600_000;

const SESSION_ID = /^[A-Za-z0-9_-]{43}$/;

export interface OperatorSession {
  /** The session id itself (the cookie's value): form tokens are bound to it. */
  id: string;
  username: string;
}

const hashOf = (id: string) => crypto.createHash('sha256').update(id, 'utf8').digest('hex');

export class OperatorSessions {
  constructor(
    private readonly db: Db,
    private readonly now: () => number,
  ) {}

  async start(username: string): Promise<{ id: string; maxAgeMs: number }> {
    const id = randomToken(32);
    const now = this.now();
    await repo.insertSession(this.db, {
      idHash: hashOf(id),
      username,
      createdAt: new Date(now),
      expiresAt: new Date(now + SESSION_MAX_MS),
    });
    return { id, maxAgeMs: SESSION_MAX_MS };
  }

  /** The live session behind a cookie value; an expired one is ended and undefined. */
  async check(id: string | undefined): Promise<OperatorSession | undefined> {
    if (typeof id !== 'string' || !SESSION_ID.test(id)) return undefined;
    const idHash = hashOf(id);
    const row = await repo.sessionByHash(this.db, idHash);
    if (!row) return undefined;
    const now = this.now();
    if (row.expiresAt.getTime() <= now || row.lastSeenAt.getTime() + SESSION_IDLE_MS <= now) {
      await repo.deleteSession(this.db, idHash);
      return undefined;
    }
    if (!(await repo.touchSession(this.db, idHash, new Date(now)))) return undefined;
    return { id, username: row.username };
  }

  async end(id: string): Promise<void> {
    if (SESSION_ID.test(id)) await repo.deleteSession(this.db, hashOf(id));
  }

  async endAllOf(username: string): Promise<number> {
    return repo.deleteSessionsOf(this.db, username);
  }

  async purgeExpired(): Promise<number> {
    const now = this.now();
    return repo.deleteExpiredSessions(this.db, new Date(now), new Date(now - SESSION_IDLE_MS));
  }
}
