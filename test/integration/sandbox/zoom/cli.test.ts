import { spawn, type ChildProcess } from 'node:child_process';
import path from 'node:path';

const ROOT = path.resolve(__dirname, '../../../..');
const TSX = path.join(ROOT, 'node_modules', '.bin', 'tsx');
const MAIN = path.join(ROOT, 'src', 'sandbox', 'zoom', 'zoom-sim.main.ts');

/** Starts the CLI and resolves with the base URL it announces. */
function startCli(
  args: string[],
): Promise<{ child: ChildProcess; url: string; baseUrl: string; output: () => string }> {
  const child = spawn(TSX, [MAIN, ...args], { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'] });
  let output = '';
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`CLI did not start: ${output}`)), 20_000);
    const onData = (chunk: Buffer) => {
      output += chunk.toString();
      const match = /listening on (http:\/\/\S+) as (\S+) /.exec(output);
      if (match?.[1] && match[2]) {
        clearTimeout(timer);
        resolve({ child, url: match[1], baseUrl: match[2], output: () => output });
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`CLI exited with ${code}: ${output}`));
    });
  });
}

function stop(child: ChildProcess): Promise<number | null> {
  return new Promise((resolve) => {
    if (child.exitCode !== null) return resolve(child.exitCode);
    child.once('exit', (code) => resolve(code));
    child.kill('SIGTERM');
  });
}

describe('Zoom simulator CLI (npm run zoom-sim)', () => {
  let running: ChildProcess | null = null;

  afterEach(async () => {
    if (running) await stop(running);
    running = null;
  });

  it('starts on the given port and host and answers /_sim/clock with the frozen start time', async () => {
    const cli = await startCli([
      '--port',
      '0',
      '--host',
      '127.0.0.1',
      '--start-time',
      '2030-01-07T09:00:00Z',
    ]);
    running = cli.child;
    expect(cli.baseUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);
    expect(cli.url).toBe(cli.baseUrl);
    const clock = await (await fetch(`${cli.baseUrl}/_sim/clock`)).json();
    expect(clock).toEqual({ now: Date.parse('2030-01-07T09:00:00Z'), iso: '2030-01-07T09:00:00.000Z' });
    const advanced = await fetch(`${cli.baseUrl}/_sim/clock/advance`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ seconds: 90 }),
    });
    expect(((await advanced.json()) as { iso: string }).iso).toBe('2030-01-07T09:01:30.000Z');
    const account = await fetch(`${cli.baseUrl}/_sim/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ plan: 'pro' }),
    });
    expect(account.status).toBe(201);
    expect(await stop(cli.child)).toBe(0);
    running = null;
  });

  it('announces --base-url and protects the control surface with --control-token', async () => {
    const cli = await startCli([
      '--port',
      '0',
      '--base-url',
      'https://zoom-sim.test',
      '--control-token',
      'sekret',
    ]);
    running = cli.child;
    expect(cli.baseUrl).toBe('https://zoom-sim.test');
    expect(cli.output()).toContain('API https://zoom-sim.test/v2');
    expect((await fetch(`${cli.url}/_sim/clock`)).status).toBe(401);
    const clock = await fetch(`${cli.url}/_sim/clock`, { headers: { 'x-sim-token': 'sekret' } });
    expect(clock.status).toBe(200);
    const account = await fetch(`${cli.url}/_sim/accounts`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sim-token': 'sekret' },
      body: JSON.stringify({ plan: 'free' }),
    });
    const { account_id } = (await account.json()) as { account_id: string };
    const app = await fetch(`${cli.url}/_sim/apps`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'x-sim-token': 'sekret' },
      body: JSON.stringify({ kind: 's2s', account_id }),
    });
    const { client_id, client_secret } = (await app.json()) as { client_id: string; client_secret: string };
    const token = await fetch(
      `${cli.url}/oauth/token?grant_type=account_credentials&account_id=${account_id}`,
      {
        method: 'POST',
        headers: {
          authorization: `Basic ${Buffer.from(`${client_id}:${client_secret}`).toString('base64')}`,
        },
      },
    );
    expect(((await token.json()) as { api_url: string }).api_url).toBe('https://zoom-sim.test');
  });

  it('refuses a bad port', async () => {
    await expect(startCli(['--port', 'abc'])).rejects.toThrow(/exited with 1/);
  });
});
