import { and, eq, gt, lt, sql } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';

const { zoomConnectLinks, schools } = tables;

export type ConnectLinkRow = typeof zoomConnectLinks.$inferSelect;

/** Makes the school's link, replacing any previous one (whose links stop working at once). */
export async function replaceLink(
  db: Queryable,
  values: { schoolId: string; linkId: string; expiresAt: Date; createdBy: string },
): Promise<void> {
  await db
    .insert(zoomConnectLinks)
    .values(values)
    .onConflictDoUpdate({
      target: zoomConnectLinks.schoolId,
      set: {
        linkId: values.linkId,
        expiresAt: values.expiresAt,
        createdBy: values.createdBy,
        createdAt: sql`now()`,
      },
    });
}

/** The school's link if it is still the one named and has not expired, with the school's name. */
export async function liveLink(
  db: Queryable,
  schoolId: string,
  linkId: string,
  now: Date,
): Promise<(ConnectLinkRow & { schoolName: string }) | undefined> {
  const [row] = await db
    .select({
      schoolId: zoomConnectLinks.schoolId,
      linkId: zoomConnectLinks.linkId,
      expiresAt: zoomConnectLinks.expiresAt,
      createdBy: zoomConnectLinks.createdBy,
      createdAt: zoomConnectLinks.createdAt,
      schoolName: schools.name,
    })
    .from(zoomConnectLinks)
    .innerJoin(schools, eq(schools.id, zoomConnectLinks.schoolId))
    .where(
      and(
        eq(zoomConnectLinks.schoolId, schoolId),
        eq(zoomConnectLinks.linkId, linkId),
        gt(zoomConnectLinks.expiresAt, now),
      ),
    );
  return row;
}

/** The school's current link, if it has one that has not expired. */
export async function currentLink(
  db: Queryable,
  schoolId: string,
  now: Date,
): Promise<ConnectLinkRow | undefined> {
  const [row] = await db
    .select()
    .from(zoomConnectLinks)
    .where(and(eq(zoomConnectLinks.schoolId, schoolId), gt(zoomConnectLinks.expiresAt, now)));
  return row;
}

/**
 * Zoom is being connected: the school's link goes, whoever connects. When the connection came
 * through a link (`linkId`), that link must be the live one: true only if it was (one row deleted).
 */
export async function spendLinks(
  db: Queryable,
  schoolId: string,
  linkId: string | undefined,
  now: Date,
): Promise<boolean> {
  if (linkId === undefined) {
    await db.delete(zoomConnectLinks).where(eq(zoomConnectLinks.schoolId, schoolId));
    return true;
  }
  const deleted = await db
    .delete(zoomConnectLinks)
    .where(
      and(
        eq(zoomConnectLinks.schoolId, schoolId),
        eq(zoomConnectLinks.linkId, linkId),
        gt(zoomConnectLinks.expiresAt, now),
      ),
    )
    .returning({ schoolId: zoomConnectLinks.schoolId });
  return deleted.length === 1;
}

export async function withdrawLink(db: Queryable, schoolId: string): Promise<void> {
  await db.delete(zoomConnectLinks).where(eq(zoomConnectLinks.schoolId, schoolId));
}

export async function deleteExpiredLinks(db: Queryable, now: Date): Promise<void> {
  await db.delete(zoomConnectLinks).where(lt(zoomConnectLinks.expiresAt, now));
}
