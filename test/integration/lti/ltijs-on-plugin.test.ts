import { sql } from 'drizzle-orm';
import request from 'supertest';
import { LtijsDatabasePlugin } from '../../../src/lti/lti.plugin';
import { SecretBox } from '../../../src/shared/crypto';
import { queryRows } from '../../../src/storage';
import { createTestDatabase, databaseKinds, TEST_MASTER_KEY, type TestDatabase } from '../../support/db';
import { loadLtijsProvider, withoutNewSigintListeners } from './ltijs.harness';

/** ltijs itself, running on our database plugin: platforms, tool keys and the key set. */
const NONCE_TTL_SECONDS = 30;

describe.each(databaseKinds())('ltijs on our database plugin (%s)', (kind) => {
  let database: TestDatabase;
  const countRows = async () => {
    const [row] = await queryRows<{ count: string | number }>(
      database.db,
      sql`select count(*) as count from ltijs_documents`,
    );
    return Number(row?.count);
  };

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await database?.drop();
  });

  describe('ltijs on the plugin, end to end', () => {
    it('registers, finds, lists, exposes and deletes a platform', async () => {
      await database.db.execute(sql`delete from ltijs_documents`);
      const e2ePlugin = new LtijsDatabasePlugin({
        db: database.db,
        secretBox: new SecretBox(TEST_MASTER_KEY),
        nonceTtlSeconds: NONCE_TTL_SECONDS,
      });
      await withoutNewSigintListeners(async () => {
        const provider = loadLtijsProvider();
        provider.setup(
          'x'.repeat(32),
          { plugin: e2ePlugin },
          { cookies: { secure: true, sameSite: 'None' }, cors: false },
        );
        await provider.deploy({ serverless: true, silent: true });
        const url = 'https://canvas.example.edu';
        const registered = await provider.registerPlatform({
          url,
          name: 'Canvas',
          clientId: '10000000000001',
          authenticationEndpoint: `${url}/api/lti/authorize_redirect`,
          accesstokenEndpoint: `${url}/login/oauth2/token`,
          authConfig: { method: 'JWK_SET', key: 'http://127.0.0.1/jwks' },
        });
        const kid = await registered.platformKid();

        const found = await provider.getPlatform(url, '10000000000001');
        expect(found).not.toBe(false);
        if (found === false) return;
        await expect(found.platformName()).resolves.toBe('Canvas');
        await expect(found.platformKid()).resolves.toBe(kid);
        await expect(found.platformAuthConfig()).resolves.toEqual({
          method: 'JWK_SET',
          key: 'http://127.0.0.1/jwks',
        });
        await expect(found.platformPublicKey()).resolves.toMatch(/^-----BEGIN PUBLIC KEY-----/);
        await expect(found.platformActive()).resolves.toBe(true);
        await found.platformActive(false);
        await expect(found.platformActive()).resolves.toBe(false);
        await expect(provider.getAllPlatforms()).resolves.toHaveLength(1);
        const keyset = await request(provider.app).get('/keys');
        expect(keyset.status).toBe(200);
        expect(keyset.body.keys).toEqual([
          expect.objectContaining({ kid, kty: 'RSA', alg: 'RS256', use: 'sig' }),
        ]);

        const again = await provider.registerPlatform({
          url,
          clientId: '10000000000001',
          name: 'Canvas (renamed)',
        });
        await expect(again.platformName()).resolves.toBe('Canvas (renamed)');
        await expect(again.platformKid()).resolves.toBe(kid);

        const raw = JSON.stringify(
          await queryRows<Record<string, unknown>>(database.db, sql`select * from ltijs_documents`),
        );
        expect(raw).not.toContain('PRIVATE KEY');
        expect(raw).not.toContain('PUBLIC KEY');

        await expect(provider.deletePlatform(url, '10000000000001')).resolves.toBe(true);
        await expect(provider.getPlatform(url, '10000000000001')).resolves.toBe(false);
        await expect(provider.getAllPlatforms()).resolves.toEqual([]);
        expect(await countRows()).toBe(0);
        await provider.close({ silent: true });
      });
    });
  });
});
