import request from 'supertest';
import { sql } from 'drizzle-orm';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';
import { runTs } from '../../support/process';
import { TEST_MASTER_KEY } from '../../support/db';

/**
 * 200 Zoom-bound calls at token expiry, from two OS processes sharing one PostgreSQL: exactly one
 * token request reaches Zoom (the simulator) and no call fails. Runs when TEST_DATABASE_URL is set
 * (CI sets it); PGlite cannot be shared between processes.
 */
const postgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;
if (!process.env.TEST_DATABASE_URL) {
  process.stderr.write(
    'token-storm.test: TEST_DATABASE_URL is not set; the cross-process storm is not exercised\n',
  );
}

postgres('token renewal is single-flight across processes', () => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness({ databaseKind: 'postgres', plan: 'business' });
    h.zoom.setLimits(h.account.account_id, { enabled: false });
  });
  afterAll(() => h.close());

  async function connection() {
    const row = await h.connectionRow();
    if (!row) throw new Error('not connected');
    return row as { id: string; school_id: string };
  }

  async function storm(perProcess: number) {
    const row = await connection();
    // Expired for us and for Zoom: every call needs a new token at once.
    await h.zoom.advanceClock(3700);
    await h.database.db.execute(
      sql`update zoom_connections set access_token_expires_at = now() - interval '1 second'`,
    );
    h.zoom.clearRequests();
    const env = {
      DATABASE_URL: String(h.database.url),
      ENCRYPTION_KEY: TEST_MASTER_KEY.toString('hex'),
      ZOOM_CLIENT_ID: h.app_.client_id,
      ZOOM_CLIENT_SECRET: h.app_.client_secret,
      ZOOM_OAUTH_URL: h.zoom.baseUrl,
      ZOOM_API_URL: `${h.zoom.baseUrl}/v2`,
      PUBLIC_URL: 'http://localhost:3000',
      LOG_LEVEL: 'silent',
      CONNECTION_ID: row.id,
      SCHOOL_ID: row.school_id,
      ZOOM_ACCOUNT: h.account.account_id,
      LOOKUP_USER: h.account.admin_email,
      CALLS: String(perProcess),
      START_AT: String(Date.now() + 8000),
    };
    const children = [
      runTs('test/support/zoom-burst.ts', [], env),
      runTs('test/support/zoom-burst.ts', [], env),
    ];
    const codes = await Promise.all(children.map((child) => child.exited));
    const summaries = children.map((child) => JSON.parse(child.output().trim().split('\n').pop() ?? '{}'));
    return { codes, summaries, tokenRequests: h.zoom.requests({ path: '/oauth/token' }) };
  }

  it('OAuth: 200 calls at expiry over 2 processes → one refresh request, no failure', async () => {
    expect((await h.connectOAuth()).status).toBe(200);
    const { codes, summaries, tokenRequests } = await storm(100);
    expect(codes).toEqual([0, 0]);
    expect(summaries).toEqual([
      { ok: 100, failed: 0, errors: [] },
      { ok: 100, failed: 0, errors: [] },
    ]);
    expect(tokenRequests.map((entry) => entry.grant_type)).toEqual(['refresh_token']);
    expect(
      h.zoom.requests({ path: `/v2/users/${h.account.admin_email}` }).every((entry) => entry.status === 200),
    ).toBe(true);
  }, 120_000);

  it('S2S: 200 calls at expiry over 2 processes → one account-credentials request, no failure', async () => {
    await h.database.db.execute(sql`delete from zoom_connections`);
    const s2s = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
    const ltik = await h.adminLtik();
    const connected = await request(h.app)
      .post('/lti/zoom/s2s')
      .type('form')
      .send({
        ltik,
        csrf: h.formToken(ltik),
        accountId: h.account.account_id,
        clientId: s2s.client_id,
        clientSecret: s2s.client_secret,
      });
    expect(connected.status).toBe(303);
    const { codes, summaries, tokenRequests } = await storm(100);
    expect(codes).toEqual([0, 0]);
    expect(summaries).toEqual([
      { ok: 100, failed: 0, errors: [] },
      { ok: 100, failed: 0, errors: [] },
    ]);
    expect(tokenRequests.map((entry) => entry.grant_type)).toEqual(['account_credentials']);
  }, 120_000);
});
