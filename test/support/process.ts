import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';

export const ROOT = path.resolve(__dirname, '..', '..');

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      server.close(() =>
        typeof address === 'object' && address ? resolve(address.port) : reject(new Error('no port')),
      );
    });
  });
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
