import { and, asc, eq, isNull, lt, or, sql } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';

const { provisioningSettings, zoomUsers } = tables;

export type SettingsRow = typeof provisioningSettings.$inferSelect;
export type Settings = Omit<SettingsRow, 'updatedAt'>;
export type PersonRow = typeof zoomUsers.$inferSelect;
export interface PersonKey {
  schoolId: string;
  lmsIssuer: string;
  lmsUserId: string;
}

const byKey = (key: PersonKey) =>
  and(
    eq(zoomUsers.schoolId, key.schoolId),
    eq(zoomUsers.lmsIssuer, key.lmsIssuer),
    eq(zoomUsers.lmsUserId, key.lmsUserId),
  );

export async function settingsOf(db: Queryable, schoolId: string): Promise<Settings> {
  const [row] = await db
    .select()
    .from(provisioningSettings)
    .where(eq(provisioningSettings.schoolId, schoolId));
  return (
    row ?? {
      schoolId,
      action: 'create',
      licence: 'licensed',
      whenNoSeat: 'basic',
      provisionAdministrators: false,
    }
  );
}

/** The settings a school saves; administrators are left out of provisioning unless it says so. */
export type SettingsInput = Omit<Settings, 'provisionAdministrators'> & { provisionAdministrators?: boolean };

export async function saveSettings(db: Queryable, input: SettingsInput): Promise<void> {
  const values = { ...input, provisionAdministrators: input.provisionAdministrators ?? false };
  await db
    .insert(provisioningSettings)
    .values(values)
    .onConflictDoUpdate({ target: provisioningSettings.schoolId, set: { ...values, updatedAt: sql`now()` } });
}

export async function person(db: Queryable, key: PersonKey): Promise<PersonRow | undefined> {
  const [row] = await db.select().from(zoomUsers).where(byKey(key));
  return row;
}

export async function peopleOf(db: Queryable, schoolId: string): Promise<PersonRow[]> {
  return db
    .select()
    .from(zoomUsers)
    .where(eq(zoomUsers.schoolId, schoolId))
    .orderBy(asc(zoomUsers.name), asc(zoomUsers.email));
}

/** `leaseMs` from now in the database's clock: leases never compare the clocks of two instances. */
const leaseEnd = (leaseMs: number) =>
  sql`(clock_timestamp() + (${leaseMs}::float8 * interval '1 millisecond'))`;

/**
 * Takes the person's provisioning lease for `leaseMs` (creating their row if new) unless another
 * process holds a live one (by the database's clock). Returns the row when taken.
 */
export async function takeLease(
  db: Queryable,
  key: PersonKey,
  details: { name: string; email: string },
  owner: string,
  leaseMs: number,
): Promise<PersonRow | undefined> {
  const [row] = await db
    .insert(zoomUsers)
    .values({ ...key, ...details, status: 'provisioning', leaseOwner: owner, leaseUntil: leaseEnd(leaseMs) })
    .onConflictDoUpdate({
      target: [zoomUsers.schoolId, zoomUsers.lmsIssuer, zoomUsers.lmsUserId],
      set: { leaseOwner: owner, leaseUntil: leaseEnd(leaseMs), name: details.name, updatedAt: sql`now()` },
      setWhere: or(isNull(zoomUsers.leaseUntil), lt(zoomUsers.leaseUntil, sql`clock_timestamp()`)),
    })
    .returning();
  return row?.leaseOwner === owner ? row : undefined;
}

/** Extends the lease this worker holds on a person's row by `leaseMs` from now; false when it no longer holds it. */
export async function renewLease(
  db: Queryable,
  key: PersonKey,
  owner: string,
  leaseMs: number,
): Promise<boolean> {
  const rows = await db
    .update(zoomUsers)
    .set({ leaseUntil: leaseEnd(leaseMs) })
    .where(and(byKey(key), eq(zoomUsers.leaseOwner, owner)))
    .returning({ owner: zoomUsers.leaseOwner });
  return rows.length > 0;
}

/** Whether the person's row is leased and the lease still live (by the database's clock), and its last outcome. */
export async function leaseOf(
  db: Queryable,
  key: PersonKey,
): Promise<{ leased: boolean; live: boolean; lastOutcome: string | null } | undefined> {
  const [row] = await db
    .select({
      leased: sql<boolean>`(${zoomUsers.leaseOwner} is not null)`,
      live: sql<boolean>`coalesce(${zoomUsers.leaseUntil} >= clock_timestamp(), false)`,
      lastOutcome: zoomUsers.lastOutcome,
    })
    .from(zoomUsers)
    .where(byKey(key));
  return row;
}

export async function finish(
  db: Queryable,
  key: PersonKey,
  owner: string,
  values: Partial<typeof zoomUsers.$inferInsert>,
): Promise<void> {
  await db
    .update(zoomUsers)
    .set({ ...values, leaseOwner: null, leaseUntil: null, updatedAt: sql`now()` })
    .where(and(byKey(key), eq(zoomUsers.leaseOwner, owner)));
}

/** Records a person whose launch cannot be provisioned (e.g. no email), without any Zoom call. */
export async function recordWithoutZoom(
  db: Queryable,
  key: PersonKey,
  values: { name: string; email: string | null; status: PersonRow['status']; lastOutcome: string },
): Promise<void> {
  await db
    .insert(zoomUsers)
    .values({ ...key, ...values })
    .onConflictDoUpdate({
      target: [zoomUsers.schoolId, zoomUsers.lmsIssuer, zoomUsers.lmsUserId],
      set: { ...values, updatedAt: sql`now()` },
    });
}

export async function forgetSchool(db: Queryable, schoolId: string): Promise<void> {
  await db.delete(zoomUsers).where(eq(zoomUsers.schoolId, schoolId));
}
