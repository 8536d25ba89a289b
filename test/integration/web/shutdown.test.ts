import fs from 'node:fs';
import { sql } from 'drizzle-orm';
import { loadConfig } from '../../../src/config';
import { startServer, type RunningServer } from '../../../src/server';
import { createLogger } from '../../../src/shared/logger';
import { queryRows } from '../../../src/storage';
import { freePort } from '../../support/process';
import { seededDataDir } from '../../support/data-dir';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Graceful shutdown: the server stops taking requests, lets background work finish (bounded), and
 * only then closes the database that work writes to.
 */
describe('stopping the server while background work runs', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await seededDataDir('zoom-lti-shutdown-');
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function start(): Promise<RunningServer> {
    const port = await freePort();
    const config = loadConfig({
      DATA_DIR: dataDir,
      PORT: String(port),
      HOST: '127.0.0.1',
      PUBLIC_URL: `http://localhost:${port}`,
      LOG_LEVEL: 'silent',
      SANDBOX: 'off',
    });
    return startServer(config, createLogger({ level: 'silent' }));
  }

  it('waits for a running job, which still reaches the database, before closing it', async () => {
    const running = await start();
    const events: string[] = [];
    running.built.jobs.register('test.slow-write', {
      handler: async () => {
        events.push('started');
        await sleep(600);
        const [row] = await queryRows<{ answer: number }>(running.database.db, sql`select 42 as answer`);
        events.push(`wrote ${String(row?.answer)}`);
      },
    });
    await running.built.jobs.enqueue('test.slow-write', 'only', {});
    while (!events.includes('started')) await sleep(20);
    await running.stop();
    expect(events).toEqual(['started', 'wrote 42']);
  });

  it('keeps a job that was not due yet, and the next start runs it', async () => {
    const first = await start();
    first.built.jobs.register('test.later', { handler: async () => undefined });
    await first.built.jobs.enqueue('test.later', 'later', { n: 1 }, Date.now() + 60 * 60_000);
    await first.stop();

    const second = await start();
    const seen: unknown[] = [];
    second.built.jobs.register('test.later', { handler: async (payload) => void seen.push(payload) });
    await second.database.db.execute(sql`update background_jobs set run_at = now() where key = 'later'`);
    while (seen.length === 0) await sleep(20);
    await second.stop();
    expect(seen).toEqual([{ n: 1 }]);
  });
});
