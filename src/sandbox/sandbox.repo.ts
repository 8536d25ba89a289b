import { and, eq, inArray } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';

const { schools, registrations, deployments } = tables;

export interface SandboxRegistration {
  schoolId: string;
  issuer: string;
  clientId: string;
  loginUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  deploymentIds: string[];
}

/** The registration of a sandbox school (flagged `sandbox`) by its issuer; never a real school's. */
export async function sandboxRegistration(
  db: Queryable,
  schoolName: string,
  issuer: string,
): Promise<SandboxRegistration | undefined> {
  const [row] = await db
    .select({
      id: registrations.id,
      schoolId: schools.id,
      issuer: registrations.issuer,
      clientId: registrations.clientId,
      loginUrl: registrations.loginUrl,
      tokenUrl: registrations.tokenUrl,
      jwksUrl: registrations.jwksUrl,
    })
    .from(registrations)
    .innerJoin(schools, eq(schools.id, registrations.schoolId))
    .where(and(eq(schools.name, schoolName), eq(schools.sandbox, true), eq(registrations.issuer, issuer)));
  if (!row) return undefined;
  const ids = await db
    .select({ deploymentId: deployments.deploymentId })
    .from(deployments)
    .where(inArray(deployments.registrationId, [row.id]));
  const { id: _id, ...rest } = row;
  return { ...rest, deploymentIds: ids.map((d) => d.deploymentId) };
}

/** The sandbox school of that name, if the sandbox made it already. */
export async function sandboxSchoolId(db: Queryable, schoolName: string): Promise<string | undefined> {
  const [row] = await db
    .select({ id: schools.id })
    .from(schools)
    .where(and(eq(schools.name, schoolName), eq(schools.sandbox, true)));
  return row?.id;
}
