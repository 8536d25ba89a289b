import { sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows } from '../../../src/storage';
import { createConsoleHarness, get, signIn, type ConsoleHarness, type Session } from './console.harness';

const TOKEN = 'metrics-token-0123456789abcdef';

/** The value of one sample in Prometheus' text format (0 when absent). */
function sampleOf(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

/**
 * Issue 17, item 19: a background job that gives up is more than a `failed` row and a log line: it
 * is counted in the metrics (given up by this instance; failed in every instance) and listed on
 * its school's page in the operator console, with what it was, when it failed and its last error.
 */
describe('failed background jobs in the metrics and on the school’s page', () => {
  let h: ConsoleHarness;
  let session: Session;
  let schoolId: string;
  let otherSchoolId: string;

  beforeAll(async () => {
    h = await createConsoleHarness({ METRICS_TOKEN: TOKEN });
    session = await signIn(h.app);
    const schools = await queryRows<{ id: string; name: string }>(
      h.database.db,
      sql`insert into schools (name) values ('Failing school'), ('Other school') returning id, name`,
    );
    schoolId = schools.find((s) => s.name === 'Failing school')?.id ?? '';
    otherSchoolId = schools.find((s) => s.name === 'Other school')?.id ?? '';
    h.built.jobs.register('test.sync', {
      handler: async () => {
        throw new Error('Zoom refused: the connection needs re-authorizing');
      },
      maxAttempts: 1,
    });
  });
  afterAll(() => h.close());

  const scrape = async () => {
    const answer = await request(h.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(answer.status).toBe(200);
    return answer.text;
  };
  const settle = async () => {
    await h.built.jobs.runDue();
    for (let i = 0; i < 100; i += 1) {
      const held = await queryRows(
        h.database.db,
        sql`select 1 from background_jobs where lease_owner is not null`,
      );
      if (held.length === 0) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
  };

  it('when no job has failed, the page says so and the gauge is empty', async () => {
    const page = await get(h.app, session, `/admin/schools/${schoolId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('No background job of this school has failed.');
    expect(sampleOf(await scrape(), 'background_jobs_failed', { kind: 'test.sync' })).toBe(0);
  });

  it('a job that gives up is counted and shown on its own school’s page only, with its last error', async () => {
    await h.built.jobs.enqueue('test.sync', 'course-1', { schoolId, contextId: 'c1' });
    await settle();
    const text = await scrape();
    expect(sampleOf(text, 'background_jobs_failed_total', { kind: 'test.sync' })).toBe(1);
    expect(sampleOf(text, 'background_jobs_failed', { kind: 'test.sync' })).toBe(1);

    const page = await get(h.app, session, `/admin/schools/${schoolId}`);
    expect(page.text).toContain('Failed background jobs');
    expect(page.text).toMatch(
      /<td>\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ<\/td>\s*<th scope="row">Background work <code>test\.sync<\/code><\/th>\s*<td>1<\/td>\s*<td>Zoom refused: the connection needs re-authorizing<\/td>/,
    );
    expect(page.text).not.toContain('course-1');
    const other = await get(h.app, session, `/admin/schools/${otherSchoolId}`);
    expect(other.text).toContain('No background job of this school has failed.');
  });

  it('a failed job asked for again leaves the gauge (the counter of given-up jobs stays)', async () => {
    await h.built.jobs.enqueue('test.sync', 'course-1', { schoolId }, Date.now() + 3_600_000);
    const text = await scrape();
    expect(sampleOf(text, 'background_jobs_failed', { kind: 'test.sync' })).toBe(0);
    expect(sampleOf(text, 'background_jobs_failed_total', { kind: 'test.sync' })).toBe(1);
    const page = await get(h.app, session, `/admin/schools/${schoolId}`);
    expect(page.text).toContain('No background job of this school has failed.');
  });
});
