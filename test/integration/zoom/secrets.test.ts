import request from 'supertest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/storage';
import { openFor } from '../../../src/zoom/zoom.tokens';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

describe('secrets at rest and in logs', () => {
  const logLines: string[] = [];
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness({ logLines });
  });
  afterAll(() => h.close());

  it('no table and no log line holds a Zoom token, client secret, webhook secret or private key in clear', async () => {
    expect((await h.connectOAuth()).status).toBe(200);
    const oauthRow = (await h.connectionRow()) as {
      id: string;
      access_token_sealed: string;
      refresh_token_sealed: string;
    };
    const secrets = [
      openFor(h.built.secretBox, oauthRow.id, 'access', oauthRow.access_token_sealed),
      openFor(h.built.secretBox, oauthRow.id, 'refresh', oauthRow.refresh_token_sealed),
      h.app_.client_secret,
      h.app_.webhook_secret_token,
    ];
    // A second school on its own Server-to-Server app, with its own webhook secret.
    const other = await h.addLms({ profile: 'canvas', school: 'S2S school' });
    const account = await h.zoom.createAccount({ plan: 'pro' });
    const s2s = await h.zoom.createApp({ kind: 's2s', account_id: account.account_id });
    const ltik = await h.adminLtik(other);
    const connected = await request(h.app)
      .post('/lti/zoom/s2s')
      .type('form')
      .send({
        ltik,
        csrf: h.formToken(ltik),
        accountId: account.account_id,
        clientId: s2s.client_id,
        clientSecret: s2s.client_secret,
        webhookSecretToken: 'school-webhook-secret-0123456789',
      });
    expect(connected.status).toBe(303);
    const s2sRow = (await h.connectionRow('S2S school')) as { id: string; access_token_sealed: string };
    secrets.push(
      openFor(h.built.secretBox, s2sRow.id, 'access', s2sRow.access_token_sealed),
      s2s.client_secret,
      'school-webhook-secret-0123456789',
    );

    const tables = await queryRows<{ tablename: string }>(
      h.database.db,
      sql`select schemaname || '.' || tablename as tablename from pg_tables where schemaname in ('public', 'drizzle')`,
    );
    expect(tables.map((table) => table.tablename)).toEqual(
      expect.arrayContaining(['public.zoom_connections', 'public.ltijs_documents', 'public.registrations']),
    );
    let dump = '';
    for (const { tablename } of tables) {
      const rows = await queryRows<{ row: string }>(
        h.database.db,
        sql.raw(`select row_to_json(t)::text as row from ${tablename} t`),
      );
      dump += rows.map((row) => row.row).join('\n');
    }
    expect(dump.length).toBeGreaterThan(1000);
    const logs = logLines.join('');
    expect(logs.length).toBeGreaterThan(1000);
    for (const secret of secrets) {
      expect(secret.length).toBeGreaterThan(15);
      expect(dump).not.toContain(secret);
      expect(logs).not.toContain(secret);
    }
    expect(dump).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
    expect(logs).not.toMatch(/BEGIN (RSA )?PRIVATE KEY/);
  });
});
