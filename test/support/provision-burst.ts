/* eslint-disable no-console */
/**
 * One OS process of the first-launch storm: builds the tool's services on the shared PostgreSQL
 * and runs the launch's provisioning step CALLS times at once for one instructor, at START_AT.
 */
import { loadConfig } from '../../src/config';
import { buildServices } from '../../src/services';
import { createLogger } from '../../src/shared/logger';
import { openDatabase } from '../../src/storage';

async function main(): Promise<void> {
  const config = loadConfig(process.env);
  const database = await openDatabase({ kind: 'postgres', url: String(config.databaseUrl), poolSize: 10 });
  const services = await buildServices({
    config,
    database,
    logger: createLogger({ level: 'silent' }),
    masterKey: config.encryptionKey as Buffer,
  });
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
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(process.env.START_AT) - Date.now())));
  const outcomes = await Promise.all(
    Array.from({ length: Number(process.env.CALLS) }, () => services.provisioning.ensureForLaunch(launcher)),
  );
  console.log(JSON.stringify({ outcomes }));
  await database.close();
}

main().catch((error: unknown) => {
  console.log(JSON.stringify({ error: String((error as Error).stack ?? error) }));
  process.exit(1);
});
