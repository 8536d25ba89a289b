import { eq, lt } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';

const { ltiLoginStates } = tables;

export type LoginState = typeof ltiLoginStates.$inferSelect;

export async function insertLoginState(
  db: Queryable,
  state: typeof ltiLoginStates.$inferInsert,
): Promise<void> {
  await db.insert(ltiLoginStates).values(state);
}

/** Takes a login state out (single use): a second call with the same state finds nothing. */
export async function consumeLoginState(db: Queryable, state: string): Promise<LoginState | undefined> {
  const [row] = await db.delete(ltiLoginStates).where(eq(ltiLoginStates.state, state)).returning();
  return row;
}

export async function deleteExpiredLoginStates(db: Queryable, now: Date): Promise<number> {
  const deleted = await db
    .delete(ltiLoginStates)
    .where(lt(ltiLoginStates.expiresAt, now))
    .returning({ state: ltiLoginStates.state });
  return deleted.length;
}
