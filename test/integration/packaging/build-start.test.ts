import { execFile, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { freePort, ok, ROOT, waitFor } from '../../support/process';

const run = promisify(execFile);

/**
 * `npm run build && npm run start:prod` as the README and the Dockerfile use them: the compiled
 * server, from dist/ alone (its migrations and assets copied beside it), answers /readyz.
 */
describe('npm run build, then npm run start:prod', () => {
  let dataDir: string;
  beforeAll(() => {
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'start-prod-'));
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('serves /readyz (200) from dist/, with the migrations applied and the assets found', async () => {
    await run('npm', ['run', 'build'], { cwd: ROOT, env: process.env, maxBuffer: 16 * 1024 * 1024 });
    expect(fs.existsSync(path.join(ROOT, 'dist', 'server.js'))).toBe(true);
    expect(fs.existsSync(path.join(ROOT, 'dist', 'storage', 'migrations', 'meta', '_journal.json'))).toBe(
      true,
    );

    const port = await freePort();
    const url = `http://127.0.0.1:${port}`;
    const child = spawn('npm', ['run', 'start:prod'], {
      cwd: ROOT,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        NODE_ENV: 'production',
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        DATA_DIR: dataDir,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
      detached: true,
    });
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    try {
      await Promise.race([
        waitFor(() => ok(`${url}/readyz`), 40_000, '/readyz of the compiled server'),
        exited.then((code) => {
          throw new Error(`start:prod exited with ${code}:\n${output}`);
        }),
      ]);
      expect((await fetch(`${url}/healthz`)).status).toBe(200);
      expect((await fetch(`${url}/assets/app.css`)).status).toBe(200);
      expect((await fetch(`${url}/lti/keys`)).status).toBe(200);
      // start:prod (production mode, SANDBOX unset): no sandbox, the product page at /.
      expect((await fetch(`${url}/sandbox`)).status).toBe(404);
      expect(await (await fetch(url)).text()).toContain('For LMS administrators: register the tool');
    } finally {
      // npm runs node as its child: the whole group is stopped.
      if (child.pid !== undefined && child.exitCode === null) process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  }, 120_000);
});
