import fs from 'node:fs';
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

/**
 * The system's ephemeral range (where a server listening on port 0 gets its port): a port handed out
 * for a child to listen on later is taken below it, so another suite's `listen(0)` in the meantime
 * cannot take it first (it did, with three jest workers: EADDRINUSE).
 */
function ephemeralLow(): number {
  try {
    const [low] = fs.readFileSync('/proc/sys/net/ipv4/ip_local_port_range', 'utf8').trim().split(/\s+/);
    const value = Number(low);
    return Number.isInteger(value) && value > 12_000 ? value : 32_768;
  } catch {
    return 32_768;
  }
}

function canListen(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const server = net.createServer();
    server.once('error', () => resolve(false));
    // Every interface, as the tool listens: a port some service holds on any of them is skipped.
    server.listen(port, () => server.close(() => resolve(true)));
  });
}

/** A free port for a child process to listen on, below the ephemeral range (random, checked). */
export async function freePort(): Promise<number> {
  const low = 10_000;
  const high = ephemeralLow() - 1;
  for (let attempt = 0; attempt < 100; attempt += 1) {
    const port = low + Math.floor(Math.random() * (high - low + 1));
    if (await canListen(port)) return port;
  }
  throw new Error(`no free port between ${low} and ${high}`);
}

export interface ChildRun {
  child: ChildProcess;
  output(): string;
  exited: Promise<number | null>;
}

/**
 * Runs a TypeScript entry point of the project (`src/server.ts`, `src/cli.ts`…) in its own process,
 * as `npm start` does: node with tsx's loader, so signals reach the process itself (the `tsx` CLI
 * relays them and SIGKILLs a child that does not acknowledge one within a few tens of milliseconds).
 */
export function runTs(
  entry: string,
  args: string[],
  env: NodeJS.ProcessEnv,
  /** Flags for node itself (e.g. the CPU profiler's). */
  nodeArgs: string[] = [],
): ChildRun {
  const child = spawn(process.execPath, [...nodeArgs, '--import', 'tsx', path.join(ROOT, entry), ...args], {
    cwd: ROOT,
    // The sandbox (on by default for `npm start` at localhost) only where a test asks for it.
    env: { PATH: process.env.PATH, HOME: process.env.HOME, SANDBOX: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const exited = new Promise<number | null>((resolve) => child.on('exit', (code) => resolve(code)));
  return { child, output: () => output, exited };
}

export async function waitFor(
  check: () => Promise<boolean>,
  timeoutMs: number,
  what: string,
): Promise<number> {
  const started = Date.now();
  for (;;) {
    if (await check().catch(() => false)) return Date.now() - started;
    if (Date.now() - started > timeoutMs)
      throw new Error(`Timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

export async function ok(url: string): Promise<boolean> {
  const response = await fetch(url);
  return response.status === 200;
}

export interface ServerProcess extends ChildRun {
  url: string;
  stop(): Promise<number | null>;
}

export async function startServerProcess(
  env: NodeJS.ProcessEnv,
  timeoutMs = 30_000,
): Promise<ServerProcess & { bootMs: number }> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const run = runTs('src/server.ts', [], {
    LOG_LEVEL: 'warn',
    HOST: '127.0.0.1',
    ...env,
    PORT: String(port),
  });
  const early = run.exited.then((code) => {
    throw new Error(`server exited with ${code} before it was ready:\n${run.output()}`);
  });
  const bootMs = await Promise.race([
    waitFor(
      async () => (await ok(`${url}/healthz`)) && (await ok(`${url}/readyz`)),
      timeoutMs,
      'healthz and readyz',
    ),
    early,
  ]);
  early.catch(() => undefined);
  return {
    ...run,
    url,
    bootMs,
    async stop() {
      if (run.child.exitCode === null) run.child.kill('SIGTERM');
      return run.exited;
    },
  };
}
