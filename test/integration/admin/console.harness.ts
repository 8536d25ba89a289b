import { Writable } from 'node:stream';
import type { Express } from 'express';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { hashPassword } from '../../../src/admin';
import { buildApp, type BuiltApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { queryRows } from '../../../src/storage';
import { createLogger } from '../../../src/shared/logger';
import { createTestDatabase, TEST_MASTER_KEY, type TestDatabase } from '../../support/db';
import { testToolKeyPairs } from '../../support/keys';

/**
 * The operator console under test: the app over a test database, a clock the test moves, every log
 * line kept. Cookies are `Secure`, which a cookie jar would not send over http: they are carried by
 * hand, as `name=value`.
 */
export const PASSWORD = 'correct horse battery staple';
/** The lowest cost admin.auth accepts: tests sign in many times. The CLI uses the full cost. */
export const FAST_SCRYPT = { ln: 14, r: 8, p: 1 };

export interface ConsoleHarness {
  app: Express;
  built: BuiltApp;
  database: TestDatabase;
  logs: string[];
  clock: { now: number };
  close(): Promise<void>;
}

export async function createConsoleHarness(env: Record<string, string> = {}): Promise<ConsoleHarness> {
  // PostgreSQL when TEST_DATABASE_URL names one (the login limits' atomic upsert runs on both).
  const database = await createTestDatabase(process.env.TEST_DATABASE_URL ? 'postgres' : 'pglite');
  const logs: string[] = [];
  const logger = createLogger({
    level: 'debug',
    destination: new Writable({
      write(chunk, _encoding, callback) {
        logs.push(String(chunk));
        callback();
      },
    }),
  });
  const clock = { now: Date.now() };
  const config = loadConfig({ PUBLIC_URL: 'http://localhost:3000', DATA_DIR: '/nonexistent', ...env });
  const built = await buildApp({
    config,
    database,
    logger,
    masterKey: TEST_MASTER_KEY,
    now: () => clock.now,
    toolKeyPairs: testToolKeyPairs(),
  });
  await setPassword(built, PASSWORD);
  return {
    app: built.app,
    built,
    database,
    logs,
    clock,
    async close() {
      await built.lti.close();
      await database.drop();
    },
  };
}

export async function setPassword(built: Pick<BuiltApp, 'admin'>, password: string, username = 'operator') {
  return built.admin.setPasswordHash(username, await hashPassword(password, FAST_SCRYPT));
}

/** `name=value` of each cookie an answer sets, by name. */
export function cookiesOf(res: request.Response): Record<string, { pair: string; raw: string }> {
  const found: Record<string, { pair: string; raw: string }> = {};
  for (const raw of ([] as string[]).concat(res.headers['set-cookie'] ?? [])) {
    const pair = raw.split(';')[0] ?? '';
    found[pair.split('=')[0] ?? ''] = { pair, raw };
  }
  return found;
}

export function csrfOf(html: string): string {
  const match = /name="_csrf" value="([^"]+)"/.exec(html);
  if (!match?.[1]) throw new Error('no form token on the page');
  return match[1];
}

export interface LoginForm {
  cookie: string;
  csrf: string;
}

/** Opens the sign-in page: its cookie and form token. */
export async function loginForm(app: Express): Promise<LoginForm> {
  const page = await request(app).get('/admin/login').accept('html');
  expect(page.status).toBe(200);
  const cookie = cookiesOf(page).zoom_admin_login?.pair;
  if (!cookie) throw new Error('the sign-in page set no cookie');
  return { cookie, csrf: csrfOf(page.text) };
}

export function postLogin(
  app: Express,
  form: LoginForm,
  fields: { username?: string; password: string },
  headers: Record<string, string> = {},
) {
  return request(app)
    .post('/admin/login')
    .set('Cookie', form.cookie)
    .set(headers)
    .type('form')
    .accept('html')
    .send({ _csrf: form.csrf, username: fields.username ?? 'operator', password: fields.password });
}

export interface Session {
  /** `zoom_admin=<id>` */
  cookie: string;
  id: string;
  /** The form token the console's pages carry. */
  csrf: string;
}

/** Signs in and reads a page's form token. */
export async function signIn(app: Express, password = PASSWORD, headers: Record<string, string> = {}) {
  const form = await loginForm(app);
  const res = await postLogin(app, form, { password }, headers);
  if (res.status !== 303) throw new Error(`sign-in answered ${res.status}: ${res.text.slice(0, 300)}`);
  const cookie = cookiesOf(res).zoom_admin?.pair ?? '';
  const schools = await request(app).get('/admin/schools').set('Cookie', cookie).accept('html');
  expect(schools.status).toBe(200);
  return { cookie, id: cookie.split('=')[1] ?? '', csrf: csrfOf(schools.text) } satisfies Session;
}

export function get(app: Express, session: Session | undefined, path: string) {
  const test = request(app).get(path).accept('html');
  return session ? test.set('Cookie', session.cookie) : test;
}

export function post(app: Express, session: Session | undefined, path: string, form: Record<string, string>) {
  const test = request(app).post(path).type('form').accept('html');
  return (session ? test.set('Cookie', session.cookie) : test).send(form);
}

/** A sign-in suite's fresh start: signed out, the first password, no failure counted, the real time. */
export async function freshSignIn(h: ConsoleHarness): Promise<void> {
  await h.database.db.execute(sql`delete from operator_login_limits`);
  await setPassword(h.built, PASSWORD);
  h.clock.now = Date.now();
}

/** How many operator sessions exist. */
export async function sessionCount(h: ConsoleHarness): Promise<number> {
  const [row] = await queryRows<{ n: string }>(
    h.database.db,
    sql`select count(*) as n from operator_sessions`,
  );
  return Number(row?.n);
}
