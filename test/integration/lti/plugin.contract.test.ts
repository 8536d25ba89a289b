import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { LtijsDatabasePlugin, LtijsPluginError } from '../../../src/lti/lti.plugin';
import { canonicalJson } from '../../../src/lti/lti.plugin.repo';
import { SecretBox } from '../../../src/shared/crypto';
import { queryRows } from '../../../src/storage';
import { createTestDatabase, databaseKinds, TEST_MASTER_KEY, type TestDatabase } from '../../support/db';

/**
 * Contract of our ltijs database plugin, on every database kind: the observable behaviour of
 * ltijs' Mongo layer (Utils/Database.js), plus sealing, atomic upserts and real expiry.
 */
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const NONCE_TTL_SECONDS = 30;
const LTIJS_KEY = 'k'.repeat(32);
const PLATFORM = {
  platformUrl: 'https://lms.example.edu',
  clientId: 'client-1',
  platformName: 'Example LMS',
  authEndpoint: 'https://lms.example.edu/auth',
  accesstokenEndpoint: 'https://lms.example.edu/token',
  kid: 'kid-1',
  authConfig: { method: 'JWK_SET', key: 'https://lms.example.edu/jwks' },
};
const KEY_PAIR = crypto.generateKeyPairSync('rsa', {
  modulusLength: 1024,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});

interface RawRow {
  collection: string;
  doc: Record<string, unknown>;
  sealed: string | null;
  created_at: Date | string;
  expires_at: Date | string | null;
}

function codeOf(error: unknown): string | undefined {
  return error instanceof LtijsPluginError ? error.code : undefined;
}

describe.each(databaseKinds())('ltijs database plugin on %s', (kind) => {
  let database: TestDatabase;
  let nowMs = T0;
  let plugin: LtijsDatabasePlugin;

  const rawRows = (collection: string) =>
    queryRows<RawRow>(
      database.db,
      sql`select * from ltijs_documents where collection = ${collection} order by id`,
    );
  const countRows = async (collection?: string) => {
    const [row] = await queryRows<{ count: string | number }>(
      database.db,
      collection === undefined
        ? sql`select count(*) as count from ltijs_documents`
        : sql`select count(*) as count from ltijs_documents where collection = ${collection}`,
    );
    return Number(row?.count);
  };
  const makePlugin = (nonceTtlSeconds = NONCE_TTL_SECONDS) =>
    new LtijsDatabasePlugin({
      db: database.db,
      secretBox: new SecretBox(TEST_MASTER_KEY),
      nonceTtlSeconds,
      now: () => nowMs,
    });

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });

  afterAll(async () => {
    await database?.drop();
  });

  describe('contract', () => {
    beforeEach(async () => {
      await database.db.execute(sql`delete from ltijs_documents`);
      nowMs = T0;
      plugin = makePlugin();
      await plugin.setup();
    });

    describe('arguments and lifecycle', () => {
      it('when the plugin is not set up or was closed, every method refuses like ltijs', async () => {
        const fresh = makePlugin();
        await expect(fresh.Get(false, 'platform', {})).rejects.toThrow('PROVIDER_NOT_DEPLOYED');
        await expect(fresh.setup()).resolves.toBe(true);
        await expect(fresh.Get(false, 'platform', {})).resolves.toBe(false);
        await expect(fresh.Close()).resolves.toBe(true);
        await expect(fresh.Insert(false, 'platform', PLATFORM)).rejects.toThrow('PROVIDER_NOT_DEPLOYED');
        await expect(fresh.Delete('platform', {})).rejects.toThrow('PROVIDER_NOT_DEPLOYED');
      });

      it('when a collection is missing or unknown, or a parameter is missing, it throws the ltijs error', async () => {
        await expect(plugin.Get(false, '', {})).rejects.toThrow('MISSING_COLLECTION');
        await expect(plugin.Get(false, 'users', {})).rejects.toThrow('MISSING_COLLECTION');
        await expect(plugin.Insert(false, 'users', { a: 1 })).rejects.toThrow('MISSING_COLLECTION');
        await expect(plugin.Insert(false, '', { a: 1 })).rejects.toThrow('MISSING_PARAMS');
        const missing = undefined as unknown as Record<string, unknown>;
        await expect(plugin.Insert(false, 'platform', missing)).rejects.toThrow('MISSING_PARAMS');
        await expect(plugin.Insert(LTIJS_KEY, 'publickey', { key: 'x' })).rejects.toThrow('MISSING_PARAMS');
        await expect(plugin.Replace(false, 'platform', {}, missing)).rejects.toThrow('MISSING_PARAMS');
        await expect(plugin.Modify(false, 'platform', { kid: 'a' }, missing)).rejects.toThrow(
          'MISSING_PARAMS',
        );
        await expect(plugin.Modify(false, 'platform', missing, { a: 1 })).rejects.toThrow('MISSING_PARAMS');
        await expect(plugin.Delete('platform', missing)).rejects.toThrow('MISSING_PARAMS');
        await expect(plugin.Delete('', {})).rejects.toThrow('MISSING_PARAMS');
        const error = await plugin.Get(false, 'users').catch((caught: unknown) => caught);
        expect(error).toBeInstanceOf(LtijsPluginError);
        expect(codeOf(error)).toBe('MISSING_COLLECTION');
      });

      it('when options are invalid, the constructor refuses them', () => {
        expect(
          () =>
            new LtijsDatabasePlugin({
              db: database.db,
              secretBox: new SecretBox(TEST_MASTER_KEY),
              nonceTtlSeconds: 0,
            }),
        ).toThrow();
      });
    });

    describe('plain collections', () => {
      it('when a collection is empty, Get answers false', async () => {
        await expect(plugin.Get(false, 'platform', { platformUrl: PLATFORM.platformUrl })).resolves.toBe(
          false,
        );
        await expect(plugin.Get(false, 'platform')).resolves.toBe(false);
      });

      it('when a document is inserted, Get returns exactly it, without internal fields', async () => {
        await expect(plugin.Insert(false, 'platform', PLATFORM)).resolves.toBe(true);
        const found = await plugin.Get(false, 'platform', {
          platformUrl: PLATFORM.platformUrl,
          clientId: 'client-1',
        });
        expect(found).toEqual([PLATFORM]);
        expect(Object.keys((found as Record<string, unknown>[])[0] ?? {}).sort()).toEqual(
          Object.keys(PLATFORM).sort(),
        );
        await expect(plugin.Get(false, 'platform', { clientId: 'other' })).resolves.toBe(false);
      });

      it('when the query is empty or absent, Get returns every document of that collection only', async () => {
        await plugin.Insert(false, 'platform', PLATFORM);
        await plugin.Insert(false, 'platform', { ...PLATFORM, clientId: 'client-2', kid: 'kid-2' });
        await plugin.Insert(false, 'platformStatus', { id: 'kid-1', active: true });
        await expect(plugin.Get(false, 'platform')).resolves.toHaveLength(2);
        await expect(plugin.Get(false, 'platform', {})).resolves.toHaveLength(2);
        await expect(plugin.Get(false, 'platformStatus', {})).resolves.toEqual([
          { id: 'kid-1', active: true },
        ]);
      });

      it('when queried, values compare as JSON: types matter, nested objects match', async () => {
        await plugin.Insert(false, 'platformStatus', { id: 'kid-1', active: true });
        await expect(plugin.Get(false, 'platformStatus', { active: 'true' })).resolves.toBe(false);
        await expect(plugin.Get(false, 'platformStatus', { active: true })).resolves.toHaveLength(1);
        await plugin.Insert(false, 'platform', PLATFORM);
        await expect(
          plugin.Get(false, 'platform', { authConfig: PLATFORM.authConfig }),
        ).resolves.toHaveLength(1);
        await expect(plugin.Get(false, 'platform', { kid: "kid-1' or '1'='1" })).resolves.toBe(false);
      });

      it('when a query value is undefined, it matches only documents without that field (as Mongo does)', async () => {
        await plugin.Insert(false, 'state', { state: 's1', query: {} });
        await plugin.Insert(false, 'state', { query: { lost: 'state' } });
        await expect(plugin.Get(false, 'state', { state: undefined })).resolves.toEqual([
          { query: { lost: 'state' } },
        ]);
        await plugin.Delete('state', { state: undefined });
        await expect(plugin.Get(false, 'state')).resolves.toEqual([{ state: 's1', query: {} }]);
      });

      it('when Replace finds no match, it inserts; when it finds one, it replaces it instead of adding', async () => {
        const query = { platformUrl: PLATFORM.platformUrl, clientId: PLATFORM.clientId };
        await expect(plugin.Replace(false, 'platform', query, PLATFORM)).resolves.toBe(true);
        await plugin.Replace(false, 'platform', query, { ...PLATFORM, platformName: 'Renamed' });
        expect(await countRows('platform')).toBe(1);
        await expect(plugin.Get(false, 'platform', query)).resolves.toEqual([
          { ...PLATFORM, platformName: 'Renamed' },
        ]);
      });

      it('when Replace stores an item, the item is the whole document (query fields are not merged in)', async () => {
        await plugin.Replace(false, 'platformStatus', { id: 'kid-9' }, { active: false });
        await expect(plugin.Get(false, 'platformStatus')).resolves.toEqual([{ active: false }]);
      });

      it('when Modify runs, it updates only the given fields of the first match and keeps the rest', async () => {
        await plugin.Insert(false, 'platform', PLATFORM);
        await plugin.Insert(false, 'platform', { ...PLATFORM, clientId: 'client-2', kid: 'kid-2' });
        const authConfig = { method: 'RSA_KEY', key: 'PEM' };
        await plugin.Modify(
          false,
          'platform',
          { platformUrl: PLATFORM.platformUrl },
          { platformName: 'New', authConfig },
        );
        const all = (await plugin.Get(false, 'platform')) as Record<string, unknown>[];
        expect(all[0]).toEqual({ ...PLATFORM, platformName: 'New', authConfig });
        expect(all[1]).toEqual({ ...PLATFORM, clientId: 'client-2', kid: 'kid-2' });
        await expect(plugin.Modify(false, 'platform', { kid: 'none' }, { platformName: 'X' })).resolves.toBe(
          true,
        );
        expect(await countRows('platform')).toBe(2);
      });

      it('when Delete runs, it removes the matching documents only; an empty query empties the collection', async () => {
        await plugin.Insert(false, 'platformStatus', { id: 'a', active: true });
        await plugin.Insert(false, 'platformStatus', { id: 'b', active: true });
        await plugin.Insert(false, 'platform', PLATFORM);
        await expect(plugin.Delete('platformStatus', { id: 'a' })).resolves.toBe(true);
        await expect(plugin.Get(false, 'platformStatus')).resolves.toEqual([{ id: 'b', active: true }]);
        await plugin.Delete('platformStatus', {});
        expect(await countRows('platformStatus')).toBe(0);
        expect(await countRows('platform')).toBe(1);
      });
    });

    describe('encrypted collections', () => {
      const index = { kid: 'kid-1', platformUrl: PLATFORM.platformUrl, clientId: PLATFORM.clientId };
      const query = { platformUrl: PLATFORM.platformUrl, clientId: PLATFORM.clientId };

      beforeEach(async () => {
        await plugin.Replace(LTIJS_KEY, 'publickey', query, { key: KEY_PAIR.publicKey, kid: 'kid-1' }, index);
        await plugin.Replace(
          LTIJS_KEY,
          'privatekey',
          query,
          { key: KEY_PAIR.privateKey, kid: 'kid-1' },
          index,
        );
        const scopes = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
        const token = { access_token: 'secret-access-token-123', token_type: 'bearer', expires_in: 3600 };
        await plugin.Insert(LTIJS_KEY, 'accesstoken', { token }, { ...query, scopes });
      });

      it('when keys and tokens are stored, the table holds only index fields in clear and a sealed payload', async () => {
        const rows = await queryRows<RawRow>(database.db, sql`select * from ltijs_documents`);
        expect(rows).toHaveLength(3);
        const dump = JSON.stringify(rows);
        expect(dump).not.toContain('BEGIN');
        expect(dump).not.toContain('MII');
        expect(dump).not.toContain('secret-access-token-123');
        for (const row of rows) {
          expect(row.sealed).toMatch(/^v1\./);
          expect(Object.keys(row.doc)).not.toContain('key');
          expect(Object.keys(row.doc)).not.toContain('token');
        }
        expect((await rawRows('privatekey'))[0]?.doc).toEqual(index);
      });

      it('when Get has the key, it returns the decrypted items with createdAt in milliseconds', async () => {
        await expect(plugin.Get(LTIJS_KEY, 'privatekey', { kid: 'kid-1' })).resolves.toEqual([
          { key: KEY_PAIR.privateKey, kid: 'kid-1', createdAt: T0 },
        ]);
        const tokens = (await plugin.Get(LTIJS_KEY, 'accesstoken', query)) as Record<string, unknown>[];
        expect(tokens[0]).toMatchObject({
          token: { access_token: 'secret-access-token-123' },
          createdAt: T0,
        });
        await expect(plugin.Get(LTIJS_KEY, 'publickey')).resolves.toHaveLength(1);
      });

      it('when Get has no key, it returns the index fields only', async () => {
        await expect(plugin.Get(false, 'publickey', { kid: 'kid-1' })).resolves.toEqual([index]);
      });

      it('when Modify has the key, it changes the sealed item and re-seals it', async () => {
        const before = (await rawRows('accesstoken'))[0]?.sealed;
        const fresh = { access_token: 'secret-access-token-456', token_type: 'bearer', expires_in: 60 };
        await plugin.Modify(LTIJS_KEY, 'accesstoken', query, { token: fresh });
        const after = await rawRows('accesstoken');
        expect(after[0]?.sealed).not.toBe(before);
        expect(JSON.stringify(after)).not.toContain('secret-access-token-456');
        const tokens = (await plugin.Get(LTIJS_KEY, 'accesstoken', query)) as Record<string, unknown>[];
        expect(tokens[0]?.token).toEqual(fresh);
      });

      it('when Modify has no key, it updates the clear index fields and the item still decrypts', async () => {
        const moved = { platformUrl: 'https://new.example.edu', clientId: 'client-9' };
        await plugin.Modify(false, 'publickey', { kid: 'kid-1' }, moved);
        await expect(plugin.Get(false, 'publickey', moved)).resolves.toEqual([{ kid: 'kid-1', ...moved }]);
        await expect(plugin.Get(LTIJS_KEY, 'publickey', moved)).resolves.toEqual([
          { key: KEY_PAIR.publicKey, kid: 'kid-1', createdAt: T0 },
        ]);
      });

      it('when a write would put key material in clear, it is refused', async () => {
        await expect(plugin.Insert(false, 'privatekey', { key: 'PEM', kid: 'x' })).rejects.toThrow(
          'ENCRYPTION_REQUIRED',
        );
        await expect(plugin.Replace(false, 'accesstoken', query, { token: 't' })).rejects.toThrow(
          'ENCRYPTION_REQUIRED',
        );
        await expect(plugin.Modify(false, 'privatekey', { kid: 'kid-1' }, { key: 'PEM' })).rejects.toThrow(
          'ENCRYPTION_REQUIRED',
        );
        await expect(
          plugin.Insert(LTIJS_KEY, 'privatekey', { key: 'PEM' }, { kid: 'x', key: 'PEM' }),
        ).rejects.toThrow('ENCRYPTION_REQUIRED');
      });

      it('when Get has a key but the document was stored in clear, it refuses instead of guessing', async () => {
        await plugin.Insert(false, 'platform', PLATFORM);
        await expect(plugin.Get(LTIJS_KEY, 'platform')).rejects.toThrow('NOT_ENCRYPTED');
      });

      it('when a sealed payload is moved to another collection, it no longer decrypts', async () => {
        await database.db.execute(
          sql`update ltijs_documents set sealed = (select sealed from ltijs_documents where collection = 'privatekey')
              where collection = 'publickey'`,
        );
        await expect(plugin.Get(LTIJS_KEY, 'publickey')).rejects.toThrow('DECRYPTION_FAILED');
      });

      it('when ltijs calls Encrypt and Decrypt, they round-trip with a fresh iv each time', async () => {
        const first = await plugin.Encrypt('{"hello":"world"}', LTIJS_KEY);
        const second = await plugin.Encrypt('{"hello":"world"}', LTIJS_KEY);
        expect(first.iv).not.toBe(second.iv);
        expect(first.data).not.toContain('hello');
        await expect(plugin.Decrypt(first.data, first.iv, LTIJS_KEY)).resolves.toBe('{"hello":"world"}');
        await expect(plugin.Decrypt(first.data, second.iv, LTIJS_KEY)).rejects.toThrow('DECRYPTION_FAILED');
      });
    });

    describe('concurrency', () => {
      it('when 20 Replace calls with the same query race, exactly one row remains', async () => {
        const replaces = Array.from({ length: 20 }, (_, n) =>
          plugin.Replace(
            false,
            'idtoken',
            n % 2 === 0
              ? { iss: 'i', clientId: 'c', deploymentId: 'd', user: 'u' }
              : { user: 'u', deploymentId: 'd', clientId: 'c', iss: 'i' },
            { iss: 'i', clientId: 'c', deploymentId: 'd', user: 'u', n },
          ),
        );
        await expect(Promise.all(replaces)).resolves.toHaveLength(20);
        expect(await countRows('idtoken')).toBe(1);
        expect(canonicalJson({ user: 'u', iss: 'i', nested: { b: 1, a: [2, { d: 3, c: 4 }] } })).toBe(
          canonicalJson({ iss: 'i', nested: { a: [2, { c: 4, d: 3 }], b: 1 }, user: 'u' }),
        );
        const [stored] = (await plugin.Get(false, 'idtoken', { user: 'u' })) as Record<string, unknown>[];
        expect(typeof stored?.n).toBe('number');
      });

      it('when the same nonce is inserted twice at once, one insert fails', async () => {
        const results = await Promise.allSettled([
          plugin.Insert(false, 'nonce', { nonce: 'n-1' }),
          plugin.Insert(false, 'nonce', { nonce: 'n-1' }),
        ]);
        expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
        const [failed] = results.filter((result) => result.status === 'rejected');
        expect(codeOf(failed?.reason)).toBe('DUPLICATE_DOCUMENT');
        expect(String((failed?.reason as Error).message)).toBe('DUPLICATE_DOCUMENT');
        expect(await countRows('nonce')).toBe(1);
      });
    });

    describe('expiry', () => {
      const at = (seconds: number) => T0 + seconds * 1000;

      it('when a nonce outlives nonceTtlSeconds, it is no longer returned and may be used again', async () => {
        await plugin.Insert(false, 'nonce', { nonce: 'n-1' });
        const [row] = await rawRows('nonce');
        expect(new Date(row?.expires_at ?? 0).getTime()).toBe(at(NONCE_TTL_SECONDS));
        nowMs = at(NONCE_TTL_SECONDS - 1);
        await expect(plugin.Get(false, 'nonce', { nonce: 'n-1' })).resolves.toEqual([{ nonce: 'n-1' }]);
        await expect(plugin.Insert(false, 'nonce', { nonce: 'n-1' })).rejects.toThrow('DUPLICATE_DOCUMENT');
        nowMs = at(NONCE_TTL_SECONDS);
        await expect(plugin.Get(false, 'nonce', { nonce: 'n-1' })).resolves.toBe(false);
        await expect(plugin.Insert(false, 'nonce', { nonce: 'n-1' })).resolves.toBe(true);
        expect(await countRows('nonce')).toBe(1);
      });

      it('when the nonce lifetime is configured longer, the nonce lives that long', async () => {
        const patient = makePlugin(300);
        await patient.setup();
        await patient.Insert(false, 'nonce', { nonce: 'n-2' });
        nowMs = at(299);
        await expect(patient.Get(false, 'nonce', { nonce: 'n-2' })).resolves.toHaveLength(1);
        nowMs = at(300);
        await expect(patient.Get(false, 'nonce', { nonce: 'n-2' })).resolves.toBe(false);
      });

      it('when lifetimes pass, state (600 s), access token (1 h), id and context tokens (24 h) disappear', async () => {
        await plugin.Insert(false, 'state', { state: 's', query: { a: '1' } });
        await plugin.Insert(
          LTIJS_KEY,
          'accesstoken',
          { token: { access_token: 't' } },
          { platformUrl: 'p', clientId: 'c', scopes: 's' },
        );
        await plugin.Replace(false, 'idtoken', { user: 'u' }, { user: 'u' });
        await plugin.Replace(
          false,
          'contexttoken',
          { contextId: 'x', user: 'u' },
          { contextId: 'x', user: 'u' },
        );
        await plugin.Insert(false, 'platform', PLATFORM);
        const alive = async () =>
          Promise.all(
            ['state', 'accesstoken', 'idtoken', 'contexttoken', 'platform'].map(async (name) =>
              Boolean(await plugin.Get(name === 'accesstoken' ? LTIJS_KEY : false, name)),
            ),
          );
        nowMs = at(599);
        expect(await alive()).toEqual([true, true, true, true, true]);
        nowMs = at(600);
        expect(await alive()).toEqual([false, true, true, true, true]);
        nowMs = at(3600);
        expect(await alive()).toEqual([false, false, true, true, true]);
        nowMs = at(24 * 3600);
        expect(await alive()).toEqual([false, false, false, false, true]);
        nowMs = at(10 * 365 * 24 * 3600);
        expect(await alive()).toEqual([false, false, false, false, true]);
      });

      it('when purgeExpired runs, expired rows of every collection are deleted and the rest stay', async () => {
        await plugin.Insert(false, 'nonce', { nonce: 'n-1' });
        await plugin.Insert(false, 'state', { state: 's' });
        await plugin.Replace(false, 'idtoken', { user: 'u' }, { user: 'u' });
        await plugin.Insert(false, 'platform', PLATFORM);
        nowMs = at(600);
        await expect(plugin.purgeExpired()).resolves.toBe(2);
        expect(await countRows('nonce')).toBe(0);
        expect(await countRows('state')).toBe(0);
        expect(await countRows()).toBe(2);
        nowMs = at(24 * 3600);
        await expect(plugin.purgeExpired()).resolves.toBe(1);
        await expect(plugin.purgeExpired()).resolves.toBe(0);
        expect(await countRows()).toBe(1);
      });

      it('when nobody purges, writes into a collection sweep its expired rows', async () => {
        for (let n = 0; n < 30; n += 1) await plugin.Insert(false, 'state', { state: `s-${n}` });
        for (let n = 0; n < 5; n += 1) await plugin.Insert(false, 'nonce', { nonce: `n-${n}` });
        nowMs = at(601);
        await plugin.Insert(false, 'state', { state: 'fresh' });
        expect(await countRows('state')).toBe(1);
        expect(await countRows('nonce')).toBe(5);
        await plugin.Insert(false, 'nonce', { nonce: 'fresh' });
        expect(await countRows('nonce')).toBe(1);
      });

      it('when Replace rewrites a token, its lifetime starts again', async () => {
        await plugin.Replace(false, 'idtoken', { user: 'u' }, { user: 'u', v: 1 });
        nowMs = at(23 * 3600);
        await plugin.Replace(false, 'idtoken', { user: 'u' }, { user: 'u', v: 2 });
        nowMs = at(46 * 3600);
        await expect(plugin.Get(false, 'idtoken', { user: 'u' })).resolves.toEqual([{ user: 'u', v: 2 }]);
      });
    });
  });
});
