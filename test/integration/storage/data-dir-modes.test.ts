import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../src/cli';
import { freePort, ok, runTs, waitFor, type ChildRun } from '../../support/process';

/** Everything under `root` that is not its user's alone (directories 0700, all else 0600), with its mode. */
function notPrivate(root: string): string[] {
  const found: string[] = [];
  const visit = (entry: string) => {
    const stat = fs.lstatSync(entry);
    if (stat.isSymbolicLink()) return;
    const mode = stat.mode & 0o777;
    if (mode !== (stat.isDirectory() ? 0o700 : 0o600))
      found.push(`${path.relative(root, entry) || '.'} 0${mode.toString(8)}`);
    if (stat.isDirectory()) for (const name of fs.readdirSync(entry)) visit(path.join(entry, name));
  };
  visit(root);
  return found;
}

/** The server (`npm start`'s command) in a process whose umask lets everyone read what it creates. */
function startUnderOpenUmask(env: NodeJS.ProcessEnv): ChildRun {
  const umask = process.umask(0);
  try {
    return runTs('src/server.ts', [], { LOG_LEVEL: 'warn', HOST: '127.0.0.1', ...env });
  } finally {
    process.umask(umask);
  }
}

/** The embedded database's files belong to the user running the tool, whatever the umask. */
describe('DATA_DIR modes', () => {
  let dataDir: string;
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-lti-modes-'));
  });
  afterEach(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('a first start under a permissive umask, a write and a stop leave every directory 0700 and every file 0600', async () => {
    const fresh = path.join(dataDir, 'data'); // made by the server itself
    const port = await freePort();
    const server = startUnderOpenUmask({
      DATA_DIR: fresh,
      PORT: String(port),
      PUBLIC_URL: `http://localhost:${port}`,
      SANDBOX: 'on', // its state is kept in DATA_DIR too
    });
    try {
      const early = server.exited.then((code) => {
        throw new Error(`the server exited with ${code}:\n${server.output()}`);
      });
      early.catch(() => undefined);
      await Promise.race([
        waitFor(() => ok(`http://127.0.0.1:${port}/readyz`), 60_000, 'the server to be ready'),
        early,
      ]);
      // A write: the CLI hands `platform add` to the server over the control socket.
      let err = '';
      const added = await runCli(
        [
          'platform',
          'add',
          '--issuer',
          'https://moodle.modes.example',
          '--client-id',
          'modes-client',
          '--login-url',
          'https://moodle.modes.example/mod/lti/auth.php',
          '--token-url',
          'https://moodle.modes.example/mod/lti/token.php',
          '--jwks-url',
          'https://moodle.modes.example/mod/lti/certs.php',
          '--deployment',
          '1',
          '--school',
          'Modes High',
        ],
        {
          env: { DATA_DIR: fresh, LOG_LEVEL: 'silent' },
          io: { out: () => undefined, err: (text) => (err += text) },
        },
      );
      expect({ added, err }).toEqual({ added: 0, err: '' });
      expect(fs.existsSync(path.join(fresh, 'control.sock'))).toBe(true);
      expect(notPrivate(fresh)).toEqual([]);
    } finally {
      if (server.child.exitCode === null) server.child.kill('SIGTERM');
    }
    expect(await server.exited).toBe(0);
    // What the database wrote while closing, too.
    expect(fs.readdirSync(path.join(fresh, 'pgdata')).length).toBeGreaterThan(10);
    expect(fs.existsSync(path.join(fresh, 'sandbox', 'state.json'))).toBe(true);
    expect(notPrivate(fresh)).toEqual([]);
  }, 120_000);

  it.each([
    ['DATA_DIR itself', '.', 0o755, '0755'],
    ['the key file at its top level', 'encryption.key', 0o644, '0644'],
    ['the database folder', 'pgdata', 0o750, '0750'],
    ['a file at the top of the database folder', 'pgdata/PG_VERSION', 0o604, '0604'],
  ])(
    'refuses to start when %s is open to others: exit 78, naming it, its mode and the chmod',
    async (_what, entry, mode, shown) => {
      fs.mkdirSync(path.join(dataDir, 'pgdata'), { mode: 0o700 });
      fs.writeFileSync(path.join(dataDir, 'pgdata', 'PG_VERSION'), '17\n', { mode: 0o600 });
      fs.writeFileSync(path.join(dataDir, 'encryption.key'), `${'ab'.repeat(32)}\n`, { mode: 0o600 });
      fs.chmodSync(path.join(dataDir, entry), mode);
      const run = runTs('src/server.ts', [], { DATA_DIR: dataDir, PORT: String(await freePort()) });
      expect(await run.exited).toBe(78);
      const named = entry === '.' ? 'the directory' : path.join(dataDir, entry);
      expect(run.output()).toContain(
        `DATA_DIR ${dataDir} is open to other users: ${named} has mode ${shown}`,
      );
      expect(run.output()).toContain(`chmod -R go-rwx ${dataDir}\n`);
      // Nothing was written: no lock, no socket, no database.
      expect(fs.readdirSync(dataDir).sort()).toEqual(['encryption.key', 'pgdata']);
      expect(fs.readdirSync(path.join(dataDir, 'pgdata'))).toEqual(['PG_VERSION']);
    },
    30_000,
  );

  it('refuses an open DATA_DIR with DATABASE_URL too when the sandbox keeps its state there', async () => {
    fs.chmodSync(dataDir, 0o755);
    const run = runTs('src/server.ts', [], {
      DATA_DIR: dataDir,
      PORT: String(await freePort()),
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      ENCRYPTION_KEY: 'ab'.repeat(32),
      SANDBOX: 'on',
    });
    expect(await run.exited).toBe(78);
    expect(run.output()).toContain(`DATA_DIR ${dataDir} is open to other users: the directory has mode 0755`);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  }, 30_000);
});
