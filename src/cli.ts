import { Command, CommanderError } from 'commander';
import { ConfigError, loadConfig, withDotenv } from './config';
import { buildServices } from './services';
import { isAppError } from './shared/errors';
import { createLogger } from './shared/logger';
import { resolveMasterKey } from './shared/master-key';
import { databaseTarget, openDatabase, runMigrations, type Database } from './storage';
import { platformCommands, schoolCommands, type CliIo } from './tenants/tenants.cli';

const stdio: CliIo = {
  out: (text) => process.stdout.write(text),
  err: (text) => process.stderr.write(text),
};

/**
 * The operator CLI, non-interactive. Returns the exit code: 0 done, 1 refused (the message says
 * why and what to do), 2 usage error.
 */
export async function runCli(
  argv: string[],
  options: { env?: NodeJS.ProcessEnv; io?: CliIo } = {},
): Promise<number> {
  const io = options.io ?? stdio;
  let database: Database | undefined;
  const openServices = async () => {
    const config = loadConfig(options.env ?? withDotenv(process.env));
    const logger = createLogger({
      level: config.logLevel === 'info' ? 'warn' : config.logLevel,
      destination: process.stderr,
    });
    const masterKey = resolveMasterKey(config);
    database = await openDatabase(databaseTarget(config));
    await runMigrations(database);
    return buildServices({ config, database, logger, masterKey });
  };
  const program = new Command('cli')
    .description('Operator commands for the Zoom LTI tool')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  program.addCommand(platformCommands(async () => (await openServices()).tenants, io));
  program.addCommand(schoolCommands(async () => (await openServices()).invites, io));
  try {
    await program.parseAsync(argv, { from: 'user' });
    return 0;
  } catch (error) {
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
  } finally {
    await database?.close();
  }
}

if (require.main === module) {
  void runCli(process.argv.slice(2)).then((code) => process.exit(code));
}
