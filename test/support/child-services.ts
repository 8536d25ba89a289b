import { loadConfig } from '../../src/config';
import { buildServices, type Services } from '../../src/services';
import { createLogger } from '../../src/shared/logger';
import { openDatabase } from '../../src/storage';
import { testToolKeyPairs } from './keys';

/** The tool's services in a child process of a cross-process test, on the PostgreSQL named by DATABASE_URL. */
export async function servicesFromEnv(): Promise<{ services: Services; close: () => Promise<void> }> {
  const config = loadConfig(process.env);
  const database = await openDatabase({ kind: 'postgres', url: String(config.databaseUrl), poolSize: 10 });
  const services = await buildServices({
    config,
    database,
    logger: createLogger({ level: 'silent' }),
    masterKey: config.encryptionKey as Buffer,
    toolKeyPairs: testToolKeyPairs(),
  });
  services.jobs.start();
  return {
    services,
    close: async () => {
      await services.jobs.stop();
      await database.close();
    },
  };
}

/** Waits until START_AT (ms epoch), so that every child process starts its burst together. */
export function untilStart(): Promise<void> {
  return new Promise((resolve) =>
    setTimeout(resolve, Math.max(0, Number(process.env.START_AT) - Date.now())),
  );
}
