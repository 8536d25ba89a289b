import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { freePort, ok, ROOT, runTs, waitFor, type ChildRun } from './process';

/** What a CLI process printed, and its exit code. */
export interface CliRun {
  code: number | null;
  out: string;
  err: string;
}

/**
 * Runs the operator CLI in its own process as `npm run cli` does (node with tsx's loader on
 * src/cli.ts), with only `env` (and PATH, HOME): nothing of this process's environment leaks in.
 */
export function cliProcess(env: NodeJS.ProcessEnv, ...args: string[]): Promise<CliRun> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', path.join(ROOT, 'src/cli.ts'), ...args], {
      cwd: ROOT,
      env: { PATH: process.env.PATH, HOME: process.env.HOME, ...env },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    let out = '';
    let err = '';
    child.stdout.on('data', (chunk) => (out += String(chunk)));
    child.stderr.on('data', (chunk) => (err += String(chunk)));
    const timer = setTimeout(() => child.kill('SIGKILL'), 60_000);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, out, err });
    });
  });
}

export interface ToolProcess extends ChildRun {
  url: string;
  env: NodeJS.ProcessEnv;
  /** SIGTERM, and the exit code. */
  stop(): Promise<number | null>;
  /** SIGKILL: nothing of a graceful shutdown runs. */
  kill(): Promise<void>;
}

/**
 * `npm start` (`node --import tsx src/server.ts`) in its own process, with the env the README's
 * quick start uses (DATA_DIR and PUBLIC_URL; the master key is generated into DATA_DIR) plus `env`.
 * Resolves once it is ready and, on the embedded database, once its control socket answers.
 */
export async function startToolProcess(env: NodeJS.ProcessEnv, timeoutMs = 60_000): Promise<ToolProcess> {
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const fullEnv: NodeJS.ProcessEnv = {
    HOST: '127.0.0.1',
    PORT: String(port),
    PUBLIC_URL: url,
    LOG_LEVEL: 'info',
    // Nothing reaches outside loopback.
    ZOOM_OAUTH_URL: 'http://127.0.0.1:9',
    ZOOM_API_URL: 'http://127.0.0.1:9/v2',
    ...env,
  };
  const run = runTs('src/server.ts', [], fullEnv);
  const early = run.exited.then((code) => {
    throw new Error(`server exited with ${code} before it was ready:\n${run.output()}`);
  });
  early.catch(() => undefined);
  const socket = env.DATABASE_URL ? undefined : path.join(String(env.DATA_DIR), 'control.sock');
  try {
    await Promise.race([
      waitFor(
        async () =>
          (await ok(`${url}/healthz`)) &&
          (await ok(`${url}/readyz`)) &&
          (!socket || /operator commands accepted/.test(run.output())),
        timeoutMs,
        `the server on ${url} to be ready`,
      ),
      early,
    ]);
  } catch (error) {
    // Never left running behind a failed start; what it printed says why.
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
    await run.exited;
    throw new Error(`${(error as Error).message}\n${run.output()}`, { cause: error });
  }
  return {
    ...run,
    url,
    env: fullEnv,
    async stop() {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGTERM');
      return run.exited;
    },
    async kill() {
      if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
      await run.exited;
    },
  };
}

/** The log lines of one category a process printed (pino JSON on stdout). */
export function logLines(output: string, category: string): Record<string, unknown>[] {
  return output
    .split('\n')
    .flatMap((line) => {
      try {
        return [JSON.parse(line) as Record<string, unknown>];
      } catch {
        return [];
      }
    })
    .filter((line) => line.category === category);
}

export function fileMode(file: string): { mode: number; socket: boolean } {
  const stat = fs.lstatSync(file);
  return { mode: stat.mode & 0o777, socket: stat.isSocket() };
}
