import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../src/cli';
import { runTs, startServerProcess } from '../../support/process';

/** The README's start command, as a newcomer runs it: nothing configured, embedded database. */
describe('booting the tool', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-lti-boot-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  function cli(args: string[]) {
    let out = '';
    let err = '';
    return runCli(args, {
      env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      io: { out: (text) => (out += text), err: (text) => (err += text) },
    }).then((code) => ({ code, out, err }));
  }

  it('with no configuration answers /healthz and /readyz within 30 s, sees registrations made while stopped, and keeps data across restarts', async () => {
    const first = await startServerProcess({ DATA_DIR: dataDir });
    expect(first.bootMs).toBeLessThan(30_000);
    expect(fs.existsSync(path.join(dataDir, 'encryption.key'))).toBe(true);
    const key = fs.readFileSync(path.join(dataDir, 'encryption.key'), 'utf8');

    // While the server holds the embedded database, the CLI hands its command to it (src/control).
    const listed = await cli(['platform', 'list']);
    expect(listed).toMatchObject({ code: 0, err: '' });
    expect(listed.out).toMatch(/No registrations yet/);
    expect(await first.stop()).toBe(0);

    const added = await cli([
      'platform',
      'add',
      '--issuer',
      'https://moodle.north.example',
      '--client-id',
      'north-client',
      '--login-url',
      'https://moodle.north.example/mod/lti/auth.php',
      '--token-url',
      'https://moodle.north.example/mod/lti/token.php',
      '--jwks-url',
      'https://moodle.north.example/mod/lti/certs.php',
      '--deployment',
      '1',
      '--school',
      'North High',
    ]);
    expect(added.code).toBe(0);

    // A restart sees the registration the CLI added while it was stopped.
    const server = await startServerProcess({ DATA_DIR: dataDir });
    const login = await fetch(
      `${server.url}/lti/login?iss=${encodeURIComponent('https://moodle.north.example')}&client_id=north-client&login_hint=2&target_link_uri=${encodeURIComponent('http://localhost:3000/lti/launch')}`,
      { redirect: 'manual' },
    );
    expect(login.status).toBe(302);
    expect(login.headers.get('location')).toMatch(/^https:\/\/moodle\.north\.example\/mod\/lti\/auth\.php\?/);
    // The login names its LMS, which may frame it; a page with no launch is framed by the tool only.
    expect(login.headers.get('content-security-policy')).toContain(
      "frame-ancestors 'self' https://moodle.north.example",
    );
    const csp = (await fetch(`${server.url}/healthz`)).headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/frame-ancestors 'self'(;|$)/);
    expect(await server.stop()).toBe(0);
    expect(fs.readFileSync(path.join(dataDir, 'encryption.key'), 'utf8')).toBe(key);
  }, 120_000);

  it('stops with a non-zero exit naming every bad variable', async () => {
    const run = runTs('src/server.ts', [], { PORT: 'not-a-port', PUBLIC_URL: 'nowhere', DATA_DIR: dataDir });
    const code = await run.exited;
    expect(code).not.toBe(0);
    expect(run.output()).toMatch(/PORT: /);
    expect(run.output()).toMatch(/PUBLIC_URL: /);
  }, 30_000);

  it('refuses to use DATABASE_URL without ENCRYPTION_KEY', async () => {
    const run = runTs('src/server.ts', [], { DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres' });
    expect(await run.exited).not.toBe(0);
    expect(run.output()).toMatch(/ENCRYPTION_KEY: is required when DATABASE_URL is set/);
  }, 30_000);
});
