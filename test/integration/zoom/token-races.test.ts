import { sql } from 'drizzle-orm';
import { createLogger } from '../../../src/shared/logger';
import { queryRows } from '../../../src/storage';
import { ZoomTokenService, type ZoomOAuthServer } from '../../../src/zoom';
import { openFor } from '../../../src/zoom/zoom.tokens';
import { databaseKinds } from '../../support/db';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

interface Row {
  id: string;
  school_id: string;
  status: string;
  token_version: number;
  access_token_sealed: string | null;
  refresh_token_sealed: string | null;
  refresh_lease_owner: string | null;
}

/**
 * A renewal that reads the connection, asks Zoom, then commits must not write an old grant's tokens
 * back after a disconnect, a deauthorization or a reconnect, nor mark a fresh connection
 * "reconnect required". Each race is staged with a second token service (another instance of the
 * tool) whose request to Zoom's token endpoint waits at a gate while the connection changes.
 */
describe.each(databaseKinds())('Zoom token renewal races (%s)', (databaseKind) => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness({ databaseKind });
  });
  afterAll(() => h.close());

  beforeEach(async () => {
    await h.database.db.execute(sql`delete from zoom_connections`);
    expect((await h.connectOAuth()).status).toBe(200);
  });

  async function row(): Promise<Row> {
    const [found] = await queryRows<Row>(h.database.db, sql`select * from zoom_connections`);
    if (!found) throw new Error('no connection');
    return { ...found, token_version: Number(found.token_version) };
  }

  const accessTokenOf = (r: Row) =>
    r.access_token_sealed ? openFor(h.built.secretBox, r.id, 'access', r.access_token_sealed) : undefined;

  async function expireOurCopy() {
    await h.database.db.execute(
      sql`update zoom_connections set access_token_expires_at = now() - interval '1 second'`,
    );
  }

  /** Another instance of the tool whose token request waits at a gate until `release()`. */
  function gatedInstance(options: { leaseMs?: number } = {}) {
    let release!: () => void;
    let entered!: () => void;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const asked = new Promise<void>((resolve) => (entered = resolve));
    const real = h.built.zoom.oauth;
    const oauth = Object.create(real) as ZoomOAuthServer;
    oauth.refresh = async (app, refreshToken) => {
      entered();
      await gate;
      return real.refresh(app, refreshToken);
    };
    const tokens = new ZoomTokenService({
      db: h.database.db,
      secretBox: h.built.secretBox,
      oauth,
      oauthApp: { clientId: h.app_.client_id, clientSecret: h.app_.client_secret },
      logger: createLogger({ level: 'silent' }),
      leaseMs: options.leaseMs,
    });
    return { tokens, asked, release };
  }

  it('when the school is disconnected during a renewal, no token is written back and the row stays disconnected', async () => {
    await expireOurCopy();
    const other = gatedInstance();
    const renewal = other.tokens.accessToken((await row()).id);
    await other.asked;
    // app_deauthorized arrives (Zoom itself would already refuse; here Zoom still answers the renewal).
    await h.built.zoom.connect.deauthorize({ zoomAccountId: h.account.account_id });
    other.release();
    await expect(renewal).rejects.toMatchObject({ id: 'zoom_not_connected' });
    const after = await row();
    expect(after).toMatchObject({
      status: 'disconnected',
      access_token_sealed: null,
      refresh_token_sealed: null,
      refresh_lease_owner: null,
    });
  });

  it('when an admin disconnects during a renewal whose grant Zoom then refuses, the row stays disconnected (not "reconnect required")', async () => {
    await expireOurCopy();
    const other = gatedInstance();
    const renewal = other.tokens.accessToken((await row()).id);
    await other.asked;
    await h.built.zoom.connect.disconnect((await row()).school_id); // revokes the grant at Zoom
    other.release();
    await expect(renewal).rejects.toMatchObject({ id: 'zoom_not_connected' });
    expect(await row()).toMatchObject({ status: 'disconnected', access_token_sealed: null });
  });

  it('when an admin reconnects during a renewal, the fresh grant is kept and the caller gets its token', async () => {
    const ltik = await h.adminLtik(); // launched before the race: the admin's launch needs a token too
    await expireOurCopy();
    const other = gatedInstance();
    const renewal = other.tokens.accessToken((await row()).id);
    await other.asked;
    expect((await h.connectOAuth({ ltik })).status).toBe(200);
    const reconnected = await row();
    other.release();
    await expect(renewal).resolves.toBe(accessTokenOf(reconnected));
    const after = await row();
    expect(after.status).toBe('connected');
    expect(after.token_version).toBe(reconnected.token_version);
    expect(accessTokenOf(after)).toBe(accessTokenOf(reconnected));
  });

  it('when the lease expired and another instance renewed meanwhile, the late renewal neither overwrites nor kills the connection', async () => {
    await expireOurCopy();
    const slow = gatedInstance({ leaseMs: 150 });
    const id = (await row()).id;
    const late = slow.tokens.accessToken(id);
    await slow.asked;
    await new Promise((resolve) => setTimeout(resolve, 300)); // the slow instance's lease has expired
    const winner = await h.built.zoom.tokens.accessToken(id); // renews with the same refresh token first
    const renewed = await row();
    slow.release(); // Zoom refuses the rotated-away refresh token
    await expect(late).resolves.toBe(winner);
    const after = await row();
    expect(after.status).toBe('connected');
    expect(after.token_version).toBe(renewed.token_version);
    expect(accessTokenOf(after)).toBe(winner);
  });

  it('when Zoom refuses a token (missing scopes) that a reconnect has already replaced, the fresh connection is not marked', async () => {
    const before = await row();
    const stale = accessTokenOf(before);
    expect((await h.connectOAuth()).status).toBe(200);
    await h.built.zoom.tokens.markReconnectRequired(before.id, 'missing_scopes', { token: stale });
    expect((await row()).status).toBe('connected');
  });

  it('when Zoom refuses the token the connection holds (missing scopes), it is marked "reconnect required"', async () => {
    const current = await row();
    await h.built.zoom.tokens.markReconnectRequired(current.id, 'missing_scopes', {
      token: accessTokenOf(current),
    });
    expect(await row()).toMatchObject({ status: 'reconnect_required', access_token_sealed: null });
  });
});
