import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { cliProcess, logLines, startToolProcess, type ToolProcess } from '../../support/cli-process';
import { createPostgresDatabase } from '../../support/db';

const postgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

/**
 * On PostgreSQL the CLI opens the database itself beside the running server (no control socket):
 * what it writes, the server sees.
 */
postgres('the operator CLI beside a running server on PostgreSQL', () => {
  let dataDir: string;
  let drop: () => Promise<void>;
  let server: ToolProcess;
  let env: NodeJS.ProcessEnv;

  beforeAll(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-lti-ctl-pg-'));
    const created = await createPostgresDatabase();
    drop = created.drop;
    const shared = {
      DATA_DIR: dataDir,
      DATABASE_URL: created.url,
      ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex'),
    };
    // SANDBOX unset: on PostgreSQL the sandbox is off by default (the spawn helper would turn it off).
    server = await startToolProcess({ ...shared, SANDBOX: undefined });
    env = { ...shared, PUBLIC_URL: server.url, LOG_LEVEL: 'silent' };
  }, 90_000);
  afterAll(async () => {
    await server?.stop();
    await drop?.();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('runs without the sandbox: its routes answer 404 and / is the product page', async () => {
    for (const route of ['/sandbox', '/sandbox/assets/sandbox.css']) {
      expect((await fetch(`${server.url}${route}`)).status).toBe(404);
    }
    const home = await fetch(server.url);
    expect(home.status).toBe(200);
    expect(await home.text()).toContain('For LMS administrators: register the tool');
  });

  it('school invite and platform add, list and remove work while it runs', async () => {
    const invite = await cliProcess(env, 'school', 'invite', '--school', 'PG High', '--json');
    expect(invite).toMatchObject({ code: 0, err: '' });
    const page = await fetch(JSON.parse(invite.out).registrationUrl, { headers: { accept: 'text/html' } });
    expect(page.status).toBe(400);
    expect(await page.text()).toMatch(/paste it there/);

    const urls = ['login', 'token', 'jwks'].flatMap((name) => [
      `--${name}-url`,
      `https://lms.pg.example/${name}`,
    ]);
    const added = await cliProcess(
      env,
      ...['platform', 'add', '--issuer', 'https://lms.pg.example', '--client-id', 'pg-1', ...urls],
      ...['--deployment', '1', '--school', 'PG High'],
    );
    expect(added).toMatchObject({ code: 0, err: '' });
    const registration = JSON.parse(added.out) as { id: string };
    const listed = await cliProcess(env, 'platform', 'list', '--json');
    expect(JSON.parse(listed.out)).toEqual([registration]);
    const removed = await cliProcess(env, 'platform', 'remove', '--id', registration.id);
    expect(removed.code).toBe(0);

    expect(fs.existsSync(path.join(dataDir, 'control.sock'))).toBe(false);
    expect(logLines(server.output(), 'control')).toEqual([]);
  }, 60_000);
});
