import { and, eq, lt, ne, or, isNull, sql } from 'drizzle-orm';
import type { PgUpdateSetSource } from 'drizzle-orm/pg-core';
import { tables, type Queryable } from '../storage';

const { zoomConnections, zoomOauthStates, zoomWebhookDeliveries } = tables;

export type ConnectionRow = typeof zoomConnections.$inferSelect;
export type NewConnection = typeof zoomConnections.$inferInsert;

export async function connectionById(db: Queryable, id: string): Promise<ConnectionRow | undefined> {
  const [row] = await db.select().from(zoomConnections).where(eq(zoomConnections.id, id));
  return row;
}

export async function connectionBySchool(
  db: Queryable,
  schoolId: string,
): Promise<ConnectionRow | undefined> {
  const [row] = await db.select().from(zoomConnections).where(eq(zoomConnections.schoolId, schoolId));
  return row;
}

/** The live (not disconnected) connection that holds a Zoom account, if any school has it (of that kind). */
export async function liveConnectionByAccount(
  db: Queryable,
  zoomAccountId: string,
  kind?: ConnectionRow['kind'],
): Promise<ConnectionRow | undefined> {
  const [row] = await db
    .select()
    .from(zoomConnections)
    .where(
      and(
        eq(zoomConnections.zoomAccountId, zoomAccountId),
        ne(zoomConnections.status, 'disconnected'),
        kind === undefined ? undefined : eq(zoomConnections.kind, kind),
      ),
    );
  return row;
}

export async function connectionByWebhookId(
  db: Queryable,
  webhookId: string,
): Promise<ConnectionRow | undefined> {
  const [row] = await db.select().from(zoomConnections).where(eq(zoomConnections.webhookId, webhookId));
  return row;
}

export async function lockConnection(db: Queryable, id: string): Promise<ConnectionRow | undefined> {
  const [row] = await db.select().from(zoomConnections).where(eq(zoomConnections.id, id)).for('update');
  return row;
}

/** Creates the school's connection, or replaces a previous (e.g. disconnected) one. */
export async function upsertConnection(db: Queryable, values: NewConnection): Promise<ConnectionRow> {
  const [row] = await db
    .insert(zoomConnections)
    .values(values)
    .onConflictDoUpdate({
      target: zoomConnections.schoolId,
      set: { ...values, updatedAt: sql`now()`, tokenVersion: sql`${zoomConnections.tokenVersion} + 1` },
    })
    .returning();
  if (!row) throw new Error('Zoom connection upsert returned nothing');
  return row;
}

/** An unconditional update, for an admin's own decision (disconnect); tokens go through `updateConnectionIf`. */
export async function updateConnection(
  db: Queryable,
  id: string,
  values: PgUpdateSetSource<typeof zoomConnections>,
): Promise<ConnectionRow | undefined> {
  const [row] = await db
    .update(zoomConnections)
    .set({ ...values, updatedAt: sql`now()` })
    .where(eq(zoomConnections.id, id))
    .returning();
  return row;
}

/** What a conditional update expects of the row it changes: the lease holder, the status, the token version. */
export interface RowExpectation {
  leaseOwner?: string;
  status?: ConnectionRow['status'];
  tokenVersion?: number;
}

/**
 * Updates the connection only if it is still as the caller saw it; undefined when it is not (the
 * caller lost its lease, or a disconnect, deauthorization or reconnect happened meanwhile).
 * Every update that carries tokens bumps `token_version`, so a stale writer can never win twice.
 */
export async function updateConnectionIf(
  db: Queryable,
  id: string,
  expected: RowExpectation,
  values: Partial<NewConnection>,
): Promise<ConnectionRow | undefined> {
  const [row] = await db
    .update(zoomConnections)
    .set({ ...values, updatedAt: sql`now()` })
    .where(
      and(
        eq(zoomConnections.id, id),
        expected.leaseOwner === undefined
          ? undefined
          : eq(zoomConnections.refreshLeaseOwner, expected.leaseOwner),
        expected.status === undefined ? undefined : eq(zoomConnections.status, expected.status),
        expected.tokenVersion === undefined
          ? undefined
          : eq(zoomConnections.tokenVersion, expected.tokenVersion),
      ),
    )
    .returning();
  return row;
}

/** Takes the refresh lease when nobody holds a live one. */
export async function takeRefreshLease(db: Queryable, id: string, owner: string, until: Date, now: Date) {
  const [row] = await db
    .update(zoomConnections)
    .set({ refreshLeaseOwner: owner, refreshLeaseUntil: until })
    .where(
      and(
        eq(zoomConnections.id, id),
        eq(zoomConnections.status, 'connected'),
        or(isNull(zoomConnections.refreshLeaseUntil), lt(zoomConnections.refreshLeaseUntil, now)),
      ),
    )
    .returning({ id: zoomConnections.id });
  return row !== undefined;
}

export async function insertOauthState(
  db: Queryable,
  values: typeof zoomOauthStates.$inferInsert,
): Promise<void> {
  await db.insert(zoomOauthStates).values(values);
}

/** Single use: the state row is deleted as it is read. */
export async function consumeOauthState(db: Queryable, stateHash: string) {
  const [row] = await db.delete(zoomOauthStates).where(eq(zoomOauthStates.stateHash, stateHash)).returning();
  return row;
}

export async function deleteExpiredOauthStates(db: Queryable, now: Date): Promise<void> {
  await db.delete(zoomOauthStates).where(lt(zoomOauthStates.expiresAt, now));
}

/** Claims a delivery: true when this call inserted its key (the caller handles it), false when it was claimed before. */
export async function claimDelivery(
  db: Queryable,
  delivery: { key: string; event: string; zoomAccountId: string | undefined },
): Promise<boolean> {
  const inserted = await db
    .insert(zoomWebhookDeliveries)
    .values({
      deliveryKey: delivery.key,
      event: delivery.event,
      zoomAccountId: delivery.zoomAccountId ?? null,
    })
    .onConflictDoNothing()
    .returning({ key: zoomWebhookDeliveries.deliveryKey });
  return inserted.length > 0;
}

export async function deleteOldDeliveries(db: Queryable, before: Date): Promise<void> {
  await db.delete(zoomWebhookDeliveries).where(lt(zoomWebhookDeliveries.receivedAt, before));
}
