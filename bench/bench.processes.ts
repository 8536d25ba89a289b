import type { ChildProcess } from 'node:child_process';
import crypto from 'node:crypto';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import pg from 'pg';
import type { LmsEmulator } from '../src/sandbox/lms';
import { freePort, runTs, waitFor } from '../test/support/process';
import { ensureBaseline } from './bench.baseline';

/**
 * The processes a bench measures: this tool exactly as `npm start` runs it (node with tsx's loader,
 * on PostgreSQL or on PGlite), the bare ltijs tool, the Zoom simulator. Each runs in its own process
 * so the load generator's CPU is not the tool's.
 */

export type DatabaseKind = 'postgres' | 'pglite';

export interface ToolProcess {
  name: string;
  url: string;
  loginUrl: string;
  launchUrl: string;
  jwksUrl: string;
  pid: number;
  /** The tool's PostgreSQL database (absent on PGlite and for the bare tool). */
  databaseUrl?: string;
  output(): string;
  stop(): Promise<void>;
}

export const POSTGRES_ADMIN_URL =
  process.env.BENCH_DATABASE_URL ??
  process.env.TEST_DATABASE_URL ??
  'postgres://postgres@127.0.0.1:5432/postgres';

/** A fresh PostgreSQL database for one run, dropped by `drop()`. */
export async function createPostgresDatabase(): Promise<{ url: string; drop(): Promise<void> }> {
  const name = `zoomlti_bench_${process.pid}_${crypto.randomBytes(4).toString('hex')}`;
  const admin = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
  await admin.connect();
  try {
    await admin.query(`create database ${name}`);
  } finally {
    await admin.end();
  }
  const url = new URL(POSTGRES_ADMIN_URL);
  url.pathname = `/${name}`;
  return {
    url: url.toString(),
    async drop() {
      const client = new pg.Client({ connectionString: POSTGRES_ADMIN_URL });
      await client.connect();
      try {
        await client.query(`drop database if exists ${name} with (force)`);
      } finally {
        await client.end();
      }
    },
  };
}

interface Spawned {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/** `node [nodeArgs] --import tsx <entry>`, as `npm start` runs it (with the CPU profiler's flags if asked). */
function spawnTs(entry: string, env: NodeJS.ProcessEnv, nodeArgs: string[]): Spawned {
  return runTs(entry, [], env, nodeArgs);
}

async function untilReady(run: Spawned, readyUrl: string, what: string): Promise<void> {
  const early = run.exited.then((code) => {
    throw new Error(`${what} exited with ${code} before it was ready:\n${run.output()}`);
  });
  early.catch(() => undefined);
  await Promise.race([waitFor(async () => (await fetch(readyUrl)).ok, 60_000, what), early]);
}

async function stopChild(run: Spawned): Promise<void> {
  if (run.child.exitCode !== null || run.child.signalCode !== null) return;
  run.child.kill('SIGTERM');
  const timer = setTimeout(() => run.child.kill('SIGKILL'), 15_000);
  await run.exited;
  clearTimeout(timer);
}

/** Registers the emulated LMS with the tool through the operator CLI, as an operator would. */
async function registerPlatform(lms: LmsEmulator, env: NodeJS.ProcessEnv): Promise<void> {
  const cli = runTs(
    'src/cli.ts',
    [
      'platform',
      'add',
      '--issuer',
      lms.issuer,
      '--client-id',
      lms.clientId,
      '--login-url',
      lms.authUrl,
      '--token-url',
      lms.tokenUrl,
      '--jwks-url',
      lms.jwksUrl,
      '--deployment',
      lms.deploymentId,
      '--school',
      'Bench school',
    ],
    { LOG_LEVEL: process.env.BENCH_CLI_LOG ?? 'warn', ...env },
  );
  const code = await cli.exited;
  if (code !== 0) throw new Error(`platform add exited with ${code}:\n${cli.output()}`);
}

export interface ToolOptions {
  database: DatabaseKind;
  lms: LmsEmulator;
  /** Extra environment (the Zoom simulator's URLs). */
  env?: Record<string, string>;
  /** Extra node flags, e.g. the CPU profiler's. */
  nodeArgs?: string[];
}

/** This tool on a fresh database (PostgreSQL: a new database; PGlite: a temporary DATA_DIR). */
export async function startTool(options: ToolOptions): Promise<ToolProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const cleanups: Array<() => Promise<void>> = [];
  let dbEnv: Record<string, string>;
  if (options.database === 'postgres') {
    const database = await createPostgresDatabase();
    cleanups.push(() => database.drop());
    dbEnv = { DATABASE_URL: database.url, ENCRYPTION_KEY: crypto.randomBytes(32).toString('hex') };
  } else {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-lti-bench-'));
    cleanups.push(async () => fs.rmSync(dataDir, { recursive: true, force: true }));
    dbEnv = { DATA_DIR: dataDir };
  }
  try {
    // On PGlite the CLI cannot run beside the server (one process owns the data directory).
    await registerPlatform(options.lms, dbEnv);
    const run = spawnTs(
      'src/server.ts',
      {
        LOG_LEVEL: 'warn',
        HOST: '127.0.0.1',
        PORT: String(port),
        PUBLIC_URL: url,
        ...dbEnv,
        ...options.env,
      },
      options.nodeArgs ?? [],
    );
    cleanups.unshift(() => stopChild(run));
    await untilReady(run, `${url}/readyz`, `the tool on ${options.database}`);
    return {
      name: `tool-${options.database}`,
      url,
      loginUrl: `${url}/lti/login`,
      launchUrl: `${url}/lti/launch`,
      jwksUrl: `${url}/lti/keys`,
      pid: run.child.pid as number,
      databaseUrl: dbEnv.DATABASE_URL,
      output: run.output,
      async stop() {
        for (const cleanup of cleanups) await cleanup();
      },
    };
  } catch (error) {
    for (const cleanup of cleanups) await cleanup().catch(() => undefined);
    throw error;
  }
}

/** The bare ltijs 5.9.9 hello-world tool (bench/bare-ltijs.ts) on ltijs-sequelize + SQLite in memory. */
export async function startBareLtijs(lms: LmsEmulator): Promise<ToolProcess> {
  ensureBaseline();
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const run = runTs('bench/bare-ltijs.ts', [], {
    PORT: String(port),
    BARE_PLATFORM: JSON.stringify({
      issuer: lms.issuer,
      clientId: lms.clientId,
      authUrl: lms.authUrl,
      tokenUrl: lms.tokenUrl,
      jwksUrl: lms.jwksUrl,
    }),
  });
  try {
    await untilReady(run, `${url}/healthz`, 'the bare ltijs tool');
  } catch (error) {
    await stopChild(run);
    throw error;
  }
  return {
    name: 'bare-ltijs',
    url,
    loginUrl: `${url}/login`,
    launchUrl: `${url}/`,
    jwksUrl: `${url}/keys`,
    pid: run.child.pid as number,
    output: run.output,
    stop: () => stopChild(run),
  };
}

export interface ZoomSimProcess {
  url: string;
  pid: number;
  control<T>(method: string, path: string, body?: unknown): Promise<T>;
  /** Requests the tool made to Zoom's API and OAuth endpoints since the log was last cleared. */
  zoomRequests(accountId?: string): Promise<{ path: string; status: number | null }[]>;
  stop(): Promise<void>;
}

/** The Zoom simulator in its own process (its real clock, Zoom's rate limits). */
export async function startZoomSim(): Promise<ZoomSimProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const run = runTs('src/sandbox/zoom/zoom-sim.main.ts', ['--port', String(port)], {});
  await untilReady(run, `${url}/_sim/clock`, 'the Zoom simulator');
  const control = async <T>(method: string, route: string, body?: unknown): Promise<T> => {
    const response = await fetch(`${url}/_sim${route}`, {
      method,
      headers: { 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (!response.ok)
      throw new Error(`Zoom simulator ${method} ${route} answered ${response.status}: ${text}`);
    return (text ? JSON.parse(text) : undefined) as T;
  };
  return {
    url,
    pid: run.child.pid as number,
    control,
    async zoomRequests(accountId) {
      const log = await control<
        { path: string; status: number | null }[] | { requests: { path: string; status: number | null }[] }
      >('GET', `/requests${accountId ? `?account_id=${encodeURIComponent(accountId)}` : ''}`);
      return Array.isArray(log) ? log : log.requests;
    },
    stop: () => stopChild(run),
  };
}

/** Resident set size of a process now and at its peak (VmRSS, VmHWM from /proc), in bytes. */
export function memoryOf(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const field = (name: string) =>
    Number(new RegExp(`^${name}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? 0) * 1024;
  return { rss: field('VmRSS'), hwm: field('VmHWM') };
}

/** CPU time (user + system) a process has used, in milliseconds (from /proc/<pid>/stat). */
export function cpuMsOf(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  const ticks = Number(fields[11]) + Number(fields[12]);
  return (ticks * 1000) / 100; // USER_HZ is 100 on Linux
}

/** Samples a process's RSS every `everyMs` until stopped: the peak seen. */
export function sampleRss(pid: number, everyMs = 50): { stop(): number } {
  let peak = memoryOf(pid).rss;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, memoryOf(pid).rss);
    } catch {
      // the process is gone: keep the last peak
    }
  }, everyMs);
  return {
    stop() {
      clearInterval(timer);
      return peak;
    },
  };
}
