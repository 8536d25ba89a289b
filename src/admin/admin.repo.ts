import { eq, lt, or } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';

const { operatorAccounts, operatorLoginLimits, operatorSessions } = tables;

/** The operator's account and sessions. Sessions are found by the SHA-256 of their id only. */

export async function passwordHashOf(db: Queryable, username: string): Promise<string | undefined> {
  const [row] = await db
    .select({ passwordHash: operatorAccounts.passwordHash })
    .from(operatorAccounts)
    .where(eq(operatorAccounts.username, username));
  return row?.passwordHash;
}

export async function upsertPasswordHash(
  db: Queryable,
  username: string,
  passwordHash: string,
  at: Date,
): Promise<void> {
  await db
    .insert(operatorAccounts)
    .values({ username, passwordHash, updatedAt: at })
    .onConflictDoUpdate({ target: operatorAccounts.username, set: { passwordHash, updatedAt: at } });
}

export async function insertSession(
  db: Queryable,
  values: { idHash: string; username: string; createdAt: Date; expiresAt: Date },
): Promise<void> {
  await db.insert(operatorSessions).values({ ...values, lastSeenAt: values.createdAt });
}

export async function sessionByHash(db: Queryable, idHash: string) {
  const [row] = await db.select().from(operatorSessions).where(eq(operatorSessions.idHash, idHash));
  return row;
}

/** Moves a live session's idle deadline on (expecting it still there): false when it was ended meanwhile. */
export async function touchSession(db: Queryable, idHash: string, at: Date): Promise<boolean> {
  const touched = await db
    .update(operatorSessions)
    .set({ lastSeenAt: at })
    .where(eq(operatorSessions.idHash, idHash))
    .returning({ idHash: operatorSessions.idHash });
  return touched.length === 1;
}

export async function deleteSession(db: Queryable, idHash: string): Promise<void> {
  await db.delete(operatorSessions).where(eq(operatorSessions.idHash, idHash));
}

/** Ends every session of `username`: the number ended. */
export async function deleteSessionsOf(db: Queryable, username: string): Promise<number> {
  const deleted = await db
    .delete(operatorSessions)
    .where(eq(operatorSessions.username, username))
    .returning({ idHash: operatorSessions.idHash });
  return deleted.length;
}

/** Sessions past their absolute expiry or idle since `idleBefore`. */
export async function deleteExpiredSessions(db: Queryable, now: Date, idleBefore: Date): Promise<number> {
  const deleted = await db
    .delete(operatorSessions)
    .where(or(lt(operatorSessions.expiresAt, now), lt(operatorSessions.lastSeenAt, idleBefore)))
    .returning({ idHash: operatorSessions.idHash });
  return deleted.length;
}

/** Failed-sign-in counts whose window is over. */
export async function deleteExpiredLoginLimits(db: Queryable, now: Date): Promise<number> {
  const deleted = await db
    .delete(operatorLoginLimits)
    .where(lt(operatorLoginLimits.expire, now))
    .returning({ key: operatorLoginLimits.key });
  return deleted.length;
}
