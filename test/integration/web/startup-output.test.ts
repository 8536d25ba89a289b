import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { stripVTControlCharacters } from 'node:util';
import { seededDataDir } from '../../support/data-dir';
import { freePort, ROOT, waitFor } from '../../support/process';

/**
 * `npm start` at a terminal (a pseudo-terminal made by util-linux's `script`): readable log lines,
 * not JSON, and the sandbox's URL last, after a blank line, in words. (Through a pipe it prints JSON
 * and one `Sandbox: <URL>` line: test/e2e/sandbox.e2e.test.ts reads that.)
 */
const hasScript = spawnSync('script', ['--version']).status === 0;

(hasScript ? describe : describe.skip)('npm start at a terminal', () => {
  let dataDir: string;
  afterAll(() => dataDir && fs.rmSync(dataDir, { recursive: true, force: true }));

  it('prints readable lines, then a blank line and "Open the sandbox: <URL>" last', async () => {
    dataDir = await seededDataDir('startup-tty-');
    const port = await freePort();
    const child = spawn(
      'script',
      ['-qfec', `"${process.execPath}" --import tsx src/server.ts`, '/dev/null'],
      {
        cwd: ROOT,
        detached: true, // its own process group: stopped as one below
        env: {
          PATH: process.env.PATH,
          HOME: process.env.HOME,
          DATA_DIR: dataDir,
          PORT: String(port),
          HOST: '127.0.0.1',
          PUBLIC_URL: `http://localhost:${port}`,
          SANDBOX: 'on',
          LOG_LEVEL: 'info',
        },
        stdio: ['ignore', 'pipe', 'pipe'],
      },
    );
    let output = '';
    child.stdout.on('data', (chunk) => (output += String(chunk)));
    child.stderr.on('data', (chunk) => (output += String(chunk)));
    const exited = new Promise((resolve) => child.on('exit', resolve));
    try {
      await waitFor(async () => output.includes('Open the sandbox: '), 90_000, 'the sandbox URL');
      await new Promise((resolve) => setTimeout(resolve, 500)); // nothing follows it
      const lines = stripVTControlCharacters(output).replace(/\r/g, '').trimEnd().split('\n');
      expect(lines.at(-1)).toBe(`Open the sandbox: http://localhost:${port}/`);
      expect(lines.at(-2)).toBe('');
      const logLines = lines.slice(0, -2).filter(Boolean);
      expect(logLines.length).toBeGreaterThan(2);
      for (const line of logLines) expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] (INFO|WARN)/);
      expect(output).not.toContain('{"level"');
      expect(output).not.toMatch(/^Sandbox: /m);
    } finally {
      if (child.pid) process.kill(-child.pid, 'SIGTERM');
      await exited;
    }
  }, 120_000);
});
