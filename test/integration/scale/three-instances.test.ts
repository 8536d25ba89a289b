import request from 'supertest';
import { sql } from 'drizzle-orm';
import { LMS_ROLES } from '../../../src/sandbox/lms';
import type { RequestLogEntry } from '../../../src/sandbox/zoom';
import { TEST_MASTER_KEY } from '../../support/db';
import { startServerProcess, waitFor, type ServerProcess } from '../../support/process';
import { startRoundRobinProxy, type RoundRobinProxy } from '../../support/round-robin-proxy';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

/**
 * Three processes of the tool on one PostgreSQL behind a round-robin proxy (the proxy's URL is
 * their PUBLIC_URL), with the LMS emulator and the Zoom simulator, on a Free Zoom account (Light:
 * 4 requests a second). Runs when TEST_DATABASE_URL is set (CI sets it); PGlite cannot be shared
 * between processes.
 */
const postgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;
if (!process.env.TEST_DATABASE_URL) {
  process.stderr.write(
    'three-instances.test: TEST_DATABASE_URL is not set; several instances on one database are not exercised\n',
  );
}

const INSTANCES = 3;
/** Zoom's Light limit of a Free account, per second (the simulator enforces it, in 1 s windows). */
const FREE_LIGHT_PER_SECOND = 4;

interface Login {
  cookie: string;
  location: string;
}

postgres('three instances of the tool on one database', () => {
  let h: ZoomHarness;
  let proxy: RoundRobinProxy;
  const instances: ServerProcess[] = [];

  beforeAll(async () => {
    h = await createZoomHarness({
      databaseKind: 'postgres',
      plan: 'free',
      env: { ZOOM_DEFAULT_PLAN: 'free' },
    });
    // Connected once, through the harness's own app (an instance that takes no part afterwards).
    expect((await h.connectOAuth()).status).toBe(200);
    // A Free account has no paid seats: the school creates Basic users (one POST per person).
    await h.database.db.execute(
      sql`insert into provisioning_settings (school_id, licence)
          select id, 'basic' from schools where name = 'moodle school'
          on conflict (school_id) do update set licence = 'basic'`,
    );
    proxy = await startRoundRobinProxy();
    const env = {
      DATABASE_URL: String(h.database.url),
      ENCRYPTION_KEY: TEST_MASTER_KEY.toString('hex'),
      PUBLIC_URL: proxy.url,
      ZOOM_CLIENT_ID: h.app_.client_id,
      ZOOM_CLIENT_SECRET: h.app_.client_secret,
      ZOOM_WEBHOOK_SECRET_TOKEN: h.app_.webhook_secret_token,
      ZOOM_OAUTH_URL: h.zoom.baseUrl,
      ZOOM_API_URL: `${h.zoom.baseUrl}/v2`,
      ZOOM_DEFAULT_PLAN: 'free',
      LOG_LEVEL: 'warn',
    };
    const started = await Promise.allSettled(
      Array.from({ length: INSTANCES }, () => startServerProcess(env, 90_000)),
    );
    for (const outcome of started) if (outcome.status === 'fulfilled') instances.push(outcome.value);
    const failed = started.find((outcome) => outcome.status === 'rejected');
    if (failed) throw (failed as PromiseRejectedResult).reason;
    proxy.setTargets(instances.map((instance) => instance.url));
    h.lms.setTool({
      loginUrl: `${proxy.url}/lti/login`,
      launchUrl: `${proxy.url}/lti/launch`,
      jwksUrl: `${proxy.url}/lti/keys`,
    });
  }, 180_000);

  afterAll(async () => {
    const codes = await Promise.all(instances.map((instance) => instance.stop()));
    await proxy?.close();
    await h?.close();
    expect(codes.every((code) => code === 0)).toBe(true);
  }, 60_000);

  beforeEach(() => {
    proxy.clearLog();
    h.zoom.clearRequests();
  });

  async function login(userId: string): Promise<Login> {
    const answer = await request(proxy.url)
      .post('/lti/login')
      .type('form')
      .send(h.lms.loginInitiation(userId));
    if (answer.status !== 302)
      throw new Error(`login answered ${answer.status}: ${answer.text.slice(0, 300)}`);
    const setCookie = ([] as string[]).concat(answer.headers['set-cookie'] ?? []);
    return { cookie: (setCookie[0] ?? '').split(';')[0] ?? '', location: String(answer.headers.location) };
  }

  /** The LMS answers the login; the id token is posted to the tool; its 303 is followed to the course page. */
  async function finish(started: Login): Promise<request.Response> {
    const { fields } = await h.lms.authorize(started.location);
    const posted = await request(proxy.url)
      .post('/lti/launch')
      .type('form')
      .accept('html')
      .set('Cookie', started.cookie)
      .send({ id_token: fields.id_token, state: fields.state });
    if (posted.status !== 303)
      throw new Error(`launch answered ${posted.status}: ${posted.text.slice(0, 300)}`);
    return request(proxy.url).get(String(posted.headers.location)).accept('html');
  }

  /** All logins at once, then all launches at once: each round goes round the three instances. */
  async function launchTogether(userIds: string[]): Promise<request.Response[]> {
    const logins = await Promise.all(userIds.map((userId) => login(userId)));
    return Promise.all(logins.map((started) => finish(started)));
  }

  function addInstructors(prefix: string, count: number): { id: string; email: string }[] {
    return Array.from({ length: count }, (_v, i) => {
      const user = {
        id: `${prefix}-${i}`,
        givenName: 'Scale',
        familyName: `${prefix} ${i}`,
        name: `Scale ${prefix} ${i}`,
        email: `${prefix}.${i}@school.example.edu`,
        roles: [LMS_ROLES.membershipInstructor],
      };
      h.lms.addUser(user);
      return user;
    });
  }

  const instancesAnswering = (method: string, path: string) =>
    new Set(
      proxy
        .log()
        .filter((entry) => entry.method === method && entry.path === path)
        .map((entry) => entry.instance),
    );

  const zoomUsersWith = (emails: string[]) =>
    h.zoom.users(h.account.account_id).filter((user) => emails.includes(user.email));

  it('a login started on one instance finishes on another and lands on the course page', async () => {
    const learner = h.lms.users.learner;
    const started = await login(learner.id);
    const course = await finish(started);
    expect(course.status).toBe(200);
    expect(course.text).toMatch(/as <strong>Student<\/strong>/);
    expect(course.text).toContain(h.lms.course.title);
    const steps = proxy.log();
    const at = (method: string, path: string) =>
      steps.find((entry) => entry.method === method && entry.path === path);
    const loginStep = at('POST', '/lti/login');
    const launchStep = at('POST', '/lti/launch');
    const pageStep = at('GET', '/lti/course');
    expect([loginStep?.status, launchStep?.status, pageStep?.status]).toEqual([302, 303, 200]);
    expect(new Set([loginStep?.instance, launchStep?.instance, pageStep?.instance]).size).toBe(3);
  }, 60_000);

  it('when the same new instructor launches through all three instances at once, one Zoom user is created', async () => {
    const [teacher] = addInstructors('same-teacher', 1);
    if (!teacher) throw new Error('no instructor');
    const pages = await launchTogether(Array.from({ length: 6 }, () => teacher.id));
    expect(pages.map((page) => page.status)).toEqual(Array(6).fill(200));
    expect(instancesAnswering('POST', '/lti/launch').size).toBe(3);
    await waitFor(async () => zoomUsersWith([teacher.email]).length > 0, 30_000, 'the Zoom user');
    expect(h.zoom.requests({ method: 'POST', path: '/v2/users' }).filter(isUsersCreate)).toHaveLength(1);
    expect(zoomUsersWith([teacher.email])).toHaveLength(1);
  }, 90_000);

  it('when the access token has expired, instructors launching on all three instances cause exactly one refresh', async () => {
    // Expired for Zoom and for the tool: every instance's next Zoom call needs a new token.
    await h.zoom.advanceClock(3700);
    await h.database.db.execute(
      sql`update zoom_connections set access_token_expires_at = now() - interval '1 second'`,
    );
    h.zoom.clearRequests();
    const teachers = addInstructors('refresh-teacher', 6);
    const pages = await launchTogether(teachers.map((teacher) => teacher.id));
    expect(pages.map((page) => page.status)).toEqual(Array(6).fill(200));
    expect(instancesAnswering('POST', '/lti/launch').size).toBe(3);
    const emails = teachers.map((teacher) => teacher.email);
    await waitFor(async () => zoomUsersWith(emails).length === emails.length, 60_000, 'the Zoom users');
    expect(h.zoom.requests({ path: '/oauth/token' }).map((entry) => entry.grant_type)).toEqual([
      'refresh_token',
    ]);
    const api = h.zoom.requests({ path: '/v2/' });
    expect(api.length).toBeGreaterThanOrEqual(emails.length);
    expect(api.filter((entry) => entry.status === 401)).toEqual([]);
  }, 120_000);

  it("when 36 instructors launch for the first time across the instances, together they stay under the account's rate limit", async () => {
    const teachers = addInstructors('burst-teacher', 36);
    const emails = teachers.map((teacher) => teacher.email);
    const pages = await launchTogether(teachers.map((teacher) => teacher.id));
    expect(pages.map((page) => page.status)).toEqual(Array(36).fill(200));
    expect(instancesAnswering('POST', '/lti/launch').size).toBe(3);
    await waitFor(async () => zoomUsersWith(emails).length === emails.length, 120_000, 'the Zoom users');
    const api = h.zoom.requests({ path: '/v2/' });
    const light = api.filter(isUserCall);
    // At least a create for each instructor (and a lookup by email when provisioning asks first).
    expect(light.length).toBeGreaterThanOrEqual(emails.length);
    // Shared pacing: the three instances together send at the account's rate, not three times it,
    // so their requests span at least what that rate allows (three pacers of their own: a third).
    const times = light.map((entry) => Date.parse(entry.at)).sort((a, b) => a - b);
    const spanMs = (times.at(-1) ?? 0) - (times[0] ?? 0);
    expect(spanMs).toBeGreaterThanOrEqual(((times.length - 1) / FREE_LIGHT_PER_SECOND) * 1000 * 0.9);
    // At 95% of the limit the slots leave ~50 ms of slack per second: on a loaded machine a late
    // arrival can now and then put a fifth request into one second. Zoom's 429 then pauses every
    // instance and the request is sent again (the users below all exist). Unshared pacing would be
    // refused dozens of times.
    expect(api.filter((entry) => entry.status === 429).length).toBeLessThanOrEqual(2);
    expect(busiestSecond(light.filter((entry) => entry.status !== 429))).toBeLessThanOrEqual(
      FREE_LIGHT_PER_SECOND,
    );
    expect(zoomUsersWith(emails)).toHaveLength(emails.length);
  }, 240_000);
});

/** `POST /v2/users` itself (not a sub-resource of a user). */
function isUsersCreate(entry: RequestLogEntry): boolean {
  return entry.method === 'POST' && entry.path === '/v2/users';
}

/** Zoom's Light user calls: get, create and update a user (`/v2/users` and `/v2/users/{id}`). */
function isUserCall(entry: RequestLogEntry): boolean {
  return /^\/v2\/users(\/[^/]+)?$/.test(entry.path);
}

/** The most requests the simulator counted in one of its 1-second windows (simulated clock). */
function busiestSecond(entries: RequestLogEntry[]): number {
  const perWindow = new Map<number, number>();
  for (const entry of entries) {
    const window = Math.floor(Date.parse(entry.at) / 1000);
    perWindow.set(window, (perWindow.get(window) ?? 0) + 1);
  }
  return Math.max(0, ...perWindow.values());
}
