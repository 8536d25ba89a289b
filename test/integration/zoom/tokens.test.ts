import { sql } from 'drizzle-orm';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

describe('Zoom access tokens in use', () => {
  let h: ZoomHarness;
  let ref: { id: string; schoolId: string; zoomAccountId: string; plan: 'pro' };
  beforeAll(async () => {
    h = await createZoomHarness();
    expect((await h.connectOAuth()).status).toBe(200);
    const row = (await h.connectionRow()) as { id: string; school_id: string };
    ref = { id: row.id, schoolId: row.school_id, zoomAccountId: h.account.account_id, plan: 'pro' };
  });
  afterAll(() => h.close());

  it('a fresh token is used as it is: no request to Zoom’s token endpoint', async () => {
    h.zoom.clearRequests();
    const first = await h.built.zoom.tokens.accessToken(ref.id);
    expect(await h.built.zoom.tokens.accessToken(ref.id)).toBe(first);
    expect(h.zoom.requests({ path: '/oauth/token' })).toHaveLength(0);
  });

  it('is renewed ahead of expiry (within five minutes of it), with the rotated refresh token stored', async () => {
    const before = await h.connectionRow();
    await h.database.db.execute(
      sql`update zoom_connections set access_token_expires_at = now() + interval '2 minutes'`,
    );
    h.zoom.clearRequests();
    const old = await h.built.zoom.tokens.accessToken(ref.id, {});
    expect(h.zoom.requests({ path: '/oauth/token' })).toHaveLength(1);
    const after = await h.connectionRow();
    expect(after?.refresh_token_sealed).not.toBe(before?.refresh_token_sealed);
    expect(Number(after?.token_version)).toBe(Number(before?.token_version) + 1);
    expect(new Date(String(after?.access_token_expires_at)).getTime()).toBeGreaterThan(
      Date.now() + 50 * 60_000,
    );
    expect(typeof old).toBe('string');
  });

  it('when Zoom refuses a token we believed fresh (401 code 124), it is renewed once and the call succeeds', async () => {
    await h.zoom.advanceClock(3700); // Zoom's clock: our token has expired there, not in our records
    h.zoom.clearRequests();
    const user = await h.built.zoom.client.forConnection(ref).getUser(h.account.admin_email);
    expect(user.email).toBe(h.account.admin_email);
    expect(h.zoom.requests({ path: '/oauth/token' })).toHaveLength(1);
    const refused = h.zoom.requests().filter((entry) => entry.status === 401);
    expect(refused).toHaveLength(1);
  });
});
