import crypto from 'node:crypto';
import fs from 'node:fs';
import { runCli } from '../../src/cli';
import { createLmsEmulator, type LmsEmulator } from '../../src/sandbox/lms';
import { createZoomSimulator, type ZoomSimulator } from '../../src/sandbox/zoom';
import type { DatabaseTarget } from '../../src/storage';
import { createPostgresDatabase, type TestDatabaseKind } from './db';
import { freePort, runTs, waitFor, type ChildRun } from './process';
import { seededDataDir } from './data-dir';

/**
 * Helpers for the crash tests: the tool as a child process on a port fixed for its whole life (so
 * that the restarted server keeps PUBLIC_URL), and LTI launches sent to it over HTTP, as an LMS
 * and a browser would.
 */

export const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';
export const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

export interface ToolProcess extends ChildRun {
  /** Milliseconds from spawning the process until /readyz answered 200. */
  readyMs: number;
}

/** Starts `src/server.ts` with `env` on `port` and resolves once /healthz and /readyz answer 200. */
export async function startTool(
  port: number,
  env: NodeJS.ProcessEnv,
  timeoutMs: number,
): Promise<ToolProcess> {
  const spawned = Date.now();
  const run = runTs('src/server.ts', [], {
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    ...env,
    PORT: String(port),
  });
  const url = `http://127.0.0.1:${port}`;
  const early = run.exited.then((code) => {
    throw new Error(`server exited with ${code} before it was ready:\n${run.output()}`);
  });
  early.catch(() => undefined);
  await Promise.race([
    waitFor(
      async () =>
        (await fetch(`${url}/healthz`)).status === 200 && (await fetch(`${url}/readyz`)).status === 200,
      timeoutMs,
      `the server on ${url} to be ready:\n${run.output()}`,
    ),
    early,
  ]);
  return { ...run, readyMs: Date.now() - spawned };
}

export interface HttpLaunch {
  status: number;
  html: string;
  ltik: string;
}

/** A full launch over HTTP: OIDC login, the LMS's answer, the form post, then the course page. */
export async function launchOverHttp(toolUrl: string, lms: LmsEmulator, userId: string): Promise<HttpLaunch> {
  const login = await fetch(`${toolUrl}/lti/login`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded' },
    body: new URLSearchParams(lms.loginInitiation(userId)).toString(),
  });
  await login.arrayBuffer();
  if (login.status !== 302) throw new Error(`login answered ${login.status}`);
  const cookie = login.headers
    .getSetCookie()
    .map((line) => line.split(';')[0])
    .join('; ');
  const answer = await lms.authorize(String(login.headers.get('location')));
  const posted = await fetch(`${toolUrl}/lti/launch`, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html', cookie },
    body: new URLSearchParams(answer.fields).toString(),
  });
  const postedText = await posted.text();
  if (posted.status !== 303) throw new Error(`launch answered ${posted.status}: ${postedText.slice(0, 300)}`);
  const location = new URL(String(posted.headers.get('location')), toolUrl);
  const course = await fetch(location, { headers: { accept: 'text/html' } });
  return { status: course.status, html: await course.text(), ltik: location.searchParams.get('ltik') ?? '' };
}

/** Posts a form to the tool (no redirect followed): its status and body. */
export async function postForm(
  url: string,
  fields: Record<string, string>,
): Promise<{ status: number; text: string; location: string | null }> {
  const response = await fetch(url, {
    method: 'POST',
    redirect: 'manual',
    headers: { 'content-type': 'application/x-www-form-urlencoded', accept: 'text/html' },
    body: new URLSearchParams(fields).toString(),
  });
  return { status: response.status, text: await response.text(), location: response.headers.get('location') };
}

/** The Zoom simulator and an LMS emulator in this process; the environment of the tool's processes. */
export interface Stack {
  zoom: ZoomSimulator;
  lms: LmsEmulator;
  account: { account_id: string };
  env: NodeJS.ProcessEnv;
  target: DatabaseTarget;
  port: number;
  toolUrl: string;
  cleanup(): Promise<void>;
}

export async function stack(kind: TestDatabaseKind): Promise<Stack> {
  const dataDir = await seededDataDir('zoom-lti-crash-');
  const created = kind === 'postgres' ? await createPostgresDatabase() : undefined;
  const zoom = createZoomSimulator();
  await zoom.start();
  const account = await zoom.createAccount({ plan: 'pro', licensed_seats: 500 });
  const port = await freePort();
  const toolUrl = `http://127.0.0.1:${port}`;
  const lms = createLmsEmulator({
    profile: 'moodle',
    shareEmail: true,
    tool: {
      loginUrl: `${toolUrl}/lti/login`,
      launchUrl: `${toolUrl}/lti/launch`,
      jwksUrl: `${toolUrl}/lti/keys`,
    },
  });
  await lms.start();
  const env: NodeJS.ProcessEnv = {
    DATA_DIR: dataDir,
    PUBLIC_URL: toolUrl,
    LOG_LEVEL: 'silent',
    ZOOM_OAUTH_URL: zoom.baseUrl,
    ZOOM_API_URL: `${zoom.baseUrl}/v2`,
    ...(created ? { DATABASE_URL: created.url, ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex') } : {}),
  };
  return {
    zoom,
    lms,
    account,
    env,
    target: created ? { kind: 'postgres', url: created.url, poolSize: 2 } : { kind: 'pglite', dataDir },
    port,
    toolUrl,
    async cleanup() {
      await lms.stop();
      await zoom.stop();
      await created?.drop();
      fs.rmSync(dataDir, { recursive: true, force: true });
    },
  };
}

/** The operator CLI, in this process. */
export async function cli(
  env: NodeJS.ProcessEnv,
  ...args: string[]
): Promise<{ code: number; out: string; err: string }> {
  let out = '';
  let err = '';
  const code = await runCli(args, {
    env,
    io: { out: (text) => (out += text), err: (text) => (err += text) },
  });
  return { code, out, err };
}
