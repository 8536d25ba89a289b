import type { Server } from 'node:http';
import { buildApp, type BuiltApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/shared/logger';
import { createTestDatabase, TEST_MASTER_KEY, type TestDatabase } from './db';
import { freePort } from './process';
import { testToolKeyPairs } from './keys';

/** The tool listening on a real port (for browsers and other processes), on a fresh test database. */
export interface ToolServer {
  url: string;
  built: BuiltApp;
  database: TestDatabase;
  close(): Promise<void>;
}

export async function startToolServer(
  options: { host?: string; port?: number; env?: Record<string, string> } = {},
): Promise<ToolServer> {
  const host = options.host ?? 'localhost';
  const port = options.port ?? (await freePort());
  const url = `http://${host}:${port}`;
  const database = await createTestDatabase('pglite');
  const config = loadConfig({ PUBLIC_URL: url, PORT: String(port), LOG_LEVEL: 'silent', ...options.env });
  const built = await buildApp({
    config,
    database,
    logger: createLogger({ level: 'silent' }),
    masterKey: TEST_MASTER_KEY,
    toolKeyPairs: testToolKeyPairs(),
  });
  const server = await new Promise<Server>((resolve) => {
    const listening = built.app.listen(port, '127.0.0.1', () => resolve(listening));
  });
  built.jobs.start();
  return {
    url,
    built,
    database,
    async close() {
      await built.jobs.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await database.drop();
    },
  };
}
