import { PGlite } from '@electric-sql/pglite';
import ejs from 'ejs';
import pg from 'pg';
import request from 'supertest';
import { buildApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/shared/logger';
import { databaseKinds, TEST_MASTER_KEY } from '../../support/db';
import { createLtiHarness, TOOL_URL, type LtiHarness } from '../../support/lti-harness';

/**
 * A whole class launches at once at the start of every lesson, so a student's launch (login,
 * launch, course page) must cost little: the LMS's keys are fetched once and kept, nothing ltijs
 * only needs within the request goes to the database, and the sessions it writes and reads are one
 * statement each. These tests fail when a launch starts costing more again.
 */

/** Statements sent to the database while `work` runs (either driver). */
async function statementsDuring(work: () => Promise<void>): Promise<string[]> {
  const seen: string[] = [];
  const pgQuery = pg.Client.prototype.query;
  const pgliteQuery = PGlite.prototype.query;
  const pgliteTransaction = PGlite.prototype.transaction;
  const record = (query: unknown) =>
    seen.push(typeof query === 'string' ? query : String((query as { text?: unknown })?.text ?? query));
  pg.Client.prototype.query = function (this: pg.Client, ...args: unknown[]) {
    record(args[0]);
    return (pgQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pgQuery;
  PGlite.prototype.query = function (this: PGlite, ...args: unknown[]) {
    record(args[0]);
    return (pgliteQuery as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pgliteQuery;
  PGlite.prototype.transaction = function (this: PGlite, ...args: unknown[]) {
    record('begin (transaction)');
    return (pgliteTransaction as (...a: unknown[]) => unknown).apply(this, args);
  } as typeof pgliteTransaction;
  try {
    await work();
  } finally {
    pg.Client.prototype.query = pgQuery;
    PGlite.prototype.query = pgliteQuery;
    PGlite.prototype.transaction = pgliteTransaction;
  }
  return seen;
}

describe.each(databaseKinds())('a student launch on %s', (kind) => {
  let h: LtiHarness;
  const jwksFetches = () =>
    h.lms.requestLog.filter((entry) => entry.path === new URL(h.lms.jwksUrl).pathname).length;

  beforeAll(async () => {
    h = await createLtiHarness({ profile: 'moodle', databaseKind: kind });
  });
  afterAll(() => h.close());

  it('fetches the LMS’s keys once and keeps them for later launches', async () => {
    const before = jwksFetches();
    for (let i = 0; i < 3; i += 1) {
      const { course } = await h.launch(h.lms.users.learner.id);
      expect(course.status).toBe(200);
    }
    expect(jwksFetches() - before).toBeLessThanOrEqual(1);
  });

  it('sends 4 statements to the database, in no transaction, from login to course page, when a classmate just launched', async () => {
    await h.launch(h.lms.users.learner.id);
    const statements = await statementsDuring(async () => {
      const { course } = await h.launch(h.lms.users.learner.id);
      expect(course.status).toBe(200);
    });
    // The job runner's poll for due jobs runs on its own timer and may land inside the launch on a
    // busy machine: it is not the launch's. Any other statement is.
    const launch = statements.filter((text) => !/^\s*update background_jobs\s+set lease_owner/i.test(text));
    expect(launch.filter((text) => /^\s*begin/i.test(text))).toEqual([]);
    // The login state written and taken, ltijs' two sessions written; the course's meetings were
    // read by the classmate a moment ago and the sessions just written are kept in memory.
    expect(launch).toHaveLength(4);
  });

  it('renders the course page from templates compiled once (no template read per launch)', async () => {
    await h.launch(h.lms.users.learner.id);
    const loader = ejs.fileLoader;
    let reads = 0;
    ejs.fileLoader = (file) => {
      reads += 1;
      return loader(file);
    };
    try {
      const { course } = await h.launch(h.lms.users.learner.id);
      expect(course.status).toBe(200);
    } finally {
      ejs.fileLoader = loader;
    }
    expect(reads).toBe(0);
  });

  it('picks up a key the LMS rotated to, with one more fetch', async () => {
    await h.launch(h.lms.users.learner.id);
    await h.lms.rotateKey();
    // A key set is fetched again for an unknown kid at most once a second.
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    const before = jwksFetches();
    const { course } = await h.launch(h.lms.users.learner.id);
    expect(course.status).toBe(200);
    expect(jwksFetches() - before).toBe(1);
  });

  it('refuses a token signed with a kid the LMS does not publish, saying so', async () => {
    const { login, idToken, state } = await h.authorize(h.lms.users.learner.id, undefined, {
      sign: 'unknown-kid',
    });
    const refused = await h.postLaunch({ id_token: idToken, state }, login.cookie);
    expect(refused.status).toBe(401);
    expect(refused.text).toMatch(/key \(kid\) the LMS does not publish/);
  });
});

describe.each(databaseKinds())('two instances on one %s database', (kind) => {
  let h: LtiHarness;
  let other: request.Agent;
  let stopOther: () => Promise<void>;

  beforeAll(async () => {
    h = await createLtiHarness({ profile: 'moodle', databaseKind: kind });
    const built = await buildApp({
      config: loadConfig({ PUBLIC_URL: TOOL_URL, DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' }),
      database: h.database,
      logger: createLogger({ level: 'silent' }),
      masterKey: TEST_MASTER_KEY,
    });
    other = request.agent(built.app);
    stopOther = async () => {
      await built.jobs.stop();
    };
  });
  afterAll(async () => {
    await stopOther();
    await h.close();
  });

  /** The LMS's form post, sent to the other instance. */
  const launchAtOther = (fields: Record<string, string>, cookie: string) =>
    other.post('/lti/launch').type('form').accept('html').set('Cookie', cookie).send(fields);

  it('refuse a launch replayed to the other instance (ltijs’ nonce memory is per process; the login state is shared)', async () => {
    const { login, idToken, state } = await h.authorize(h.lms.users.learner.id);
    const first = await h.postLaunch({ id_token: idToken, state }, login.cookie);
    expect(first.status).toBe(303);
    const replayed = await launchAtOther({ id_token: idToken, state }, login.cookie);
    expect(replayed.status).toBe(400);
    expect(replayed.text).toMatch(/state is unknown, already used or expired/);
  });

  it('finish on one instance a login that began on the other, and open the course page on either', async () => {
    const { login, idToken, state } = await h.authorize(h.lms.users.learner.id);
    const launched = await launchAtOther({ id_token: idToken, state }, login.cookie);
    expect(launched.status).toBe(303);
    const coursePath = String(launched.headers.location);
    expect((await request(h.app).get(coursePath).accept('html')).status).toBe(200);
    expect((await other.get(coursePath).accept('html')).status).toBe(200);
  });
});
