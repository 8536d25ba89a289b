import { Command, CommanderError, Option } from 'commander';
import { errors } from '../shared/errors';
import type { CliIo } from '../tenants/tenants.cli';
import { acceptablePassword, hashPassword, isPasswordHash, MIN_PASSWORD_LENGTH } from './admin.auth';
import { DEFAULT_OPERATOR, operatorName } from './admin.schema';
import type { AdminService } from './admin.service';

/**
 * `operator password [--user <name>] [--stdin]`: sets the operator console's password.
 *
 * The password is read by the CLI process itself (twice without echo on a terminal, or one line
 * from stdin with --stdin) and hashed there; the command line that runs, here or on a running
 * server over the control socket, carries only the hash (`--hash`, hidden). So the password never
 * leaves the operator's process, and the server, which logs a command by its name only, never sees
 * it. Setting it ends every session of that operator.
 */

export interface PasswordInput {
  /** Where --stdin reads its line. */
  stdin: NodeJS.ReadableStream & { isTTY?: boolean };
  /** Asks on the terminal without echo; undefined when there is no terminal. */
  prompt?: (question: string) => Promise<string>;
}

const usage = (message: string) => new CommanderError(2, 'cli.usage', message);

function readLine(stream: NodeJS.ReadableStream): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = () => {
      stream.off('data', onData);
      stream.off('end', done);
      stream.off('error', reject);
      stream.pause?.();
      resolve(text.split(/\r?\n/)[0] ?? '');
    };
    const onData = (chunk: Buffer | string) => {
      text += chunk.toString();
      if (text.includes('\n') || text.length > 8192) done();
    };
    stream.on('data', onData);
    stream.once('end', done);
    stream.once('error', reject);
  });
}

/** A terminal prompt without echo (the characters typed are not shown). */
export function terminalPrompt(
  input: NodeJS.ReadStream,
  output: NodeJS.WriteStream,
): ((question: string) => Promise<string>) | undefined {
  if (!input.isTTY) return undefined;
  return (question) =>
    new Promise((resolve) => {
      output.write(question);
      input.setRawMode(true);
      input.resume();
      let answer = '';
      const onData = (chunk: Buffer) => {
        for (const char of chunk.toString('utf8')) {
          if (char === '\r' || char === '\n' || char === '\u0004') {
            input.setRawMode(false);
            input.pause();
            input.off('data', onData);
            output.write('\n');
            return resolve(answer);
          }
          if (char === '\u0003') {
            input.setRawMode(false);
            output.write('\n');
            process.exit(130);
          }
          answer = char === '\u007f' ? answer.slice(0, -1) : answer + char;
        }
      };
      input.on('data', onData);
    });
}

function isPasswordCommand(argv: string[]): boolean {
  return argv[0] === 'operator' && argv[1] === 'password';
}

/**
 * Before `operator password` runs (here or on the server): reads the password, checks it, hashes it
 * and puts the hash in place of --stdin. Any other command line comes back unchanged.
 */
export async function preparePasswordArgv(argv: string[], input: PasswordInput): Promise<string[]> {
  if (!isPasswordCommand(argv)) return argv;
  const rest = argv.slice(2);
  if (rest.some((arg) => arg === '--hash' || arg.startsWith('--hash=') || arg === '-h' || arg === '--help'))
    return argv;
  const fromStdin = rest.includes('--stdin');
  let password: string;
  if (fromStdin) {
    password = await readLine(input.stdin);
  } else {
    if (!input.prompt) throw usage('No terminal to ask the password on: pipe it in with --stdin.');
    password = await input.prompt('New operator password: ');
    const again = await input.prompt('Again: ');
    if (again !== password)
      throw errors.operatorPasswordInvalid('The two passwords differ; nothing was changed.');
  }
  if (!acceptablePassword(password)) {
    throw errors.operatorPasswordInvalid(
      `The password must be at least ${MIN_PASSWORD_LENGTH} characters; nothing was changed.`,
    );
  }
  return [
    'operator',
    'password',
    ...rest.filter((arg) => arg !== '--stdin'),
    '--hash',
    await hashPassword(password),
  ];
}

export function operatorCommands(
  openAdmin: () => Promise<Pick<AdminService, 'setPasswordHash'>>,
  io: CliIo,
): Command {
  const operator = new Command('operator')
    .description('The operator console (/admin)')
    .exitOverride()
    .configureOutput({ writeOut: io.out, writeErr: io.err });
  operator
    .command('password')
    .description(
      `Set the console's password (at least ${MIN_PASSWORD_LENGTH} characters): asked twice on a terminal, or one line from stdin with --stdin; ends the operator's sessions`,
    )
    .option('--user <name>', 'the operator name', DEFAULT_OPERATOR)
    .option('--stdin', 'read the password from the first line of stdin', false)
    .addOption(new Option('--hash <hash>', 'the password hash the CLI made (internal)').hideHelp())
    .option('--json', 'print JSON', false)
    .action(async (options: { user: string; hash?: string; json: boolean }) => {
      const name = operatorName.safeParse(options.user);
      if (!name.success) throw usage(`--user ${name.error.issues[0]?.message ?? 'is invalid'}.`);
      if (!options.hash || !isPasswordHash(options.hash)) {
        throw usage(
          'The password is read by the CLI itself: run `npm run cli -- operator password [--stdin]`.',
        );
      }
      const { sessionsEnded } = await (await openAdmin()).setPasswordHash(name.data, options.hash);
      io.out(
        options.json
          ? `${JSON.stringify({ user: name.data, sessionsEnded })}\n`
          : `Password set for ${name.data}; ${sessionsEnded} session(s) ended. Sign in at /admin/login.\n`,
      );
    });
  return operator;
}
