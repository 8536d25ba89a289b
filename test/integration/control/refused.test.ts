import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runCli } from '../../../src/cli';
import { startControlServer, type ControlServer } from '../../../src/control';
import { createLogger } from '../../../src/shared/logger';
import { lockDataDir } from '../../../src/storage/storage.lock';

/**
 * DATA_DIR's lock held by a live process that does not answer on DATA_DIR/control.sock (a server
 * still starting, an older version, another user's): the CLI waits a moment for it to answer, then
 * is refused with what to do, changing nothing.
 */
describe('the CLI when a live process holds the embedded database', () => {
  let dataDir: string;
  let release: () => Promise<void>;
  let control: ControlServer | undefined;
  beforeEach(async () => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-lti-ctl-held-'));
    release = await lockDataDir(dataDir);
  });
  afterEach(async () => {
    await control?.close();
    control = undefined;
    await release();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  async function cli(args: string[], serverStartWaitMs: number) {
    let out = '';
    let err = '';
    const code = await runCli(args, {
      env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      io: { out: (text) => (out += text), err: (text) => (err += text) },
      serverStartWaitMs,
    });
    return { code, out, err };
  }

  it('without a socket answering: exit 1, naming DATA_DIR and the socket, saying what to do', async () => {
    const refused = await cli(['platform', 'list', '--json'], 300);
    expect(refused.code).toBe(1);
    expect(refused.out).toBe('');
    expect(refused.err).toBe(
      `Error: The embedded database in ${dataDir} is held by a running process that does not answer on ${path.join(dataDir, 'control.sock')}.\n` +
        'If it is starting, try again in a moment; run the CLI as the user that runs the server; if the server is an older version, restart it (or stop it, and the CLI opens the database itself).\n',
    );
    expect(fs.readdirSync(dataDir)).toEqual(['.lock']);
  });

  it('a server that starts answering while the CLI waits runs the command', async () => {
    const ran: string[][] = [];
    const listening = new Promise<void>((resolve) =>
      setTimeout(() => {
        void startControlServer({
          socketPath: path.join(dataDir, 'control.sock'),
          logger: createLogger({ level: 'silent' }),
          describe: () => 'test',
          run: async (argv) => {
            ran.push(argv);
            return { exitCode: 0, stdout: '[]\n', stderr: '' };
          },
        }).then((started) => {
          control = started;
          resolve();
        });
      }, 500),
    );
    const answered = await cli(['platform', 'list', '--json'], 5_000);
    await listening;
    expect(answered).toEqual({ code: 0, out: '[]\n', err: '' });
    expect(ran).toEqual([['platform', 'list', '--json']]);
  });
});
