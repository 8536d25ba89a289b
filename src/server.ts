import type { Server } from 'node:http';
import { buildApp, type BuiltApp } from './app';
import { commandName, runCliCaptured } from './cli';
import { ConfigError, loadConfig, type Config } from './config';
import { controlSocketPath, startControlServer } from './control';
import { createLogger, logFormatFor, type LogFormat, type Logger } from './shared/logger';
import { resolveMasterKey } from './shared/master-key';
import { isAppError } from './shared/errors';
import {
  databaseTarget,
  DataDirOpenError,
  openDatabase,
  runMigrations,
  secureDataDir,
  type Database,
} from './storage';
import { startSandbox, type Sandbox } from './sandbox';

/** How long shutdown waits for background work before closing the database (under the 10 s force-exit). */
const SHUTDOWN_GRACE_MS = 8_000;
/** How often the embedded database's write-ahead log is checkpointed (see `Database.maintain`). */
const CHECKPOINT_EVERY_MS = 60_000;
/** How often expired data is purged (and then, on the embedded database, dead rows vacuumed). */
const PURGE_EVERY_MS = 5 * 60_000;

export interface RunningServer {
  server: Server;
  database: Database;
  /** The app and its services (the job runner among them). */
  built: BuiltApp;
  /** Running when SANDBOX is on (the default for `npm start` on the embedded database at localhost). */
  sandbox: Sandbox | undefined;
  stop(): Promise<void>;
}

export async function startServer(config: Config, logger: Logger): Promise<RunningServer> {
  const target = databaseTarget(config);
  // DATA_DIR holds the embedded database, its key and control socket, and the sandbox's state:
  // the tool's user's alone, checked before any of them is written (src/storage/storage.data-dir.ts).
  if (target.kind === 'pglite' || config.sandbox) secureDataDir(config.dataDir);
  const masterKey = resolveMasterKey(config);
  const database = await openDatabase(target);
  let sandbox: Sandbox | undefined;
  try {
    await runMigrations(database);
    sandbox = config.sandbox ? await startSandbox({ config, database, logger }) : undefined;
    const built = await buildApp({ config: sandbox?.config ?? config, database, logger, masterKey, sandbox });
    await sandbox?.attach(built);
    const server = await new Promise<Server>((resolve, reject) => {
      const listening = built.app.listen(config.port, config.host, () => resolve(listening));
      listening.once('error', reject);
    });
    built.jobs.start();
    // The embedded database is this process's alone: the operator CLI hands its commands to it.
    const control =
      target.kind === 'pglite'
        ? await startControlServer({
            socketPath: controlSocketPath(target.dataDir),
            logger: logger.child({ category: 'control' }),
            run: (argv) => runCliCaptured(argv, built),
            describe: commandName,
          })
        : undefined;
    const maintenance = setInterval(() => {
      built
        .purgeExpired()
        .then(() => database.maintain({ vacuum: true }))
        .catch((error: unknown) => logger.warn({ err: error }, 'purging expired data failed'));
    }, PURGE_EVERY_MS);
    maintenance.unref();
    // The embedded database has no background checkpointer: this process is its checkpointer.
    const housekeeping = setInterval(() => {
      database
        .maintain({ vacuum: false })
        .catch((error: unknown) => logger.warn({ err: error }, 'checkpointing the database failed'));
    }, CHECKPOINT_EVERY_MS);
    housekeeping.unref();
    logger.info(
      { publicUrl: config.publicUrl, port: config.port, database: database.kind },
      `Zoom LTI tool listening; LTI login ${config.publicUrl}/lti/login, launch ${config.publicUrl}/lti/launch, keys ${config.publicUrl}/lti/keys`,
    );
    if (sandbox) logger.info({ url: sandbox.url }, 'sandbox running (SANDBOX=off to run without it)');
    let stopping: Promise<void> | undefined;
    return {
      server,
      database,
      built,
      sandbox,
      stop() {
        stopping ??= (async () => {
          await control?.close();
          clearInterval(maintenance);
          clearInterval(housekeeping);
          // No new requests; then background work (provisioning a launch stopped waiting for,
          // retries in progress) finishes, bounded, before the database it writes to is closed.
          const closed = new Promise<void>((resolve) => server.close(() => resolve()));
          server.closeIdleConnections();
          await built.jobs.stop(SHUTDOWN_GRACE_MS);
          server.closeAllConnections();
          await closed;
          await built.lti.close();
          await sandbox?.stop();
          await database.close();
        })();
        return stopping;
      },
    };
  } catch (error) {
    await sandbox?.stop().catch(() => undefined);
    await database.close();
    throw error;
  }
}

/**
 * What `npm start` prints last, once the server listens: the sandbox's URL. At a terminal, after a
 * blank line and in words (the log lines above it are for later); elsewhere one `Sandbox: <URL>`
 * line a script can read.
 */
export function sandboxAnnouncement(url: string, format: LogFormat): string {
  return format === 'pretty' ? `\nOpen the sandbox: ${url}\n` : `Sandbox: ${url}\n`;
}

async function main(): Promise<void> {
  let config: Config;
  try {
    config = loadConfig();
  } catch (error) {
    if (error instanceof ConfigError) {
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    throw error;
  }
  const format = logFormatFor({ isTTY: process.stdout.isTTY, nodeEnv: process.env.NODE_ENV });
  const logger = createLogger({ level: config.logLevel, format });
  let running: RunningServer;
  try {
    running = await startServer(config, logger);
  } catch (error) {
    if (error instanceof DataDirOpenError) {
      logger.fatal({ dataDir: error.dataDir }, error.message);
      process.stderr.write(`${error.message}\n`);
      process.exit(78);
    }
    const message = isAppError(error)
      ? `${error.detail} ${error.nextStep}`
      : String((error as Error).message ?? error);
    logger.fatal({ err: error }, `could not start: ${message}`);
    process.stderr.write(`Could not start: ${message}\n`);
    process.exit(1);
  }
  if (running.sandbox) process.stdout.write(sandboxAnnouncement(running.sandbox.url, format));
  const shutdown = (signal: string) => {
    logger.info({ signal }, 'shutting down');
    const force = setTimeout(() => process.exit(1), 10_000);
    force.unref();
    running
      .stop()
      .then(() => process.exit(0))
      .catch((error: unknown) => {
        logger.error({ err: error }, 'shutdown failed');
        process.exit(1);
      });
  };
  process.once('SIGINT', () => shutdown('SIGINT'));
  process.once('SIGTERM', () => shutdown('SIGTERM'));
}

if (require.main === module) {
  void main();
}
