import { and, asc, eq, inArray } from 'drizzle-orm';
import { errors } from '../shared/errors';
import { tables, type Queryable } from '../storage';

const { schools, registrations, deployments } = tables;

/** A sandbox school (`sandbox`) and a real one never share a name: a real registration never lands in the sandbox. */
export async function findOrCreateSchool(
  db: Queryable,
  name: string,
  timeZone?: string,
  sandbox = false,
): Promise<{ id: string; name: string }> {
  await db
    .insert(schools)
    .values({ name, sandbox, ...(timeZone ? { timeZone } : {}) })
    .onConflictDoNothing({ target: schools.name });
  const [school] = await db
    .select({ id: schools.id, name: schools.name, sandbox: schools.sandbox })
    .from(schools)
    .where(eq(schools.name, name));
  if (!school) throw new Error(`School ${name} vanished while being created`);
  if (school.sandbox !== sandbox)
    throw errors.sandboxSchoolName(`“${name}” is ${school.sandbox ? 'a sandbox' : 'a real'} school.`);
  if (timeZone) await db.update(schools).set({ timeZone }).where(eq(schools.name, name));
  return { id: school.id, name: school.name };
}

/** A new (real) school; undefined when a school, real or sandbox, already has the name. */
export async function insertSchool(
  db: Queryable,
  values: { name: string; timeZone?: string },
): Promise<{ id: string; name: string } | undefined> {
  const [school] = await db
    .insert(schools)
    .values({ name: values.name, ...(values.timeZone ? { timeZone: values.timeZone } : {}) })
    .onConflictDoNothing({ target: schools.name })
    .returning({ id: schools.id, name: schools.name });
  return school;
}

export async function findRegistrationRow(db: Queryable, issuer: string, clientId: string) {
  const [row] = await db
    .select()
    .from(registrations)
    .where(and(eq(registrations.issuer, issuer), eq(registrations.clientId, clientId)));
  return row;
}

export async function findRegistrationRowById(db: Queryable, id: string) {
  const [row] = await db.select().from(registrations).where(eq(registrations.id, id));
  return row;
}

export async function registrationRowsByIssuer(db: Queryable, issuer: string) {
  return db.select().from(registrations).where(eq(registrations.issuer, issuer));
}

export async function insertRegistration(db: Queryable, values: typeof registrations.$inferInsert) {
  const [row] = await db.insert(registrations).values(values).returning();
  if (!row) throw new Error('Registration insert returned nothing');
  return row;
}

export async function deleteRegistration(db: Queryable, id: string): Promise<void> {
  await db.delete(registrations).where(eq(registrations.id, id));
}

export async function insertDeployments(
  db: Queryable,
  registrationId: string,
  deploymentIds: string[],
  source: 'manual' | 'launch',
): Promise<number> {
  if (deploymentIds.length === 0) return 0;
  const inserted = await db
    .insert(deployments)
    .values(deploymentIds.map((deploymentId) => ({ registrationId, deploymentId, source })))
    .onConflictDoNothing()
    .returning({ deploymentId: deployments.deploymentId });
  return inserted.length;
}

export async function deploymentsOf(db: Queryable, registrationIds: string[]) {
  if (registrationIds.length === 0) return [];
  return db
    .select({
      registrationId: deployments.registrationId,
      deploymentId: deployments.deploymentId,
      active: deployments.active,
    })
    .from(deployments)
    .where(inArray(deployments.registrationId, registrationIds))
    .orderBy(asc(deployments.createdAt), asc(deployments.deploymentId));
}

export async function listRegistrationRows(db: Queryable) {
  return db
    .select({
      registration: registrations,
      school: { id: schools.id, name: schools.name, timeZone: schools.timeZone },
    })
    .from(registrations)
    .innerJoin(schools, eq(schools.id, registrations.schoolId))
    .orderBy(asc(schools.name), asc(registrations.issuer), asc(registrations.clientId));
}

export async function schoolName(db: Queryable, schoolId: string): Promise<string | undefined> {
  const [row] = await db.select({ name: schools.name }).from(schools).where(eq(schools.id, schoolId));
  return row?.name;
}

export async function allFrameSources(db: Queryable) {
  return db
    .select({
      schoolId: registrations.schoolId,
      issuer: registrations.issuer,
      clientId: registrations.clientId,
      loginUrl: registrations.loginUrl,
      frameOrigins: registrations.frameOrigins,
    })
    .from(registrations);
}

/** The registrations of `issuer` (every school's), with the endpoints that say which LMS they are. */
export async function schoolsOfIssuer(db: Queryable, issuer: string) {
  return db
    .selectDistinct({
      id: schools.id,
      name: schools.name,
      loginUrl: registrations.loginUrl,
      jwksUrl: registrations.jwksUrl,
    })
    .from(registrations)
    .innerJoin(schools, eq(schools.id, registrations.schoolId))
    .where(eq(registrations.issuer, issuer));
}

/** The school a registration (issuer + client id) belongs to, in one query. */
export async function schoolOfRegistration(db: Queryable, issuer: string, clientId: string) {
  const [row] = await db
    .select({ id: schools.id, name: schools.name, timeZone: schools.timeZone, sandbox: schools.sandbox })
    .from(registrations)
    .innerJoin(schools, eq(schools.id, registrations.schoolId))
    .where(and(eq(registrations.issuer, issuer), eq(registrations.clientId, clientId)));
  return row;
}

/** Activates or deactivates a registration of `schoolId`: the number of rows changed (0: not that school's). */
export async function setRegistrationFlags(
  db: Queryable,
  target: { registrationId: string; schoolId: string },
  flags: { active?: boolean; acceptNewDeployments?: boolean },
): Promise<number> {
  const changed = await db
    .update(registrations)
    .set(flags)
    .where(and(eq(registrations.id, target.registrationId), eq(registrations.schoolId, target.schoolId)))
    .returning({ id: registrations.id });
  return changed.length;
}

/** Approves (activates) or deactivates a known deployment: the number of rows changed. */
export async function setDeploymentActive(
  db: Queryable,
  target: { registrationId: string; deploymentId: string },
  active: boolean,
): Promise<number> {
  const changed = await db
    .update(deployments)
    .set({ active })
    .where(
      and(
        eq(deployments.registrationId, target.registrationId),
        eq(deployments.deploymentId, target.deploymentId),
      ),
    )
    .returning({ deploymentId: deployments.deploymentId });
  return changed.length;
}

/** Whether a deployment is known and deactivated (a launch from it is refused even when new ones are accepted). */
export async function isDeploymentDeactivated(
  db: Queryable,
  registrationId: string,
  deploymentId: string,
): Promise<boolean> {
  const [row] = await db
    .select({ active: deployments.active })
    .from(deployments)
    .where(and(eq(deployments.registrationId, registrationId), eq(deployments.deploymentId, deploymentId)));
  return row !== undefined && !row.active;
}
