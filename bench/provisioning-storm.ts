/* eslint-disable no-console */
/**
 * The first day of term: N distinct instructors (default 300) launch the tool at once against a
 * Pro Zoom account (the Zoom simulator, in its own process, with Zoom's rate limits). Every launch
 * must reach the course page, nobody may see a 429, every instructor must end up with a Zoom user,
 * and the run must take at most 1.2× the time Zoom's limits allow for the requests it needed
 * (the baseline is computed from the same run's request count).
 *
 *   npm run bench:provisioning -- [instructors=300] [arrival seconds=10]
 */
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../src/storage';
import { createLtiHarness } from '../test/support/lti-harness';
import { freePort, runTs, waitFor } from '../test/support/process';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
const PRO_LIGHT_PER_SECOND = 30; // ZOOM-NOTES "Rate limits": user lookups and creates are Light

async function main(): Promise<void> {
  const count = Number(process.argv[2] ?? 300);
  const arrival = Number(process.argv[3] ?? 10);
  if (!(arrival <= 60)) throw new Error('instructors launch within 60 s: arrival must be at most 60');
  const port = await freePort();
  const zoomUrl = `http://127.0.0.1:${port}`;
  const sim = runTs('src/sandbox/zoom/zoom-sim.main.ts', ['--port', String(port)], {});
  const control = async <T>(method: string, path: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${zoomUrl}/_sim${path}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    return (text ? JSON.parse(text) : undefined) as T;
  };
  try {
    await waitFor(async () => (await fetch(`${zoomUrl}/_sim/clock`)).ok, 30_000, 'the Zoom simulator');
    const account = await control<{ account_id: string }>('POST', '/accounts', {
      plan: 'pro',
      licensed_seats: count + 10,
    });
    const s2s = await control<{ client_id: string; client_secret: string }>('POST', '/apps', {
      kind: 's2s',
      account_id: account.account_id,
    });
    // A deployment serving many schools runs on PostgreSQL (PGlite executes SQL on the event loop,
    // which is for the single-process embedded default): BENCH_DB=pglite measures that instead.
    const databaseKind = process.env.BENCH_DB === 'pglite' ? 'pglite' : 'postgres';
    process.env.TEST_DATABASE_URL ??= 'postgres://postgres@127.0.0.1:5432/postgres';
    const h = await createLtiHarness({
      profile: 'moodle',
      databaseKind,
      env: { ZOOM_OAUTH_URL: zoomUrl, ZOOM_API_URL: `${zoomUrl}/v2`, ZOOM_DEFAULT_PLAN: 'pro' },
    });
    try {
      const admin = (await h.launch(h.lms.users.admin.id)).ltik;
      const connected = await request(h.app).post('/lti/zoom/s2s').type('form').send({
        ltik: admin,
        accountId: account.account_id,
        clientId: s2s.client_id,
        clientSecret: s2s.client_secret,
      });
      if (connected.status !== 303) throw new Error(`S2S connect answered ${connected.status}`);
      const ids = Array.from({ length: count }, (_, i) => `term-${i}`);
      for (const id of ids) {
        h.lms.addUser({
          id,
          givenName: 'Term',
          familyName: id,
          name: `Term ${id}`,
          email: `${id}@school.example.edu`,
          roles: [INSTRUCTOR],
        });
      }
      await control('DELETE', '/requests');

      // Instructors arrive evenly over `arrival` seconds (default 10: 30 launches a second, twice
      // what Zoom's limit can provision, so the limit binds); 0 = all in the same instant.
      const started = Date.now();
      const launches = await Promise.allSettled(
        ids.map(async (id, i) => {
          await new Promise((resolve) => setTimeout(resolve, (i * arrival * 1000) / count));
          return h.launch(id);
        }),
      );
      const launchesDone = Date.now();
      const failed = launches.filter(
        (launch) => launch.status === 'rejected' || launch.value.course.status !== 200,
      );
      const shown429 = launches.filter(
        (launch) =>
          launch.status === 'fulfilled' && /429|Too Many Requests|rate limit/i.test(launch.value.course.text),
      );
      // Provisioning that did not fit in a launch's wait finishes in the background.
      let finished = Date.now();
      for (;;) {
        const [row] = await queryRows<{ done: string | number }>(
          h.database.db,
          sql`select count(*) as done from zoom_users where lms_user_id like 'term-%' and status in ('pending', 'active')`,
        );
        if (Number(row?.done) >= count) {
          finished = Date.now();
          break;
        }
        if (Date.now() - started > 10 * 60_000) throw new Error('provisioning did not finish in 10 minutes');
        await new Promise((resolve) => setTimeout(resolve, 100));
      }
      const state = await control<{ users: { email: string }[] }>('GET', `/accounts/${account.account_id}`);
      const users = state.users.filter((user) => user.email.startsWith('term-')).length;
      const log = await control<
        { path: string; status: number | null }[] | { requests: { path: string; status: number | null }[] }
      >('GET', `/requests?account_id=${account.account_id}`);
      const entries = (Array.isArray(log) ? log : log.requests).filter((entry) =>
        entry.path.startsWith('/v2/'),
      );
      if (process.env.BENCH_TIMELINE) {
        const perSecond = new Map<number, number>();
        for (const entry of entries as unknown as { at: string }[]) {
          const second = Math.floor((Date.parse(entry.at) - started) / 1000);
          perSecond.set(second, (perSecond.get(second) ?? 0) + 1);
        }
        console.log(
          'zoom requests per second since start:',
          JSON.stringify([...perSecond.entries()].sort((a, b) => a[0] - b[0])),
        );
      }
      const throttled = entries.filter((entry) => entry.status === 429).length;
      const served = entries.length - throttled;
      const allowedSeconds = served / PRO_LIGHT_PER_SECOND;
      const tookSeconds = (finished - started) / 1000;
      const ratio = tookSeconds / allowedSeconds;
      console.log(
        JSON.stringify(
          {
            instructors: count,
            arrivalSeconds: arrival,
            database: databaseKind,
            zoomUsersCreated: users,
            failedLaunches: failed.length,
            launchesShowing429: shown429.length,
            allLaunchesAnsweredWithinSeconds: (launchesDone - started) / 1000,
            zoomApiRequests: served,
            zoom429Answers: throttled,
            secondsTheLimitsAllow: Number(allowedSeconds.toFixed(2)),
            secondsTaken: Number(tookSeconds.toFixed(2)),
            ratio: Number(ratio.toFixed(3)),
          },
          null,
          2,
        ),
      );
      const ok = users === count && failed.length === 0 && shown429.length === 0 && ratio <= 1.2;
      console.log(
        ok ? 'PASS: within 1.2× of what the rate limits allow; no failed launch; no 429 shown' : 'FAIL',
      );
      process.exitCode = ok ? 0 : 1;
    } finally {
      await h.close();
    }
  } finally {
    sim.child.kill('SIGTERM');
  }
}

void main();
