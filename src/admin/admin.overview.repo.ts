import { and, asc, count, desc, eq, inArray, lt, sql } from 'drizzle-orm';
import { queryRows, tables, type Queryable } from '../storage';

const { schools, registrations, deployments, zoomConnections, schoolErrors } = tables;

/**
 * What the operator console reads: schools, their registrations and deployments, their Zoom
 * connection's health (never a token or secret column) and their latest errors. The console is the
 * operator's, so it sees every school; each school's page reads only that school's rows.
 */

/** The Zoom columns a page may show: no token, no secret, no webhook path. */
const zoomHealth = {
  status: zoomConnections.status,
  kind: zoomConnections.kind,
  zoomAccountId: zoomConnections.zoomAccountId,
  accessTokenExpiresAt: zoomConnections.accessTokenExpiresAt,
  lastError: zoomConnections.lastError,
  connectedAt: zoomConnections.connectedAt,
  updatedAt: zoomConnections.updatedAt,
};

export async function schoolRows(db: Queryable) {
  const registrationCounts = db
    .select({ schoolId: registrations.schoolId, count: count().as('registration_count') })
    .from(registrations)
    .groupBy(registrations.schoolId)
    .as('registration_counts');
  return db
    .select({
      id: schools.id,
      name: schools.name,
      timeZone: schools.timeZone,
      sandbox: schools.sandbox,
      registrations: sql<number>`coalesce(${registrationCounts.count}, 0)`.mapWith(Number),
      zoomStatus: zoomConnections.status,
    })
    .from(schools)
    .leftJoin(registrationCounts, eq(registrationCounts.schoolId, schools.id))
    .leftJoin(zoomConnections, eq(zoomConnections.schoolId, schools.id))
    .orderBy(asc(schools.name));
}

export async function schoolRow(db: Queryable, schoolId: string) {
  const [row] = await db
    .select({ id: schools.id, name: schools.name, timeZone: schools.timeZone })
    .from(schools)
    .where(eq(schools.id, schoolId));
  return row;
}

/** The school with this exact name, if any (to link to it when a new school would take its name). */
export async function schoolIdByName(db: Queryable, name: string): Promise<string | undefined> {
  const [row] = await db.select({ id: schools.id }).from(schools).where(eq(schools.name, name));
  return row?.id;
}

export async function registrationsOfSchool(db: Queryable, schoolId: string) {
  const rows = await db
    .select({
      id: registrations.id,
      issuer: registrations.issuer,
      clientId: registrations.clientId,
      active: registrations.active,
      acceptNewDeployments: registrations.acceptNewDeployments,
      createdAt: registrations.createdAt,
    })
    .from(registrations)
    .where(eq(registrations.schoolId, schoolId))
    .orderBy(asc(registrations.issuer), asc(registrations.clientId));
  const ids = rows.map((row) => row.id);
  const deploymentRows =
    ids.length === 0
      ? []
      : await db
          .select({
            registrationId: deployments.registrationId,
            deploymentId: deployments.deploymentId,
            source: deployments.source,
            active: deployments.active,
            createdAt: deployments.createdAt,
          })
          .from(deployments)
          .where(inArray(deployments.registrationId, ids))
          .orderBy(asc(deployments.createdAt), asc(deployments.deploymentId));
  return rows.map((row) => ({
    ...row,
    deployments: deploymentRows.filter((deployment) => deployment.registrationId === row.id),
  }));
}

export async function zoomHealthOf(db: Queryable, schoolId: string) {
  const [row] = await db
    .select(zoomHealth)
    .from(zoomConnections)
    .where(eq(zoomConnections.schoolId, schoolId));
  return row;
}

export async function insertSchoolError(
  db: Queryable,
  values: { schoolId: string; errorId: string; status: number; requestId: string; path: string; at: Date },
): Promise<void> {
  await db.insert(schoolErrors).values(values);
}

/** Keeps the newest `keep` errors of a school. */
export async function trimSchoolErrors(db: Queryable, schoolId: string, keep: number): Promise<void> {
  const [oldestKept] = await db
    .select({ id: schoolErrors.id })
    .from(schoolErrors)
    .where(eq(schoolErrors.schoolId, schoolId))
    .orderBy(desc(schoolErrors.id))
    .offset(keep - 1)
    .limit(1);
  if (!oldestKept) return;
  await db
    .delete(schoolErrors)
    .where(and(eq(schoolErrors.schoolId, schoolId), lt(schoolErrors.id, oldestKept.id)));
}

export async function latestSchoolErrors(db: Queryable, schoolId: string, limit: number) {
  return db
    .select({
      errorId: schoolErrors.errorId,
      status: schoolErrors.status,
      requestId: schoolErrors.requestId,
      path: schoolErrors.path,
      at: schoolErrors.at,
    })
    .from(schoolErrors)
    .where(eq(schoolErrors.schoolId, schoolId))
    .orderBy(desc(schoolErrors.id))
    .limit(limit);
}

/**
 * The school's background jobs that were given up (status failed), newest first. A job names its
 * school with `schoolId` in its payload, or through the meeting it names (`meetingId`, a create
 * waiting for Zoom's confirmation). Its kind, when it gave up, its attempts and its last error (an
 * error id or Zoom's message, never a secret); not its key or payload, which name people.
 */
export async function failedJobsOfSchool(db: Queryable, schoolId: string, limit: number) {
  return queryRows<{ kind: string; failed_at: Date | string; attempts: number; last_error: string | null }>(
    db,
    sql`select job.kind, job.updated_at as failed_at, job.attempts, job.last_error
        from background_jobs job
        where job.status = 'failed'
          and (job.payload->>'schoolId' = ${schoolId}
            or job.payload->>'meetingId' in (select id::text from meetings where school_id = ${schoolId}))
        order by job.updated_at desc
        limit ${limit}`,
  );
}
