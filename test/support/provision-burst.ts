/* eslint-disable no-console */
/**
 * One OS process of the first-launch storm: builds the tool's services on the shared PostgreSQL
 * and runs the launch's provisioning step CALLS times at once for one instructor, at START_AT.
 */
import { servicesFromEnv, untilStart } from './child-services';

async function main(): Promise<void> {
  const { services, close } = await servicesFromEnv();
  const launcher = {
    schoolId: String(process.env.SCHOOL_ID),
    issuer: String(process.env.LMS_ISSUER),
    userId: String(process.env.LMS_USER),
    role: 'instructor' as const,
    email: String(process.env.EMAIL),
    givenName: 'Storm',
    familyName: 'Teacher',
    name: 'Storm Teacher',
  };
  await untilStart();
  const outcomes = await Promise.all(
    Array.from({ length: Number(process.env.CALLS) }, () => services.provisioning.ensureForLaunch(launcher)),
  );
  console.log(JSON.stringify({ outcomes }));
  await close();
}

main().catch((error: unknown) => {
  console.log(JSON.stringify({ error: String((error as Error).stack ?? error) }));
  process.exit(1);
});
