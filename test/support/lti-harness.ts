import type { Server } from 'node:http';
import { Writable } from 'node:stream';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import type { Express } from 'express';
import { buildApp, type BuiltApp } from '../../src/app';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/shared/logger';
import { queryRows } from '../../src/storage';
import { startRegisteredLms } from './lms';
import { loginNext } from './lti-login';
import {
  type LaunchOptions,
  type LmsEmulator,
  type LmsProfileName,
  type Tamper,
} from '../../src/sandbox/lms';
import { createTestDatabase, TEST_MASTER_KEY, type TestDatabase, type TestDatabaseKind } from './db';
import { testToolKeyPairs } from './keys';

export const TOOL_URL = 'http://localhost:3000';

export interface LoginResult {
  status: number;
  location: string;
  /** `name=value` of the signed state cookie, ready for a Cookie header. */
  cookie: string;
  setCookie: string;
  state: string;
  nonce: string;
}

export interface LtiHarness {
  app: Express;
  /** Where the harness's own server listens (loopback, a free port): for requests from other processes. */
  listeningUrl: string;
  built: BuiltApp;
  database: TestDatabase;
  /** The first LMS (its school is `${profile} school`). */
  lms: LmsEmulator;
  /** Registers another LMS for another school. */
  addLms(options: { profile: LmsProfileName; school: string }): Promise<LmsEmulator>;
  login(
    userId: string,
    options?: LaunchOptions,
    overrides?: Record<string, string>,
    lms?: LmsEmulator,
  ): Promise<LoginResult>;
  /** Login, then the LMS's auth endpoint answers (optionally tampered): the form fields to post. */
  authorize(
    userId: string,
    options?: LaunchOptions,
    tamper?: Tamper,
    lms?: LmsEmulator,
  ): Promise<{ login: LoginResult; idToken: string; state: string }>;
  postLaunch(fields: Record<string, string>, cookie?: string): request.Test;
  /** A full launch that follows the 303 to the course page. */
  launch(
    userId: string,
    options?: LaunchOptions,
    lms?: LmsEmulator,
  ): Promise<{ course: request.Response; ltik: string }>;
  sessionCount(): Promise<number>;
  close(): Promise<void>;
}

export async function createLtiHarness(options: {
  profile: LmsProfileName;
  databaseKind?: TestDatabaseKind;
  acceptNewDeployments?: boolean;
  shareEmail?: boolean;
  /** Collects every log line the app writes (at debug level) instead of discarding them. */
  logLines?: string[];
  /** Extra configuration (e.g. the Zoom settings pointing at the simulator). */
  env?: Record<string, string>;
}): Promise<LtiHarness> {
  const database = await createTestDatabase(options.databaseKind ?? 'pglite');
  const config = loadConfig({
    PUBLIC_URL: TOOL_URL,
    DATA_DIR: '/nonexistent',
    LOG_LEVEL: 'silent',
    ...options.env,
  });
  const lines = options.logLines;
  const logger = lines
    ? createLogger({
        level: 'debug',
        destination: new Writable({
          write(chunk, _encoding, callback) {
            lines.push(String(chunk));
            callback();
          },
        }),
      })
    : createLogger({ level: 'silent' });
  const built = await buildApp({
    config,
    database,
    logger,
    masterKey: TEST_MASTER_KEY,
    toolKeyPairs: testToolKeyPairs(),
  });
  const app = built.app;
  built.jobs.start();
  // One listening server for the harness's own requests (supertest would start one per request).
  const server = await new Promise<Server>((resolve) => {
    const listening = app.listen(0, '127.0.0.1', () => resolve(listening));
  });
  const emulators: LmsEmulator[] = [];

  async function addLms(lmsOptions: {
    profile: LmsProfileName;
    school: string;
    acceptNewDeployments?: boolean;
  }) {
    const lms = await startRegisteredLms(built.tenants, {
      ...lmsOptions,
      toolUrl: TOOL_URL,
      shareEmail: options.shareEmail,
    });
    // The LMS verifies the tool's signed requests (Names and Roles, deep linking) against our keys,
    // served by this harness's own server (TOOL_URL is only the address launches name).
    const address = server.address();
    lms.setTool({
      loginUrl: `${TOOL_URL}/lti/login`,
      launchUrl: `${TOOL_URL}/lti/launch`,
      jwksUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}/lti/keys`,
    });
    emulators.push(lms);
    return lms;
  }

  const first = await addLms({
    profile: options.profile,
    school: `${options.profile} school`,
    acceptNewDeployments: options.acceptNewDeployments,
  });

  const address = server.address();
  const harness: LtiHarness = {
    app,
    listeningUrl: `http://127.0.0.1:${typeof address === 'object' && address ? address.port : 0}`,
    built,
    database,
    lms: first,
    addLms,
    async login(userId, launchOptions, overrides = {}, lms = first) {
      const params = { ...lms.loginInitiation(userId, launchOptions), ...overrides };
      const response = await request(server).post('/lti/login').type('form').send(params);
      const location = loginNext(response);
      const setCookie = ([] as string[]).concat(response.headers['set-cookie'] ?? []).join('\n');
      const query = location ? new URL(location).searchParams : new URLSearchParams();
      return {
        status: response.status,
        location,
        setCookie,
        cookie: setCookie.split(';')[0] ?? '',
        state: query.get('state') ?? '',
        nonce: query.get('nonce') ?? '',
      };
    },
    async authorize(userId, launchOptions, tamper, lms = first) {
      const login = await harness.login(userId, launchOptions, {}, lms);
      if (!login.location) throw new Error(`login answered ${login.status}`);
      const answer = await lms.authorize(login.location, tamper);
      return { login, idToken: answer.fields.id_token, state: answer.fields.state };
    },
    postLaunch(fields, cookie) {
      const test = request(server).post('/lti/launch').type('form').accept('html');
      if (cookie) test.set('Cookie', cookie);
      return test.send(fields);
    },
    async launch(userId, launchOptions, lms = first) {
      const { login, idToken, state } = await harness.authorize(userId, launchOptions, undefined, lms);
      const posted = await harness.postLaunch({ id_token: idToken, state }, login.cookie);
      if (posted.status !== 303)
        throw new Error(`launch answered ${posted.status}: ${posted.text.slice(0, 500)}`);
      const location = String(posted.headers.location);
      const ltik = new URL(location, TOOL_URL).searchParams.get('ltik') ?? '';
      const course = await request(server).get(location).accept('html');
      return { course, ltik };
    },
    async sessionCount() {
      const rows = await queryRows<{ count: string | number }>(
        database.db,
        sql`select count(*) as count from ltijs_documents where collection in ('idtoken', 'contexttoken')`,
      );
      return Number(rows[0]?.count ?? 0);
    },
    async close() {
      await built.jobs.stop();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      for (const lms of emulators) await lms.stop();
      await built.lti.close();
      await database.drop();
    },
  };
  return harness;
}
