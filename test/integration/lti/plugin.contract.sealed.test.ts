import { sql } from 'drizzle-orm';
import { canonicalJson } from '../../../src/lti/lti.plugin.repo';
import { queryRows } from '../../../src/storage';
import { databaseKinds } from '../../support/db';
import {
  codeOf,
  KEY_PAIR,
  LTIJS_KEY,
  NONCE_TTL_SECONDS,
  PLATFORM,
  pluginSuite,
  T0,
  type RawRow,
} from '../../support/ltijs-plugin';

/**
 * Contract of our ltijs database plugin, on every database kind, beyond ltijs' Mongo layer: sealed
 * collections, upserts that stay atomic under concurrency, and expiry that really expires.
 */
describe.each(databaseKinds())('ltijs database plugin on %s', (kind) => {
  const suite = pluginSuite(kind);

  describe('encrypted collections', () => {
    const index = { kid: 'kid-1', platformUrl: PLATFORM.platformUrl, clientId: PLATFORM.clientId };
    const query = { platformUrl: PLATFORM.platformUrl, clientId: PLATFORM.clientId };

    beforeEach(async () => {
      for (const [collection, key] of [
        ['publickey', KEY_PAIR.publicKey],
        ['privatekey', KEY_PAIR.privateKey],
      ] as const)
        await suite.plugin.Replace(LTIJS_KEY, collection, query, { key, kid: 'kid-1' }, index);
      const scopes = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
      const token = { access_token: 'secret-access-token-123', token_type: 'bearer', expires_in: 3600 };
      await suite.plugin.Insert(LTIJS_KEY, 'accesstoken', { token }, { ...query, scopes });
    });

    it('when keys and tokens are stored, the table holds only index fields in clear and a sealed payload', async () => {
      const rows = await queryRows<RawRow>(suite.database.db, sql`select * from ltijs_documents`);
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
      expect((await suite.rawRows('privatekey'))[0]?.doc).toEqual(index);
    });

    it('when Get has the key, it returns the decrypted items with createdAt in milliseconds', async () => {
      await expect(suite.plugin.Get(LTIJS_KEY, 'privatekey', { kid: 'kid-1' })).resolves.toEqual([
        { key: KEY_PAIR.privateKey, kid: 'kid-1', createdAt: T0 },
      ]);
      const tokens = (await suite.plugin.Get(LTIJS_KEY, 'accesstoken', query)) as Record<string, unknown>[];
      expect(tokens[0]).toMatchObject({
        token: { access_token: 'secret-access-token-123' },
        createdAt: T0,
      });
      await expect(suite.plugin.Get(LTIJS_KEY, 'publickey')).resolves.toHaveLength(1);
    });

    it('when Get has no key, it returns the index fields only', async () => {
      await expect(suite.plugin.Get(false, 'publickey', { kid: 'kid-1' })).resolves.toEqual([index]);
    });

    it('when Modify has the key, it changes the sealed item and re-seals it', async () => {
      const before = (await suite.rawRows('accesstoken'))[0]?.sealed;
      const fresh = { access_token: 'secret-access-token-456', token_type: 'bearer', expires_in: 60 };
      await suite.plugin.Modify(LTIJS_KEY, 'accesstoken', query, { token: fresh });
      const after = await suite.rawRows('accesstoken');
      expect(after[0]?.sealed).not.toBe(before);
      expect(JSON.stringify(after)).not.toContain('secret-access-token-456');
      const tokens = (await suite.plugin.Get(LTIJS_KEY, 'accesstoken', query)) as Record<string, unknown>[];
      expect(tokens[0]?.token).toEqual(fresh);
    });

    it('when Modify has no key, it updates the clear index fields and the item still decrypts', async () => {
      const moved = { platformUrl: 'https://new.example.edu', clientId: 'client-9' };
      await suite.plugin.Modify(false, 'publickey', { kid: 'kid-1' }, moved);
      await expect(suite.plugin.Get(false, 'publickey', moved)).resolves.toEqual([
        { kid: 'kid-1', ...moved },
      ]);
      await expect(suite.plugin.Get(LTIJS_KEY, 'publickey', moved)).resolves.toEqual([
        { key: KEY_PAIR.publicKey, kid: 'kid-1', createdAt: T0 },
      ]);
    });

    it('when a write would put key material in clear, it is refused', async () => {
      await expect(suite.plugin.Insert(false, 'privatekey', { key: 'PEM', kid: 'x' })).rejects.toThrow(
        'ENCRYPTION_REQUIRED',
      );
      await expect(suite.plugin.Replace(false, 'accesstoken', query, { token: 't' })).rejects.toThrow(
        'ENCRYPTION_REQUIRED',
      );
      await expect(
        suite.plugin.Modify(false, 'privatekey', { kid: 'kid-1' }, { key: 'PEM' }),
      ).rejects.toThrow('ENCRYPTION_REQUIRED');
      await expect(
        suite.plugin.Insert(LTIJS_KEY, 'privatekey', { key: 'PEM' }, { kid: 'x', key: 'PEM' }),
      ).rejects.toThrow('ENCRYPTION_REQUIRED');
    });

    it('when Get has a key but the document was stored in clear, it refuses instead of guessing', async () => {
      await suite.plugin.Insert(false, 'platform', PLATFORM);
      await expect(suite.plugin.Get(LTIJS_KEY, 'platform')).rejects.toThrow('NOT_ENCRYPTED');
    });

    it('when a sealed payload is moved to another collection, it no longer decrypts', async () => {
      await suite.database.db.execute(
        sql`update ltijs_documents set sealed = (select sealed from ltijs_documents where collection = 'privatekey')
            where collection = 'publickey'`,
      );
      await expect(suite.plugin.Get(LTIJS_KEY, 'publickey')).rejects.toThrow('DECRYPTION_FAILED');
    });

    it('when ltijs calls Encrypt and Decrypt, they round-trip with a fresh iv each time', async () => {
      const first = await suite.plugin.Encrypt('{"hello":"world"}', LTIJS_KEY);
      const second = await suite.plugin.Encrypt('{"hello":"world"}', LTIJS_KEY);
      expect(first.iv).not.toBe(second.iv);
      expect(first.data).not.toContain('hello');
      await expect(suite.plugin.Decrypt(first.data, first.iv, LTIJS_KEY)).resolves.toBe('{"hello":"world"}');
      await expect(suite.plugin.Decrypt(first.data, second.iv, LTIJS_KEY)).rejects.toThrow(
        'DECRYPTION_FAILED',
      );
    });
  });

  describe('concurrency', () => {
    it('when 20 Replace calls with the same query race, exactly one row remains', async () => {
      const replaces = Array.from({ length: 20 }, (_, n) =>
        suite.plugin.Replace(
          false,
          'idtoken',
          n % 2 === 0
            ? { iss: 'i', clientId: 'c', deploymentId: 'd', user: 'u' }
            : { user: 'u', deploymentId: 'd', clientId: 'c', iss: 'i' },
          { iss: 'i', clientId: 'c', deploymentId: 'd', user: 'u', n },
        ),
      );
      await expect(Promise.all(replaces)).resolves.toHaveLength(20);
      expect(await suite.countRows('idtoken')).toBe(1);
      expect(canonicalJson({ user: 'u', iss: 'i', nested: { b: 1, a: [2, { d: 3, c: 4 }] } })).toBe(
        canonicalJson({ iss: 'i', nested: { a: [2, { c: 4, d: 3 }], b: 1 }, user: 'u' }),
      );
      const [stored] = (await suite.plugin.Get(false, 'idtoken', { user: 'u' })) as Record<string, unknown>[];
      expect(typeof stored?.n).toBe('number');
    });

    it('when the same nonce is inserted twice at once, one insert fails', async () => {
      const results = await Promise.allSettled([
        suite.plugin.Insert(false, 'nonce', { nonce: 'n-1' }),
        suite.plugin.Insert(false, 'nonce', { nonce: 'n-1' }),
      ]);
      expect(results.filter((result) => result.status === 'fulfilled')).toHaveLength(1);
      const [failed] = results.filter((result) => result.status === 'rejected');
      expect(codeOf(failed?.reason)).toBe('DUPLICATE_DOCUMENT');
      expect(String((failed?.reason as Error).message)).toBe('DUPLICATE_DOCUMENT');
      expect(await suite.countRows('nonce')).toBe(1);
    });
  });

  describe('expiry', () => {
    const at = (seconds: number) => T0 + seconds * 1000;

    it('when a nonce outlives nonceTtlSeconds, it is no longer returned and may be used again', async () => {
      await suite.plugin.Insert(false, 'nonce', { nonce: 'n-1' });
      const [row] = await suite.rawRows('nonce');
      expect(new Date(row?.expires_at ?? 0).getTime()).toBe(at(NONCE_TTL_SECONDS));
      suite.nowMs = at(NONCE_TTL_SECONDS - 1);
      await expect(suite.plugin.Get(false, 'nonce', { nonce: 'n-1' })).resolves.toEqual([{ nonce: 'n-1' }]);
      await expect(suite.plugin.Insert(false, 'nonce', { nonce: 'n-1' })).rejects.toThrow(
        'DUPLICATE_DOCUMENT',
      );
      suite.nowMs = at(NONCE_TTL_SECONDS);
      await expect(suite.plugin.Get(false, 'nonce', { nonce: 'n-1' })).resolves.toBe(false);
      await expect(suite.plugin.Insert(false, 'nonce', { nonce: 'n-1' })).resolves.toBe(true);
      expect(await suite.countRows('nonce')).toBe(1);
    });

    it('when the nonce lifetime is configured longer, the nonce lives that long', async () => {
      const patient = suite.makePlugin(300);
      await patient.setup();
      await patient.Insert(false, 'nonce', { nonce: 'n-2' });
      suite.nowMs = at(299);
      await expect(patient.Get(false, 'nonce', { nonce: 'n-2' })).resolves.toHaveLength(1);
      suite.nowMs = at(300);
      await expect(patient.Get(false, 'nonce', { nonce: 'n-2' })).resolves.toBe(false);
    });

    it('when lifetimes pass, state (600 s), access token (1 h), id and context tokens (24 h) disappear', async () => {
      await suite.plugin.Insert(false, 'state', { state: 's', query: { a: '1' } });
      await suite.plugin.Insert(
        LTIJS_KEY,
        'accesstoken',
        { token: { access_token: 't' } },
        { platformUrl: 'p', clientId: 'c', scopes: 's' },
      );
      await suite.plugin.Replace(false, 'idtoken', { user: 'u' }, { user: 'u' });
      await suite.plugin.Replace(
        false,
        'contexttoken',
        { contextId: 'x', user: 'u' },
        { contextId: 'x', user: 'u' },
      );
      await suite.plugin.Insert(false, 'platform', PLATFORM);
      const alive = async () =>
        Promise.all(
          ['state', 'accesstoken', 'idtoken', 'contexttoken', 'platform'].map(async (name) =>
            Boolean(await suite.plugin.Get(name === 'accesstoken' ? LTIJS_KEY : false, name)),
          ),
        );
      suite.nowMs = at(599);
      expect(await alive()).toEqual([true, true, true, true, true]);
      suite.nowMs = at(600);
      expect(await alive()).toEqual([false, true, true, true, true]);
      suite.nowMs = at(3600);
      expect(await alive()).toEqual([false, false, true, true, true]);
      suite.nowMs = at(24 * 3600);
      expect(await alive()).toEqual([false, false, false, false, true]);
      suite.nowMs = at(10 * 365 * 24 * 3600);
      expect(await alive()).toEqual([false, false, false, false, true]);
    });

    it('when purgeExpired runs, expired rows of every collection are deleted and the rest stay', async () => {
      await suite.plugin.Insert(false, 'nonce', { nonce: 'n-1' });
      await suite.plugin.Insert(false, 'state', { state: 's' });
      await suite.plugin.Replace(false, 'idtoken', { user: 'u' }, { user: 'u' });
      await suite.plugin.Insert(false, 'platform', PLATFORM);
      suite.nowMs = at(600);
      await expect(suite.plugin.purgeExpired()).resolves.toBe(2);
      expect(await suite.countRows('nonce')).toBe(0);
      expect(await suite.countRows('state')).toBe(0);
      expect(await suite.countRows()).toBe(2);
      suite.nowMs = at(24 * 3600);
      await expect(suite.plugin.purgeExpired()).resolves.toBe(1);
      await expect(suite.plugin.purgeExpired()).resolves.toBe(0);
      expect(await suite.countRows()).toBe(1);
    });

    it('when nobody purges, writes into a collection sweep its expired rows', async () => {
      for (let n = 0; n < 30; n += 1) await suite.plugin.Insert(false, 'state', { state: `s-${n}` });
      for (let n = 0; n < 5; n += 1) await suite.plugin.Insert(false, 'nonce', { nonce: `n-${n}` });
      suite.nowMs = at(601);
      await suite.plugin.Insert(false, 'state', { state: 'fresh' });
      expect(await suite.countRows('state')).toBe(1);
      expect(await suite.countRows('nonce')).toBe(5);
      await suite.plugin.Insert(false, 'nonce', { nonce: 'fresh' });
      expect(await suite.countRows('nonce')).toBe(1);
    });

    it('when Replace rewrites a token, its lifetime starts again', async () => {
      await suite.plugin.Replace(false, 'idtoken', { user: 'u' }, { user: 'u', v: 1 });
      suite.nowMs = at(23 * 3600);
      await suite.plugin.Replace(false, 'idtoken', { user: 'u' }, { user: 'u', v: 2 });
      suite.nowMs = at(46 * 3600);
      await expect(suite.plugin.Get(false, 'idtoken', { user: 'u' })).resolves.toEqual([{ user: 'u', v: 2 }]);
    });
  });
});
