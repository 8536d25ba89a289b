import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort, ROOT } from './process';

/** The product as a newcomer starts it: `npm start` on an empty DATA_DIR, with its sandbox. */
export interface Product {
  /** The tool's address, whose `/` is the sandbox home. */
  url: string;
  dataDir: string;
  /** What `npm start` printed so far. */
  output(): string;
  /** `npm run cli -- operator password --stdin`, as the README tells the operator. */
  setOperatorPassword(password: string): Promise<void>;
  stop(): Promise<void>;
}

const STARTED_WITHIN_MS = 120_000;

/**
 * `npm start` (a child process, in its own group) on a new, empty temporary DATA_DIR: resolves once
 * it printed the sandbox's address and that address answers. `stop()` ends npm and the server and
 * deletes the directory.
 */
export async function startProduct(): Promise<Product> {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'first-ten-minutes-'));
  const port = await freePort();
  const url = `http://localhost:${port}`;
  const env = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    DATA_DIR: dataDir,
    PORT: String(port),
    PUBLIC_URL: url,
  };
  const child = spawn('npm', ['start'], {
    cwd: ROOT,
    detached: true,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let output = '';
  child.stdout?.on('data', (chunk) => (output += String(chunk)));
  child.stderr?.on('data', (chunk) => (output += String(chunk)));
  const product: Product = {
    url,
    dataDir,
    output: () => output,
    setOperatorPassword: (password) => operatorPassword(env, password),
    stop: () => stopChild(child, dataDir),
  };
  try {
    await answering(child, `${url}/`, () => output);
  } catch (error) {
    await product.stop();
    throw error;
  }
  return product;
}

/** Until `npm start` printed `home` and `home` answers 200 (or the process ended: an error with its output). */
async function answering(child: ChildProcess, home: string, output: () => string): Promise<void> {
  const deadline = Date.now() + STARTED_WITHIN_MS;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`npm start exited (${child.exitCode}):\n${output()}`);
    if (output().includes(home)) {
      const status = await fetch(home).then(
        (response) => response.status,
        () => 0,
      );
      if (status === 200) return;
    }
    if (Date.now() > deadline) {
      throw new Error(`npm start did not open ${home} within ${STARTED_WITHIN_MS} ms:\n${output()}`);
    }
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

function operatorPassword(env: Record<string, string | undefined>, password: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const cli = spawn('npm', ['run', '--silent', 'cli', '--', 'operator', 'password', '--stdin'], {
      cwd: ROOT,
      env,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let said = '';
    cli.stdout.on('data', (chunk) => (said += String(chunk)));
    cli.stderr.on('data', (chunk) => (said += String(chunk)));
    cli.on('error', reject);
    cli.on('close', (code) =>
      code === 0 ? resolve() : reject(new Error(`operator password exited ${code}:\n${said}`)),
    );
    cli.stdin.end(`${password}\n`);
  });
}

async function stopChild(child: ChildProcess, dataDir: string): Promise<void> {
  if (child.exitCode === null && child.pid) {
    const exited = new Promise((resolve) => child.once('exit', resolve));
    process.kill(-child.pid, 'SIGTERM'); // npm and the server it started (their own group)
    await exited;
  }
  fs.rmSync(dataDir, { recursive: true, force: true });
}
