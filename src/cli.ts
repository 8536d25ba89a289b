import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, withDotenv } from './config';
import { controlSocketPath, sendToServer, sendToServerWhenListening, type ControlResponse } from './control';
import type { Config } from './config';
import { errors, isAppError } from './shared/errors';
import type { Database } from './storage';
import type { SchoolInvites, TenantsService } from './tenants';
import { platformCommands, schoolCommands, type CliIo } from './tenants/tenants.cli';
import { operatorCommands, preparePasswordArgv, terminalPrompt, type AdminService } from './admin';
import { keysCommands, type KeyRotationTarget } from './keys';
import { privacyCommands, retentionCommand } from './privacy/privacy.cli';
import type { PrivacyService } from './privacy/privacy.service';

const stdio: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/** What the commands run on: the CLI's own, or a running server's. */
export interface CliServices {
  tenants: TenantsService;
  invites: SchoolInvites;
  /** The operator console's password (`operator password`). */
  admin: Pick<AdminService, 'setPasswordHash'>;
  /** Only the CLI's own database (a running server's keys are fixed while it runs: `keys rotate` refuses there). */
  keyRotation?: KeyRotationTarget;
  /** Retention per school (`school retention`) and one user's export and erasure (`privacy`). */
  privacy: PrivacyService;
}

/** How long a CLI refused by DATA_DIR's lock waits for the server holding it to listen (it may be starting). */
const SERVER_START_WAIT_MS = 5_000;

/** The command was run by the server holding the embedded database: its answer, to print as is. */
class RanByServer extends Error {
  constructor(readonly response: ControlResponse) {
    super('ran by the server');
  }
}

/** The program; services are asked for only once the arguments parsed, so bad input never reaches them. */
function program(open: () => Promise<CliServices>, io: CliIo): Command {
  const cli = new Command('cli')
    .description('Operator commands for the Zoom LTI tool')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  cli.addCommand(platformCommands(async () => (await open()).tenants, io));
  cli.addCommand(
    schoolCommands(async () => (await open()).invites, io).addCommand(
      retentionCommand(async () => (await open()).privacy, io),
    ),
  );
  cli.addCommand(privacyCommands(async () => (await open()).privacy, io));
  cli.addCommand(operatorCommands(async () => (await open()).admin, io));
  cli.addCommand(keysCommands(async () => (await open()).keyRotation, io));
  return cli;
}

/**
 * Runs the operator CLI over given services (or a function opening them). Returns the exit code:
 * 0 done, 1 refused (the message says why and what to do), 2 usage error. The server runs the
 * commands the CLI hands it over the control socket with this very function.
 */
export async function runCliWith(
  argv: string[],
  services: CliServices | (() => Promise<CliServices>),
  io: CliIo,
): Promise<number> {
  const open = typeof services === 'function' ? services : async () => services;
  try {
    await program(open, io).parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
    return exitCodeFor(error, io);
  }
}

/** What a failed command prints, and its exit code. */
function exitCodeFor(error: unknown, io: CliIo): number {
  if (error instanceof RanByServer) {
    io.out(error.response.stdout);
    io.err(error.response.stderr);
    return error.response.exitCode;
  }
  if (error instanceof CommanderError) {
    if (
      error.code === 'commander.helpDisplayed' ||
      error.code === 'commander.help' ||
      error.code === 'commander.version'
    )
      return 0;
    if (error.code === 'cli.usage') io.err(`error: ${error.message}\n`);
    return 2;
  }
  if (error instanceof ConfigError) {
    io.err(`${error.message}\n`);
    return 1;
  }
  if (isAppError(error)) {
    io.err(`Error: ${error.detail}\n${error.nextStep}\n`);
    return 1;
  }
  io.err(`Error: ${(error as Error).message ?? String(error)}\n`);
  return 1;
}

/** runCliWith, capturing what it prints (the server's side of the control socket). */
export async function runCliCaptured(argv: string[], services: CliServices): Promise<ControlResponse> {
  let stdout = '';
  let stderr = '';
  const exitCode = await runCliWith(argv, services, {
    out: (text) => (stdout += text),
    err: (text) => (stderr += text),
  });
  return { exitCode, stdout, stderr };
}

/** The command a command line names (`platform add`), from registered names only: safe to log. */
export function commandName(argv: string[]): string {
  const quiet: CliIo = { out: () => undefined, err: () => undefined };
  let command = program(() => Promise.reject(new Error('not run')), quiet);
  const names: string[] = [];
  for (const arg of argv) {
    const next = command.commands.find((sub) => sub.name() === arg || sub.aliases().includes(arg));
    if (!next) break;
    names.push(next.name());
    command = next;
  }
  return names.length > 0 ? names.join(' ') : '(none)';
}

/**
 * The CLI's own services over the configured database. The database code is loaded only here: a
 * command handed to a server, or a usage error, starts faster without it.
 */
async function openDirectly(config: Config, opened: (database: Database) => void): Promise<CliServices> {
  const [{ createLogger }, { resolveMasterKey }, storage, { buildServices }] = await Promise.all([
    import('./shared/logger'),
    import('./shared/master-key'),
    import('./storage'),
    import('./services'),
  ]);
  const logger = createLogger({
    level: config.logLevel === 'info' ? 'warn' : config.logLevel,
    destination: process.stderr,
  });
  // Opened first: a CLI refused by DATA_DIR's lock leaves nothing behind (not even a new key file).
  const database = await storage.openDatabase(storage.databaseTarget(config));
  opened(database);
  const masterKey = resolveMasterKey(config);
  await storage.runMigrations(database);
  return {
    ...(await buildServices({ config, database, logger, masterKey })),
    keyRotation: { config, db: database.db },
  };
}

/**
 * The operator CLI, non-interactive. On PostgreSQL it opens the database itself, beside any running
 * server. On the embedded database a running server is the only process that may open DATA_DIR:
 * the command line goes to it over DATA_DIR/control.sock and its answer is printed as is; with no
 * server the CLI opens the database itself.
 */
export async function runCli(
  givenArgv: string[],
  options: {
    env?: NodeJS.ProcessEnv;
    io?: CliIo;
    serverStartWaitMs?: number;
    stdin?: NodeJS.ReadableStream;
  } = {},
): Promise<number> {
  const io = options.io ?? stdio;
  let argv: string[];
  try {
    // `operator password`: the password is read and hashed here; only its hash goes on (src/admin/admin.cli.ts).
    argv = await preparePasswordArgv(givenArgv, {
      stdin: options.stdin ?? process.stdin,
      prompt: options.stdin ? undefined : terminalPrompt(process.stdin, process.stderr),
    });
  } catch (error) {
    return exitCodeFor(error, io);
  }
  let database: Database | undefined;
  const openServices = async (): Promise<CliServices> => {
    const config = loadConfig(options.env ?? withDotenv(process.env));
    // The embedded database (no DATABASE_URL): a running server may hold it and run the command.
    const socketPath = config.databaseUrl ? undefined : controlSocketPath(config.dataDir);
    if (socketPath) {
      const answer = await sendToServer(socketPath, argv);
      if (answer) throw new RanByServer(answer);
    }
    try {
      return await openDirectly(config, (opened) => (database = opened));
    } catch (error) {
      if (!socketPath || !isAppError(error) || error.id !== 'database_in_use') throw error;
      const wait = options.serverStartWaitMs ?? SERVER_START_WAIT_MS;
      const answer = await sendToServerWhenListening(socketPath, argv, wait);
      if (answer) throw new RanByServer(answer);
      throw errors.serverNotAnswering(
        `The embedded database in ${config.dataDir} is held by a running process that does not answer on ${socketPath}.`,
        error,
      );
    }
  };
  try {
    return await runCliWith(argv, openServices, io);
  } finally {
    await database?.close();
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
