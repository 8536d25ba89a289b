import crypto from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../src/cli';
import {
  cliProcess,
  type CliRun,
  fileMode,
  logLines,
  startToolProcess,
  type ToolProcess,
} from '../../support/cli-process';
import { seededDataDir } from '../../support/data-dir';

/**
 * Issue 10, item 4: `npm run cli` while `npm start` runs on the embedded database. The server is the
 * only process that opens DATA_DIR, so the CLI hands its command line to it over
 * DATA_DIR/control.sock: same commands, same JSON, same exit codes as a CLI that opens the
 * database itself. The server and the CLI run in their own processes, as an operator runs them.
 */

const CLIENT_ID = `client-${crypto.randomBytes(4).toString('hex')}`;
const SCHOOL = 'Beside High';
const platform = [
  ['--issuer', 'https://moodle.beside.example', '--client-id', CLIENT_ID],
  ['--login-url', 'https://moodle.beside.example/mod/lti/auth.php'],
  ['--token-url', 'https://moodle.beside.example/mod/lti/token.php'],
  ['--jwks-url', 'https://moodle.beside.example/mod/lti/certs.php'],
  ['--deployment', '1', '--school', SCHOOL],
].flat();

describe('the operator CLI while the server runs on the embedded database', () => {
  let dataDir: string;
  let server: ToolProcess;
  const env = () => ({ DATA_DIR: dataDir, LOG_LEVEL: 'silent' });
  /** The same command line run by the CLI in this process, where no server answers on DATA_DIR. */
  async function byItself(args: string[]): Promise<CliRun> {
    const run = { out: '', err: '' };
    const code = await runCli(args, {
      env: env(),
      io: { out: (text) => (run.out += text), err: (text) => (run.err += text) },
    });
    return { code, ...run };
  }
  const commandsRan = () => logLines(server.output(), 'control').filter((line) => line.command !== undefined);

  beforeAll(async () => {
    dataDir = await seededDataDir('zoom-lti-ctl-');
    server = await startToolProcess({ DATA_DIR: dataDir });
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('school invite --json prints a link the running server knows', async () => {
    const invite = await cliProcess(env(), 'school', 'invite', '--school', SCHOOL, '--json');
    expect(invite).toMatchObject({ code: 0, err: '' });
    const printed = JSON.parse(invite.out) as { registrationUrl: string; expiresAt: string };
    expect(Object.keys(printed).sort()).toEqual(['expiresAt', 'registrationUrl']);
    const url = new URL(printed.registrationUrl);
    expect(`${url.origin}${url.pathname}`).toBe(`${server.url}/lti/register`);
    // Opened without the LMS's parameters, a known link says where to paste it (an unknown one is refused).
    const page = await fetch(printed.registrationUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(/paste it there/);
  }, 30_000);

  it('platform add, list and remove run on the server, printing the same JSON', async () => {
    const added = await cliProcess(env(), 'platform', 'add', ...platform, '--json');
    expect(added).toMatchObject({ code: 0, err: '' });
    const registration = JSON.parse(added.out) as { id: string };
    expect(registration).toMatchObject({
      clientId: CLIENT_ID,
      deployments: ['1'],
      school: { name: SCHOOL },
    });

    const listed = await cliProcess(env(), 'platform', 'list', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toEqual([registration]);

    const removed = await cliProcess(env(), 'platform', 'remove', '--id', registration.id);
    expect(removed.code).toBe(0);
    expect(JSON.parse(removed.out)).toMatchObject({ removed: { id: registration.id, clientId: CLIENT_ID } });
    const after = await cliProcess(env(), 'platform', 'list', '--json');
    expect(JSON.parse(after.out)).toEqual([]);
  }, 40_000);

  it('usage errors read the same as without a server, which never sees them', async () => {
    const cases = [
      ['platform', 'remove'], // neither --id nor --issuer and --client-id
      ['platform', 'list', '--bogus'], // an unknown option
    ];
    const beside = await Promise.all(cases.map((args) => cliProcess(env(), ...args)));
    expect(beside.map((run) => run.code)).toEqual([2, 2]);
    expect(beside[0]?.err).toBe('error: Give either --id, or both --issuer and --client-id.\n');
    expect(beside[1]?.err).toBe("error: unknown option '--bogus'\n");
    // A usage error never opens the database: the CLI here answers the same beside the server.
    for (const [index, args] of cases.entries()) expect(await byItself(args)).toEqual(beside[index]);
    expect(commandsRan().filter((line) => line.exitCode === 2)).toEqual([]);
  }, 30_000);

  it('the socket is open to its user only, and the log names each command, never its arguments', async () => {
    expect(fileMode(path.join(dataDir, 'control.sock'))).toEqual({ mode: 0o600, socket: true });
    const ran = commandsRan();
    expect(ran.map((line) => line.command)).toEqual(
      expect.arrayContaining(['school invite', 'platform add', 'platform list', 'platform remove']),
    );
    for (const line of ran) {
      expect(line).toMatchObject({ level: 30, msg: 'operator command ran over the control socket' });
      expect(Object.keys(line).sort()).toEqual(
        ['category', 'command', 'durationMs', 'exitCode', 'level', 'msg', 'service', 'time'].sort(),
      );
    }
    const controlLog = JSON.stringify(logLines(server.output(), 'control'));
    for (const argument of [CLIENT_ID, SCHOOL, 'moodle.beside.example', 'invite=']) {
      expect(controlLog).not.toContain(argument);
    }
  });

  // Last: it kills the server. A server killed outright (kill -9, out of memory) leaves its socket
  // behind, nobody listening; neither the CLI nor the next server is stopped by it.
  it('a refusal reads the same with or without the server; a socket left by kill -9 stops nothing', async () => {
    const unknown = ['platform', 'remove', '--id', crypto.randomUUID()];
    const beside = await cliProcess(env(), ...unknown);
    expect(beside.code).toBe(1);
    expect(beside.err).toMatch(/^Error: No registration matches what was given\.\n/);
    expect(commandsRan().filter((line) => line.exitCode === 1)).toHaveLength(1);

    const socket = path.join(dataDir, 'control.sock');
    await server.kill();
    expect(fileMode(socket)).toEqual({ mode: 0o600, socket: true });
    // Nobody listens: the CLI opens the database itself (the dead server's lock is taken over).
    expect(await byItself(unknown)).toEqual(beside);
    const added = await cliProcess(env(), 'platform', 'add', ...platform);
    expect(added).toMatchObject({ code: 0, err: '' });
    const registration = JSON.parse(added.out) as { id: string };

    server = await startToolProcess({ DATA_DIR: dataDir });
    expect(fileMode(socket)).toEqual({ mode: 0o600, socket: true });
    const listed = await cliProcess(env(), 'platform', 'list', '--json');
    expect(listed.code).toBe(0);
    expect(JSON.parse(listed.out)).toEqual([registration]);
    expect(commandsRan().map((line) => line.command)).toEqual(['platform list']);

    // Stopped gracefully, the server removes its socket.
    expect(await server.stop()).toBe(0);
    expect(fs.existsSync(socket)).toBe(false);
  }, 120_000);
});
