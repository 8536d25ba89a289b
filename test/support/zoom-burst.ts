/* eslint-disable no-console */
/**
 * One OS process of the token-storm test: builds the tool's services on the shared PostgreSQL and
 * fires CALLS concurrent Zoom calls for one connection at START_AT, then prints a JSON summary.
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
  const api = services.zoom.client.forConnection({
    id: String(process.env.CONNECTION_ID),
    schoolId: String(process.env.SCHOOL_ID),
    zoomAccountId: String(process.env.ZOOM_ACCOUNT),
    plan: 'business',
  });
  const calls = Number(process.env.CALLS);
  await new Promise((resolve) => setTimeout(resolve, Math.max(0, Number(process.env.START_AT) - Date.now())));
  const results = await Promise.allSettled(
    Array.from({ length: calls }, () => api.getUser(String(process.env.LOOKUP_USER))),
  );
  const failures = results.filter((result): result is PromiseRejectedResult => result.status === 'rejected');
  console.log(
    JSON.stringify({
      ok: results.length - failures.length,
      failed: failures.length,
      errors: [...new Set(failures.map((failure) => String((failure.reason as Error).message)))].slice(0, 5),
    }),
  );
  await database.close();
}

main().catch((error: unknown) => {
  console.log(JSON.stringify({ ok: 0, failed: -1, errors: [String((error as Error).stack ?? error)] }));
  process.exit(1);
});
