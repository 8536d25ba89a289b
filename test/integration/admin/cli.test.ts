import fs from 'node:fs';
import { Readable } from 'node:stream';
import { preparePasswordArgv } from '../../../src/admin';
import { buildApp } from '../../../src/app';
import { runCli, runCliWith } from '../../../src/cli';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/shared/logger';
import { resolveMasterKey } from '../../../src/shared/master-key';
import { databaseTarget, openDatabase, runMigrations } from '../../../src/storage';
import {
  createConsoleHarness,
  get,
  loginForm,
  postLogin,
  signIn,
  type ConsoleHarness,
} from './console.harness';
import { seededDataDir } from '../../support/data-dir';

/**
 * `npm run cli -- operator password`: the CLI reads the password (one line of stdin with --stdin)
 * and hashes it itself; only the hash goes on to the command (run here, or by a running server over
 * the control socket). A password shorter than 12 characters is refused and nothing is stored.
 */
const NEW_PASSWORD = 'piped in from a password manager';

function capture() {
  const run = { out: '', err: '' };
  return { run, io: { out: (t: string) => (run.out += t), err: (t: string) => (run.err += t) } };
}

describe('operator password (CLI)', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await seededDataDir('zoom-lti-operator-');
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));
  const env = () => ({ DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: 'http://localhost:3000' });

  it('--stdin sets a hash that signs in to the console', async () => {
    const { run, io } = capture();
    const code = await runCli(['operator', 'password', '--stdin'], {
      env: env(),
      io,
      stdin: Readable.from([`${NEW_PASSWORD}\n`]),
    });
    expect(run.err).toBe('');
    expect(code).toBe(0);
    expect(run.out).toBe('Password set for operator; 0 session(s) ended. Sign in at /admin/login.\n');

    const config = loadConfig(env());
    const database = await openDatabase(databaseTarget(config));
    try {
      await runMigrations(database);
      const built = await buildApp({
        config,
        database,
        logger: createLogger({ level: 'silent' }),
        masterKey: resolveMasterKey(config),
      });
      const session = await signIn(built.app, NEW_PASSWORD);
      expect((await get(built.app, session, '/admin/schools')).status).toBe(200);
      expect(
        (await postLogin(built.app, await loginForm(built.app), { password: 'something else!' })).status,
      ).toBe(401);
      await built.lti.close();
    } finally {
      await database.close();
    }
  }, 90_000);

  it('refuses a password shorter than 12 characters and stores nothing', async () => {
    const { run, io } = capture();
    const code = await runCli(['operator', 'password', '--stdin', '--user', 'short'], {
      env: env(),
      io,
      stdin: Readable.from(['too short\n']),
    });
    expect(code).toBe(1);
    expect(run.err).toContain('at least 12 characters');
    expect(run.err).not.toContain('too short');
  });

  it('without a terminal and without --stdin, says how to pipe the password in', async () => {
    const { run, io } = capture();
    const code = await runCli(['operator', 'password'], { env: env(), io, stdin: Readable.from([]) });
    expect(code).toBe(2);
    expect(run.err).toContain('--stdin');
  });

  it('hands on only the hash: the command line carries no password', async () => {
    const argv = await preparePasswordArgv(['operator', 'password', '--user', 'ops', '--stdin'], {
      stdin: Readable.from([`${NEW_PASSWORD}\r\n`]),
    });
    expect(argv.slice(0, 5)).toEqual(['operator', 'password', '--user', 'ops', '--hash']);
    expect(argv[5]).toMatch(/^scrypt\$ln=17,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(argv.join(' ')).not.toContain(NEW_PASSWORD);
    // Other commands pass unchanged.
    expect(await preparePasswordArgv(['platform', 'list'], { stdin: Readable.from([]) })).toEqual([
      'platform',
      'list',
    ]);
  });

  describe('run over given services (as a server runs it for the control socket)', () => {
    let h: ConsoleHarness;
    beforeAll(async () => {
      h = await createConsoleHarness();
    });
    afterAll(() => h.close());

    it('refuses a command line without a hash this tool made, and changes nothing', async () => {
      const session = await signIn(h.app);
      for (const argv of [
        ['operator', 'password'],
        ['operator', 'password', '--hash', 'plain text password'],
        [
          'operator',
          'password',
          '--hash',
          'scrypt$ln=30,r=8,p=1$AAAAAAAAAAAAAAAAAAAAAA$AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA',
        ],
      ]) {
        const { run, io } = capture();
        expect(await runCliWith(argv, h.built, io)).toBe(2);
        expect(run.err).toContain('operator password');
      }
      expect((await get(h.app, session, '/admin/schools')).status).toBe(200);
    });

    it('a new hash ends the operator’s sessions', async () => {
      const session = await signIn(h.app);
      const argv = await preparePasswordArgv(['operator', 'password', '--stdin', '--json'], {
        stdin: Readable.from([`${NEW_PASSWORD}\n`]),
      });
      const { run, io } = capture();
      expect(await runCliWith(argv, h.built, io)).toBe(0);
      expect(JSON.parse(run.out)).toEqual({ user: 'operator', sessionsEnded: 2 });
      expect((await get(h.app, session, '/admin/schools')).status).toBe(303);
      await signIn(h.app, NEW_PASSWORD);
    }, 30_000);
  });
});
