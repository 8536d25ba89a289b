import request from 'supertest';
import { sql } from 'drizzle-orm';
import { ConfigError, loadConfig } from '../../../src/config';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

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

describe('GET /metrics', () => {
  const logLines: string[] = [];
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness({ logLines, env: { METRICS_TOKEN: TOKEN } });
  });
  afterAll(() => h.close());

  const scrape = async () => {
    const answer = await request(h.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(answer.status).toBe(200);
    return answer.text;
  };

  it('when no token or a wrong one is sent, it is refused (401) and shows nothing', async () => {
    const none = await request(h.app).get('/metrics');
    expect(none.status).toBe(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    expect(none.text).not.toContain('lti_launches_total');
    const wrong = await request(h.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}x`);
    expect(wrong.status).toBe(401);
    const basic = await request(h.app).get('/metrics').set('Authorization', `Basic ${TOKEN}`);
    expect(basic.status).toBe(401);
    expect(JSON.stringify(logLines)).not.toContain(TOKEN);
  });

  it('with the token, answers Prometheus text format, process metrics included', async () => {
    const answer = await request(h.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`);
    expect(answer.status).toBe(200);
    expect(answer.headers['content-type']).toMatch(/^text\/plain; version=0\.0\.4/);
    expect(answer.text).toContain('# TYPE lti_launches_total counter');
    expect(answer.text).toContain('# TYPE lti_launch_duration_seconds histogram');
    expect(answer.text).toContain('process_cpu_seconds_total');
  });

  it('a scrape is not logged as a request', async () => {
    logLines.length = 0;
    await scrape();
    expect(logLines.filter((line) => line.includes('/metrics'))).toEqual([]);
  });

  it('after launches, the counters have moved: landed, refused, latency, Zoom requests, provisioning', async () => {
    expect((await h.connectOAuth()).status).toBe(200);
    const before = await scrape();
    const { course } = await h.launch(h.lms.users.instructor.id);
    expect(course.status).toBe(200);
    const refused = await h.postLaunch({ id_token: 'not-a-token', state: 'no-such-state' });
    expect(refused.status).toBeGreaterThanOrEqual(400);
    const after = await scrape();

    const landed = { outcome: 'landed' };
    expect(sampleOf(after, 'lti_launches_total', landed)).toBe(
      sampleOf(before, 'lti_launches_total', landed) + 1,
    );
    const refusedLine = after
      .split('\n')
      .find((line) => line.startsWith('lti_launches_total{outcome="refused:'));
    expect(refusedLine).toBeDefined();
    expect(sampleOf(after, 'lti_launch_duration_seconds_count')).toBe(
      sampleOf(before, 'lti_launch_duration_seconds_count') + 1,
    );
    const provisioned = after
      .split('\n')
      .filter((line) => line.startsWith('provisioning_outcomes_total{'))
      .reduce((sum, line) => sum + Number(line.slice(line.lastIndexOf(' ') + 1)), 0);
    expect(provisioned).toBeGreaterThan(0);
    expect(sampleOf(after, 'zoom_requests_total', { category: 'light' })).toBeGreaterThan(0);
    // Bounded labels: no user, school, account or course id appears anywhere.
    expect(after).not.toContain(h.account.account_id);
    expect(after).not.toContain(String(h.lms.users.instructor.email));
    expect(after).not.toContain(h.lms.issuer);
  });

  it("after a token renewal and Zoom's webhook deliveries, those counters have moved too", async () => {
    const before = await scrape();
    await h.database.db.execute(
      sql`update zoom_connections set access_token_expires_at = now() + interval '1 minute'`,
    );
    const row = (await h.connectionRow()) as { id: string };
    await h.built.zoom.tokens.accessToken(row.id);
    const event = {
      event: 'meeting.deleted',
      event_ts: Date.now(),
      payload: { account_id: h.account.account_id, object: { id: 1, uuid: 'u' } },
    };
    expect((await h.deliver('/zoom/webhook', h.app_.webhook_secret_token, event)).status).toBe(200);
    expect((await h.deliver('/zoom/webhook', 'not-the-secret', event)).status).toBe(401);
    const after = await scrape();
    const renewed = { outcome: 'renewed' };
    expect(sampleOf(after, 'zoom_token_refreshes_total', renewed)).toBe(
      sampleOf(before, 'zoom_token_refreshes_total', renewed) + 1,
    );
    expect(
      sampleOf(after, 'zoom_webhook_deliveries_total', { event: 'meeting.deleted', outcome: 'handled' }),
    ).toBe(1);
    expect(
      sampleOf(after, 'zoom_webhook_deliveries_total', {
        event: 'unknown',
        outcome: 'refused:zoom_webhook_signature_invalid',
      }),
    ).toBe(1);
  });
});

describe('GET /metrics without METRICS_TOKEN', () => {
  let h: LtiHarness;
  beforeAll(async () => {
    h = await createLtiHarness({ profile: 'moodle' });
  });
  afterAll(() => h.close());

  it('does not exist (404), with or without a token', async () => {
    expect((await request(h.app).get('/metrics')).status).toBe(404);
    expect((await request(h.app).get('/metrics').set('Authorization', `Bearer ${TOKEN}`)).status).toBe(404);
  });

  it('a METRICS_TOKEN shorter than 16 characters stops the boot, named', () => {
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(ConfigError);
    expect(() => loadConfig({ METRICS_TOKEN: 'short' })).toThrow(/METRICS_TOKEN: must be at least 16/);
  });
});
