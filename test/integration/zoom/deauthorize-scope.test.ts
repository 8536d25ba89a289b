import { sql } from 'drizzle-orm';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

/**
 * `app_deauthorized` says that one app was removed from an account: only that app's connection goes.
 * A school that connected the same Zoom account through its own Server-to-Server app keeps it when
 * our Marketplace app is removed, and an event naming another app changes nothing.
 */
describe('app_deauthorized acts only on the connection of the app it names', () => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness();
  });
  afterAll(() => h.close());
  beforeEach(async () => {
    await h.database.db.execute(sql`delete from zoom_connections`);
  });

  const deauthorized = (clientId: string | undefined) => ({
    event: 'app_deauthorized',
    event_ts: Date.now(),
    payload: {
      account_id: h.account.account_id,
      user_id: 'u-owner',
      ...(clientId ? { client_id: clientId } : {}),
      deauthorization_time: new Date().toISOString(),
    },
  });
  const fromMarketplace = (clientId: string | undefined) =>
    h.deliver('/zoom/webhook', h.app_.webhook_secret_token, deauthorized(clientId));

  const connectOwnS2sApp = () => h.connectS2S({ webhookSecretToken: 'own-app-secret' });

  it('when our Marketplace app is removed, a school’s own S2S connection to that account stays connected', async () => {
    await connectOwnS2sApp();
    expect((await fromMarketplace(h.app_.client_id)).status).toBe(200);
    expect(await h.connectionRow()).toMatchObject({ kind: 's2s', status: 'connected' });
    expect((await h.connectionRow())?.access_token_sealed).not.toBeNull();
  });

  it('when the event names another app’s client id, the OAuth connection stays connected', async () => {
    expect((await h.connectOAuth()).status).toBe(200);
    expect((await fromMarketplace('some-other-app')).status).toBe(200);
    expect(await h.connectionRow()).toMatchObject({ kind: 'oauth', status: 'connected' });
  });

  it('when the event names our Marketplace app, the OAuth connection is disconnected', async () => {
    expect((await h.connectOAuth()).status).toBe(200);
    expect((await fromMarketplace(h.app_.client_id)).status).toBe(200);
    expect(await h.connectionRow()).toMatchObject({
      status: 'disconnected',
      last_error: 'app_deauthorized',
      access_token_sealed: null,
    });
  });

  it('when a school’s own app is removed, its own endpoint disconnects it only if the client id is that app’s', async () => {
    const s2s = await connectOwnS2sApp();
    const { webhook_id: webhookId } = (await h.connectionRow()) as { webhook_id: string };
    const toSchool = (clientId: string) =>
      h.deliver(`/zoom/webhook/${webhookId}`, 'own-app-secret', deauthorized(clientId));
    expect((await toSchool(h.app_.client_id)).status).toBe(200);
    expect(await h.connectionRow()).toMatchObject({ status: 'connected' });
    expect((await toSchool(s2s.client_id)).status).toBe(200);
    expect(await h.connectionRow()).toMatchObject({ status: 'disconnected', last_error: 'app_deauthorized' });
  });
});
