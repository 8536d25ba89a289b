import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { ConfigError, loadConfig } from '../../../src/config';
import { startServer, type RunningServer } from '../../../src/server';
import { createLogger } from '../../../src/shared/logger';
import { queryRows } from '../../../src/storage';
import { freePort, runTs } from '../../support/process';
import { seededDataDir } from '../../support/data-dir';

/**
 * `npm start` opens the sandbox only where a newcomer is (embedded database, localhost, not
 * production) or where SANDBOX=on says so; off, nothing of it is mounted or listening. Its schools
 * are flagged, made once, and never take a real registration.
 */
const logger = createLogger({ level: 'silent' });

function configFor(dataDir: string, port: number, env: Record<string, string> = {}) {
  return loadConfig({
    DATA_DIR: dataDir,
    PORT: String(port),
    HOST: '127.0.0.1',
    PUBLIC_URL: `http://localhost:${port}`,
    LOG_LEVEL: 'silent',
    ...env,
  });
}

async function portIsOpen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => (socket.destroy(), resolve(true)));
    socket.once('error', () => resolve(false));
  });
}

describe('whether the sandbox runs (SANDBOX)', () => {
  const base = { PUBLIC_URL: 'http://localhost:3000', LOG_LEVEL: 'silent' };

  it('is on by default for a newcomer: embedded database, localhost PUBLIC_URL, not production', () => {
    expect(loadConfig(base).sandbox).toBe(true);
    expect(loadConfig({ ...base, PUBLIC_URL: 'http://127.0.0.1:4000' }).sandbox).toBe(true);
  });

  it('is off by default with DATABASE_URL, under NODE_ENV=production (start:prod, Docker) or a public URL', () => {
    const pg = {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      ENCRYPTION_KEY: 'a'.repeat(64),
    };
    expect(loadConfig({ ...base, ...pg }).sandbox).toBe(false);
    expect(loadConfig({ ...base, NODE_ENV: 'production' }).sandbox).toBe(false);
    expect(loadConfig({ ...base, PUBLIC_URL: 'https://zoom.example.edu' }).sandbox).toBe(false);
  });

  it('follows SANDBOX=on|off whatever the default (on is allowed with DATABASE_URL)', () => {
    const pg = {
      DATABASE_URL: 'postgres://postgres@127.0.0.1:5432/postgres',
      ENCRYPTION_KEY: 'a'.repeat(64),
    };
    expect(loadConfig({ ...base, SANDBOX: 'off' }).sandbox).toBe(false);
    expect(loadConfig({ ...base, ...pg, SANDBOX: 'on' }).sandbox).toBe(true);
    expect(loadConfig({ ...base, NODE_ENV: 'production', SANDBOX: 'on' }).sandbox).toBe(true);
  });

  it('a bad SANDBOX value is refused by name', () => {
    expect(() => loadConfig({ ...base, SANDBOX: 'yes' })).toThrow(ConfigError);
    expect(() => loadConfig({ ...base, SANDBOX: 'yes' })).toThrow(/SANDBOX: must be on or off/);
  });

  it('npm start with a bad SANDBOX value stops with exit code 78, naming SANDBOX', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-bad-'));
    const run = runTs('src/server.ts', [], {
      DATA_DIR: dataDir,
      SANDBOX: 'maybe',
      PORT: String(await freePort()),
    });
    expect(await run.exited).toBe(78);
    expect(run.output()).toMatch(/SANDBOX: must be on or off/);
    expect(fs.readdirSync(dataDir)).toEqual([]);
  }, 30_000);
});

describe('the server with the sandbox off', () => {
  let running: RunningServer;
  let dataDir: string;

  beforeAll(async () => {
    dataDir = await seededDataDir('sandbox-off-');
    running = await startServer(configFor(dataDir, await freePort(), { SANDBOX: 'off' }), logger);
  }, 60_000);
  afterAll(async () => {
    await running?.stop();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('/ is the product page with the LTI URLs an LMS admin needs', async () => {
    const home = await request(running.server).get('/');
    expect(home.status).toBe(200);
    expect(home.text).toContain('For LMS administrators: register the tool');
    const url = running.built.tenants
      ? `http://localhost:${(running.server.address() as net.AddressInfo).port}`
      : '';
    for (const endpoint of ['/lti/login', '/lti/launch', '/lti/keys', '/lti/canvas.json']) {
      expect(home.text).toContain(`${url}${endpoint}`);
    }
    expect(home.text).not.toMatch(/SANDBOX/);
  });

  it('every sandbox route answers 404, no sandbox school exists and nothing of it was started', async () => {
    for (const route of ['/sandbox', '/sandbox/', '/sandbox/assets/sandbox.css']) {
      expect((await request(running.server).get(route)).status).toBe(404);
    }
    expect(running.sandbox).toBeUndefined();
    expect(fs.existsSync(path.join(dataDir, 'sandbox'))).toBe(false);
    const rows = await queryRows<{ count: string | number }>(
      running.database.db,
      sql`select count(*) as count from schools`,
    );
    expect(Number(rows[0]?.count)).toBe(0);
  });
});

describe('the server with the sandbox on', () => {
  let dataDir: string;
  let port: number;

  beforeAll(async () => {
    dataDir = await seededDataDir('sandbox-on-');
    port = await freePort();
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  const registrationsOf = (running: RunningServer) =>
    queryRows<{ name: string; sandbox: boolean; issuer: string; client_id: string; login_url: string }>(
      running.database.db,
      sql`select s.name, s.sandbox, r.issuer, r.client_id, r.login_url from schools s join registrations r on r.school_id = s.id order by s.name`,
    );

  it('starts two flagged schools with their LMSs and Zoom, serves its home at /, and a restart reuses them', async () => {
    const first = await startServer(configFor(dataDir, port), logger);
    let firstRows;
    let zoomAccounts: string[];
    try {
      expect(first.sandbox).toBeDefined();
      const sandbox = first.sandbox!;
      const home = await request(first.server).get('/');
      expect(home.status).toBe(200);
      expect(home.text).toContain('<strong>SANDBOX</strong>');
      for (const school of sandbox.schools) {
        expect(home.text).toContain(school.spec.name);
        expect(home.text).toContain(
          school.lms.coursePageUrl(school.lms.users.instructor.id).replace(/&/g, '&amp;'),
        );
        expect(home.text).toContain(school.zoomAccount.adminEmail);
        expect(await portIsOpen(Number(new URL(school.lms.baseUrl).port))).toBe(true);
      }
      expect((await request(first.server).get('/sandbox')).status).toBe(200);
      expect((await request(first.server).get('/sandbox/assets/sandbox.css')).status).toBe(200);
      // The tool talks to the simulator, through the Marketplace app the sandbox made.
      expect(sandbox.config.zoom.apiUrl).toBe(`${sandbox.zoom.baseUrl}/v2`);
      expect(sandbox.config.zoom.oauthApp?.redirectUrl).toBe(`http://localhost:${port}/zoom/oauth/callback`);
      firstRows = await registrationsOf(first);
      expect(firstRows.map((row) => [row.name, row.sandbox])).toEqual([
        ['Sandbox Canvas school', true],
        ['Sandbox Moodle school', true],
      ]);
      zoomAccounts = sandbox.schools.map((school) => school.zoomAccount.accountId);
    } finally {
      await first.stop();
    }
    const second = await startServer(configFor(dataDir, port), logger);
    try {
      expect(await registrationsOf(second)).toEqual(firstRows);
      expect(second.sandbox!.schools.map((school) => school.zoomAccount.accountId)).toEqual(zoomAccounts);
      const settings = await queryRows<{ action: string }>(
        second.database.db,
        sql`select action from provisioning_settings`,
      );
      expect(settings.map((row) => row.action)).toEqual(['autoCreate', 'autoCreate']);
    } finally {
      await second.stop();
    }
  }, 90_000);

  it('when an LMS port is taken at the next start, its registration moves to the new port (still one per school)', async () => {
    const state = JSON.parse(fs.readFileSync(path.join(dataDir, 'sandbox', 'state.json'), 'utf8')) as {
      ports: Record<string, number>;
    };
    const blocker = net.createServer();
    await new Promise<void>((resolve) => blocker.listen(state.ports.moodle, '127.0.0.1', resolve));
    const running = await startServer(configFor(dataDir, port), logger);
    try {
      const rows = await registrationsOf(running);
      expect(rows).toHaveLength(2);
      const moodle = running.sandbox!.schools.find((school) => school.spec.key === 'moodle')!;
      expect(new URL(moodle.lms.baseUrl).port).not.toBe(String(state.ports.moodle));
      expect(rows.find((row) => row.name === 'Sandbox Moodle school')?.login_url).toBe(moodle.lms.authUrl);
    } finally {
      await running.stop();
      blocker.close();
    }
  }, 90_000);

  it('a real registration can never bind to a sandbox school, nor the sandbox to a real one', async () => {
    const running = await startServer(configFor(dataDir, port, { SANDBOX: 'off' }), logger);
    try {
      const platform = {
        issuer: 'https://moodle.real.example.edu',
        clientId: 'real-client',
        loginUrl: 'https://moodle.real.example.edu/mod/lti/auth.php',
        tokenUrl: 'https://moodle.real.example.edu/mod/lti/token.php',
        jwksUrl: 'https://moodle.real.example.edu/mod/lti/certs.php',
        deployments: ['1'],
      };
      await expect(
        running.built.tenants.addPlatform({ ...platform, school: 'Sandbox Moodle school' }),
      ).rejects.toMatchObject({ id: 'sandbox_school_name', status: 409 });
      await running.built.tenants.addPlatform({ ...platform, school: 'Real school' });
      await expect(
        running.built.tenants.addPlatform(
          { ...platform, clientId: 'other', school: 'Real school' },
          { sandbox: true },
        ),
      ).rejects.toMatchObject({ id: 'sandbox_school_name' });
      const rows = await registrationsOf(running);
      expect(
        rows
          .filter((row) => row.sandbox)
          .map((row) => row.issuer)
          .sort(),
      ).toEqual(['https://canvas.sandbox.example.edu', 'https://moodle.sandbox.example.edu']);
      expect(rows.filter((row) => !row.sandbox).map((row) => row.client_id)).toEqual(['real-client']);
    } finally {
      await running.stop();
    }
  }, 60_000);
});
