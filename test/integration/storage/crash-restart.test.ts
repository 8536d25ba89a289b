import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { openDatabase, queryRows } from '../../../src/storage';
import { lockDataDir } from '../../../src/storage/storage.lock';
import {
  cli,
  INSTRUCTOR,
  LEARNER,
  launchOverHttp,
  postForm,
  stack,
  startTool,
  type Stack,
  type ToolProcess,
} from '../../support/crash-load';
import { databaseKinds } from '../../support/db';
import { runTs, waitFor, type ChildRun } from '../../support/process';

/**
 * Issue 9, item 5: a server killed outright (kill -9, the OOM killer, a power cut) and started
 * again at once by its supervisor must come up, quickly, with everything it had committed.
 */

const READY_LIMIT_MS = 15_000;
/** The course page of an instructor whose Zoom user is recorded (read back from the database). */
const PROVISIONED = /Your Zoom account is ready|Activate your Zoom account/;

/** The JSON line a lock racer printed, once it printed one. */
async function verdictOf(racer: ChildRun): Promise<{ won: boolean; id?: string; detail?: string }> {
  await waitFor(
    async () => /^\{.*\}$/m.test(racer.output()),
    60_000,
    `a lock racer to answer:\n${racer.output()}`,
  );
  return JSON.parse(/^\{.*\}$/m.exec(racer.output())?.[0] ?? '{}');
}

async function killed(run: ChildRun): Promise<void> {
  if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  await run.exited;
}

describe('the embedded database lock of a process killed with SIGKILL', () => {
  let dataDir: string;
  const racers: ChildRun[] = [];
  beforeEach(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-lti-crash-lock-'));
  });
  afterEach(async () => {
    for (const racer of racers.splice(0)) await killed(racer);
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  function racer(startAt = 0): ChildRun {
    const run = runTs('test/support/crash-lock-racer.ts', [], {
      DATA_DIR: dataDir,
      START_AT: String(startAt),
    });
    racers.push(run);
    return run;
  }

  // Staleness is an hour away in these tests: a takeover is decided by asking about the holder.
  const HOUR = { staleMs: 60 * 60_000 };

  it('is refused while its holder runs, naming the directory, and taken over at once after the kill', async () => {
    const holder = racer();
    expect(await verdictOf(holder)).toEqual({ won: true });
    await expect(lockDataDir(dataDir, HOUR)).rejects.toMatchObject({
      id: 'database_in_use',
      detail: expect.stringContaining(
        `The embedded database in ${dataDir} is held by another running process`,
      ),
    });

    await killed(holder);
    const release = await lockDataDir(dataDir, HOUR);
    expect(JSON.parse(fs.readFileSync(path.join(dataDir, '.lock'), 'utf8'))).toMatchObject({
      pid: process.pid,
    });
    await release();
  }, 90_000);

  it('goes to exactly one of several processes restarting at the same moment', async () => {
    for (let round = 0; round < 2; round += 1) {
      const dead = racer();
      expect(await verdictOf(dead)).toEqual({ won: true });
      await killed(dead);
      const startAt = Date.now() + 6_000;
      const contenders = Array.from({ length: 4 }, () => racer(startAt));
      const verdicts = await Promise.all(contenders.map(verdictOf));
      expect(verdicts.filter((verdict) => verdict.won)).toHaveLength(1);
      for (const lost of verdicts.filter((verdict) => !verdict.won)) {
        expect(lost).toMatchObject({ id: 'database_in_use', detail: expect.stringContaining(dataDir) });
      }
      const winner = contenders[verdicts.findIndex((verdict) => verdict.won)] as ChildRun;
      const held = JSON.parse(fs.readFileSync(path.join(dataDir, '.lock'), 'utf8')) as { pid: number };
      expect(held.pid).toBe(winner.child.pid);
      for (const contender of contenders) await killed(contender);
    }
  }, 180_000);
});

describe.each(databaseKinds())('the server killed with SIGKILL under load, on %s', (kind) => {
  let s: Stack;
  let server: ToolProcess | undefined;
  beforeAll(async () => {
    s = await stack(kind);
  });
  afterAll(async () => {
    if (server) await killed(server);
    await s.cleanup();
  });

  it('is ready again within 15 s of an immediate restart, with every committed registration, token and Zoom user', async () => {
    const { lms, env, toolUrl } = s;
    // Registrations, made by the operator before the first start.
    const registered = [
      ['--issuer', lms.issuer, '--client-id', lms.clientId, '--login-url', lms.authUrl],
      ['--token-url', lms.tokenUrl, '--jwks-url', lms.jwksUrl, '--deployment', lms.deploymentId],
      ['--school', 'Crash School'],
    ].flat();
    expect((await cli(env, 'platform', 'add', ...registered)).code).toBe(0);
    const other = ['--issuer', 'https://canvas.other.example', '--client-id', 'other-1'];
    const otherUrls = [
      '--login-url',
      'https://canvas.other.example/login',
      '--token-url',
      'https://canvas.other.example/token',
    ];
    const otherRest = [
      '--jwks-url',
      'https://canvas.other.example/jwks',
      '--deployment',
      '9',
      '--school',
      'Other School',
    ];
    expect((await cli(env, 'platform', 'add', ...other, ...otherUrls, ...otherRest)).code).toBe(0);

    server = await startTool(s.port, env, 90_000);

    // The school's Zoom connection (S2S: sealed client secret and access token), through the admin page.
    const s2s = await s.zoom.createApp({ kind: 's2s', account_id: s.account.account_id });
    const admin = await launchOverHttp(toolUrl, lms, lms.users.admin.id);
    const adminPage = await fetch(`${toolUrl}/lti/zoom?ltik=${encodeURIComponent(admin.ltik)}`);
    const csrf = /name="csrf" value="([^"]+)"/.exec(await adminPage.text())?.[1] ?? '';
    const connected = await postForm(`${toolUrl}/lti/zoom/s2s`, {
      ltik: admin.ltik,
      csrf,
      accountId: s.account.account_id,
      clientId: s2s.client_id,
      clientSecret: s2s.client_secret,
    });
    expect(connected.status).toBe(303);

    // Under load: learners and instructors launching, instructors being given Zoom users.
    const people = Array.from({ length: 400 }, (_, i) => {
      const teacher = i % 3 === 0;
      const id = `${teacher ? 'teacher' : 'learner'}-${i}`;
      lms.addUser({
        id,
        givenName: teacher ? 'Teacher' : 'Learner',
        familyName: String(i),
        name: `${id}`,
        email: `${id}@crash.example.edu`,
        roles: [teacher ? INSTRUCTOR : LEARNER],
      });
      return { id, teacher };
    });
    const provisioned: string[] = [];
    let next = 0;
    let completed = 0;
    let inFlight = 0;
    let loading = true;
    const worker = async () => {
      while (loading && next < people.length) {
        const person = people[next++] as { id: string; teacher: boolean };
        inFlight += 1;
        try {
          const launch = await launchOverHttp(toolUrl, lms, person.id);
          // Only what the server answered before the kill counts as committed.
          if (loading && launch.status === 200) {
            completed += 1;
            if (person.teacher && PROVISIONED.test(launch.html)) provisioned.push(person.id);
          }
        } catch {
          // In flight when the server was killed.
        } finally {
          inFlight -= 1;
        }
      }
    };
    const workers = Array.from({ length: 6 }, () => worker());
    await waitFor(async () => provisioned.length >= 4 && completed >= 12, 120_000, 'launches under load');
    await waitFor(async () => inFlight >= 3, 30_000, 'launches in flight');

    const inFlightAtKill = inFlight;
    loading = false;
    server.child.kill('SIGKILL');
    await server.exited;
    expect(server.child.signalCode).toBe('SIGKILL');
    const committed = [...provisioned];
    expect(inFlightAtKill).toBeGreaterThanOrEqual(3);

    // The supervisor starts it again at once.
    server = await startTool(s.port, env, 60_000);
    expect(server.readyMs).toBeLessThan(READY_LIMIT_MS);
    await Promise.all(workers);

    // It serves: a learner launches, a provisioned instructor finds their Zoom user without a new one.
    const usersBefore = s.zoom.users(s.account.account_id).length;
    expect((await launchOverHttp(toolUrl, lms, 'learner-1')).status).toBe(200);
    const again = await launchOverHttp(toolUrl, lms, committed[0] as string);
    expect(again.html).toMatch(PROVISIONED);
    expect(s.zoom.users(s.account.account_id).length).toBe(usersBefore);

    if (kind === 'pglite') {
      // The embedded database is single-process: stop the server to read it.
      server.child.kill('SIGTERM');
      expect(await server.exited).toBe(0);
      server = undefined;
    }
    const listed = await cli(env, 'platform', 'list', '--json');
    expect(listed.code).toBe(0);
    const platforms = JSON.parse(listed.out) as { issuer: string; clientId: string; deployments: string[] }[];
    expect(
      platforms.map((platform) => [platform.issuer, platform.clientId, platform.deployments]).sort(),
    ).toEqual(
      [
        [lms.issuer, lms.clientId, [lms.deploymentId]],
        ['https://canvas.other.example', 'other-1', ['9']],
      ].sort(),
    );

    const database = await openDatabase(s.target);
    try {
      const connections = await queryRows<Record<string, unknown>>(
        database.db,
        sql`select kind, status, zoom_account_id, access_token_sealed, s2s_client_id, s2s_client_secret_sealed from zoom_connections`,
      );
      expect(connections).toEqual([
        expect.objectContaining({
          kind: 's2s',
          status: 'connected',
          zoom_account_id: s.account.account_id,
          s2s_client_id: s2s.client_id,
          access_token_sealed: expect.any(String),
          s2s_client_secret_sealed: expect.any(String),
        }),
      ]);
      expect(String(connections[0]?.s2s_client_secret_sealed)).not.toContain(s2s.client_secret);

      const users = await queryRows<{ lms_user_id: string; status: string; zoom_user_id: string | null }>(
        database.db,
        sql`select lms_user_id, status, zoom_user_id from zoom_users where status in ('active', 'pending')`,
      );
      const recorded = new Map(users.map((user) => [user.lms_user_id, user]));
      const zoomIds = new Set(s.zoom.users(s.account.account_id).map((user) => user.id));
      for (const id of committed) {
        expect(recorded.get(id)).toMatchObject({ lms_user_id: id, zoom_user_id: expect.any(String) });
        expect(zoomIds.has(String(recorded.get(id)?.zoom_user_id))).toBe(true);
      }
    } finally {
      await database.close();
    }
  }, 300_000);
});
