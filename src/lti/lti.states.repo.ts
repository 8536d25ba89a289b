import { eq, lt, sql } from 'drizzle-orm';
import { preparedStatements, tables, type Db, type Queryable } from '../storage';

const { ltiLoginStates } = tables;

export type LoginState = typeof ltiLoginStates.$inferSelect;

/** Every login writes a state and every launch takes one. */
const statementsOf = preparedStatements((db) => ({
  insert: db
    .insert(ltiLoginStates)
    .values({
      state: sql.placeholder('state'),
      nonce: sql.placeholder('nonce'),
      registrationId: sql.placeholder('registrationId'),
      targetLinkUri: sql.placeholder('targetLinkUri'),
      expiresAt: sql.placeholder('expiresAt'),
      clientStore: sql.placeholder('clientStore'),
    })
    .prepare('lti_login_state_insert'),
  consume: db
    .delete(ltiLoginStates)
    .where(eq(ltiLoginStates.state, sql.placeholder('state')))
    .returning()
    .prepare('lti_login_state_consume'),
}));

export async function insertLoginState(db: Db, state: typeof ltiLoginStates.$inferInsert): Promise<void> {
  await statementsOf(db).insert.execute({ ...state, clientStore: state.clientStore ?? null });
}

/** Takes a login state out (single use): a second call with the same state finds nothing. */
export async function consumeLoginState(db: Db, state: string): Promise<LoginState | undefined> {
  const [row] = await statementsOf(db).consume.execute({ state });
  return row;
}

/** Reads a login state without taking it (a launch still to be confirmed by the browser that kept it). */
export async function findLoginState(db: Queryable, state: string): Promise<LoginState | undefined> {
  const [row] = await db.select().from(ltiLoginStates).where(eq(ltiLoginStates.state, state));
  return row;
}

export async function deleteExpiredLoginStates(db: Queryable, now: Date): Promise<number> {
  const deleted = await db
    .delete(ltiLoginStates)
    .where(lt(ltiLoginStates.expiresAt, now))
    .returning({ state: ltiLoginStates.state });
  return deleted.length;
}
