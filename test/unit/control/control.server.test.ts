import { spawn } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import {
  sendToServer,
  startControlServer,
  type ControlResponse,
  type ControlServer,
} from '../../../src/control';
import { createLogger } from '../../../src/shared/logger';

/** The control channel on its own: a real Unix socket, a stand-in for the CLI program. */
describe('the control socket', () => {
  let dir: string;
  let socketPath: string;
  let server: ControlServer | undefined;
  let logs: Record<string, unknown>[];
  let ran: string[][];

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-lti-ctl-unit-'));
    socketPath = path.join(dir, 'control.sock');
    logs = [];
    ran = [];
  });
  afterEach(async () => {
    await server?.close(100);
    server = undefined;
    fs.rmSync(dir, { recursive: true, force: true });
  });

  const logger = () =>
    createLogger({
      level: 'info',
      destination: { write: (line: string) => logs.push(JSON.parse(line) as Record<string, unknown>) },
    });

  async function start(
    options: {
      run?: (argv: string[]) => Promise<ControlResponse>;
      timeoutMs?: number;
      maxRequestBytes?: number;
      at?: string;
    } = {},
  ) {
    server = await startControlServer({
      socketPath: options.at ?? socketPath,
      logger: logger(),
      describe: (argv) => argv.slice(0, 2).join(' '),
      run:
        options.run ??
        (async (argv) => {
          ran.push(argv);
          return { exitCode: 0, stdout: `ran ${argv.length} words\n`, stderr: '' };
        }),
      timeoutMs: options.timeoutMs,
      maxRequestBytes: options.maxRequestBytes,
    });
    return server;
  }

  /** Sends raw bytes; resolves to what came back before the server closed. */
  function raw(bytes: string): Promise<string> {
    return new Promise((resolve, reject) => {
      const socket = net.createConnection(socketPath, () => socket.write(bytes));
      let answer = '';
      socket.on('data', (chunk) => (answer += String(chunk)));
      socket.on('close', () => resolve(answer));
      socket.on('error', reject);
    });
  }

  it('runs one command line and answers what it printed; the log has the name, not the arguments', async () => {
    await start();
    const answer = await sendToServer(socketPath, ['platform', 'add', '--client-id', 'secret-ish-value']);
    expect(answer).toEqual({ exitCode: 0, stdout: 'ran 4 words\n', stderr: '' });
    expect(ran).toEqual([['platform', 'add', '--client-id', 'secret-ish-value']]);
    const line = logs.find((entry) => entry.command !== undefined);
    expect(line).toMatchObject({ command: 'platform add', exitCode: 0, level: 30 });
    expect(JSON.stringify(logs)).not.toContain('secret-ish-value');
  });

  it('is created mode 0600 even under a permissive umask, with no moment open to others', async () => {
    // The mode comes from the umask it binds under, not a chmod after (that leaves a moment open):
    // without its own umask the socket is 0777 here, and the server refuses to accept on it.
    const umask = process.umask(0);
    try {
      await start();
    } finally {
      process.umask(umask);
    }
    expect(server?.listening).toBe(true);
    expect(logs.filter((entry) => entry.level === 40)).toEqual([]);
    const stat = fs.lstatSync(socketPath);
    expect(stat.isSocket()).toBe(true);
    expect(stat.mode & 0o777).toBe(0o600);
  });

  it.each([
    ['not JSON', 'platform list\n'],
    ['the wrong shape', '{"argv":"platform list"}\n'],
    ['an unknown field', '{"argv":[],"as":"root"}\n'],
  ])('refuses %s with exit 1 and runs nothing', async (_what, bytes) => {
    await start();
    const answer = JSON.parse(await raw(bytes));
    expect(answer).toEqual({
      exitCode: 1,
      stdout: '',
      stderr: 'Error: the control request was not understood (one line of JSON: {"argv": [...]}).\n',
    });
    expect(ran).toEqual([]);
  });

  it('refuses a request over the size limit, running nothing', async () => {
    await start({ maxRequestBytes: 1024 });
    const answer = JSON.parse(await raw(`${JSON.stringify({ argv: ['x'.repeat(2000)] })}\n`));
    expect(answer).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/longer than 1024 bytes/) });
    expect(ran).toEqual([]);
  });

  it('closes a connection that sends no request in time', async () => {
    await start({ timeoutMs: 200 });
    const started = Date.now();
    expect(await raw('{"argv": [')).toBe('');
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(ran).toEqual([]);
  });

  it('answers exit 1 when the command outlives the deadline, saying it may still complete', async () => {
    const late = { exitCode: 0, stdout: 'late\n', stderr: '' };
    let finished: Promise<ControlResponse> | undefined;
    const run = () => (finished = new Promise((resolve) => setTimeout(() => resolve(late), 600)));
    await start({ timeoutMs: 200, run });
    const answer = await sendToServer(socketPath, ['platform', 'list']);
    expect(answer).toMatchObject({ exitCode: 1, stderr: expect.stringMatching(/may still complete/) });
    // The command ran on; its late answer goes nowhere.
    await expect(finished).resolves.toEqual(late);
  });

  it('replaces a stale socket left by a process killed with SIGKILL', async () => {
    const holder = spawn(process.execPath, [
      '-e',
      `require('net').createServer().listen(${JSON.stringify(socketPath)}, () => process.kill(process.pid, 'SIGKILL'))`,
    ]);
    await new Promise((resolve) => holder.on('exit', resolve));
    expect(fs.lstatSync(socketPath).isSocket()).toBe(true);
    // Nobody listens: the CLI's side sees no server.
    await expect(sendToServer(socketPath, ['platform', 'list'])).resolves.toBeUndefined();
    await start();
    await expect(sendToServer(socketPath, ['platform', 'list'])).resolves.toMatchObject({ exitCode: 0 });
  });

  it('close waits for a running command, then removes the socket file', async () => {
    let finish: () => void = () => undefined;
    await start({
      run: () =>
        new Promise((resolve) => {
          finish = () => resolve({ exitCode: 0, stdout: 'done\n', stderr: '' });
        }),
    });
    const answer = sendToServer(socketPath, ['platform', 'add']);
    await new Promise((resolve) => setTimeout(resolve, 100));
    const closed = (server as ControlServer).close(5_000);
    setTimeout(() => finish(), 100);
    await closed;
    await expect(answer).resolves.toEqual({ exitCode: 0, stdout: 'done\n', stderr: '' });
    expect(fs.existsSync(socketPath)).toBe(false);
    await expect(sendToServer(socketPath, ['platform', 'list'])).resolves.toBeUndefined();
  });

  it('without a usable path (a file in the way, a path too long) warns and runs on without it', async () => {
    fs.writeFileSync(socketPath, 'not a socket');
    expect((await start()).listening).toBe(false);
    expect(fs.readFileSync(socketPath, 'utf8')).toBe('not a socket');
    const long = path.join(dir, `${'x'.repeat(120)}.sock`);
    expect((await start({ at: long })).listening).toBe(false);
    expect(fs.existsSync(long)).toBe(false);
    await expect(sendToServer(long, ['platform', 'list'])).resolves.toBeUndefined();
    expect(logs.filter((line) => line.level === 40)).toHaveLength(2);
  });

  it('a socket that came out open to others (a bind that ignores the umask) is removed, warned of, and never answers', async () => {
    const umask = process.umask(0);
    const ignored = jest.spyOn(process, 'umask').mockImplementation(() => 0);
    try {
      expect((await start()).listening).toBe(false);
    } finally {
      ignored.mockRestore();
      process.umask(umask);
    }
    expect(fs.existsSync(socketPath)).toBe(false);
    await expect(sendToServer(socketPath, ['platform', 'list'])).resolves.toBeUndefined();
    expect(ran).toEqual([]);
    const warning = logs.find((line) => line.level === 40);
    expect(JSON.stringify(warning)).toContain('was created mode 0777, not 0600');
  });
});

describe('the CLI side of the control socket', () => {
  let dir: string;
  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-lti-ctl-client-'));
  });
  afterEach(() => fs.rmSync(dir, { recursive: true, force: true }));

  it('sees no server when there is no socket file', async () => {
    await expect(sendToServer(path.join(dir, 'control.sock'), ['platform', 'list'])).resolves.toBeUndefined();
  });

  it.each([
    ['closes without answering', (socket: net.Socket) => socket.destroy()],
    ['answers something else', (socket: net.Socket) => socket.end('{"ok":true}\n')],
  ])('is control_interrupted when the server %s, once the command was sent', async (_what, answer) => {
    const socketPath = path.join(dir, 'control.sock');
    const received: string[] = [];
    const fake = net.createServer((socket) =>
      socket.once('data', (chunk) => {
        received.push(String(chunk));
        answer(socket);
      }),
    );
    await new Promise<void>((resolve) => fake.listen(socketPath, resolve));
    try {
      await expect(sendToServer(socketPath, ['platform', 'remove', '--id', 'x'])).rejects.toMatchObject({
        id: 'control_interrupted',
        detail: expect.stringContaining(socketPath),
      });
      expect(received).toEqual(['{"argv":["platform","remove","--id","x"]}\n']);
    } finally {
      await new Promise((resolve) => fake.close(resolve));
    }
  });
});
