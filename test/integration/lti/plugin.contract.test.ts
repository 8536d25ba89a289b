import { LtijsDatabasePlugin, LtijsPluginError } from '../../../src/lti/lti.plugin';
import { SecretBox } from '../../../src/shared/crypto';
import { databaseKinds, TEST_MASTER_KEY } from '../../support/db';
import { codeOf, LTIJS_KEY, PLATFORM, pluginSuite } from '../../support/ltijs-plugin';

/**
 * Contract of our ltijs database plugin, on every database kind: the observable behaviour of
 * ltijs' Mongo layer (Utils/Database.js) for its arguments, lifecycle and plain collections.
 * Sealing, atomic upserts and real expiry: plugin.contract.sealed.test.ts.
 */
describe.each(databaseKinds())('ltijs database plugin on %s', (kind) => {
  const suite = pluginSuite(kind);

  describe('arguments and lifecycle', () => {
    it('when the plugin is not set up or was closed, every method refuses like ltijs', async () => {
      const fresh = suite.makePlugin();
      await expect(fresh.Get(false, 'platform', {})).rejects.toThrow('PROVIDER_NOT_DEPLOYED');
      await expect(fresh.setup()).resolves.toBe(true);
      await expect(fresh.Get(false, 'platform', {})).resolves.toBe(false);
      await expect(fresh.Close()).resolves.toBe(true);
      await expect(fresh.Insert(false, 'platform', PLATFORM)).rejects.toThrow('PROVIDER_NOT_DEPLOYED');
      await expect(fresh.Delete('platform', {})).rejects.toThrow('PROVIDER_NOT_DEPLOYED');
    });

    it('when a collection is missing or unknown, or a parameter is missing, it throws the ltijs error', async () => {
      await expect(suite.plugin.Get(false, '', {})).rejects.toThrow('MISSING_COLLECTION');
      await expect(suite.plugin.Get(false, 'users', {})).rejects.toThrow('MISSING_COLLECTION');
      await expect(suite.plugin.Insert(false, 'users', { a: 1 })).rejects.toThrow('MISSING_COLLECTION');
      await expect(suite.plugin.Insert(false, '', { a: 1 })).rejects.toThrow('MISSING_PARAMS');
      const missing = undefined as unknown as Record<string, unknown>;
      await expect(suite.plugin.Insert(false, 'platform', missing)).rejects.toThrow('MISSING_PARAMS');
      await expect(suite.plugin.Insert(LTIJS_KEY, 'publickey', { key: 'x' })).rejects.toThrow(
        'MISSING_PARAMS',
      );
      await expect(suite.plugin.Replace(false, 'platform', {}, missing)).rejects.toThrow('MISSING_PARAMS');
      await expect(suite.plugin.Modify(false, 'platform', { kid: 'a' }, missing)).rejects.toThrow(
        'MISSING_PARAMS',
      );
      await expect(suite.plugin.Modify(false, 'platform', missing, { a: 1 })).rejects.toThrow(
        'MISSING_PARAMS',
      );
      await expect(suite.plugin.Delete('platform', missing)).rejects.toThrow('MISSING_PARAMS');
      await expect(suite.plugin.Delete('', {})).rejects.toThrow('MISSING_PARAMS');
      const error = await suite.plugin.Get(false, 'users').catch((caught: unknown) => caught);
      expect(error).toBeInstanceOf(LtijsPluginError);
      expect(codeOf(error)).toBe('MISSING_COLLECTION');
    });

    it('when options are invalid, the constructor refuses them', () => {
      expect(
        () =>
          new LtijsDatabasePlugin({
            db: suite.database.db,
            secretBox: new SecretBox(TEST_MASTER_KEY),
            nonceTtlSeconds: 0,
          }),
      ).toThrow();
    });
  });

  describe('plain collections', () => {
    it('when a collection is empty, Get answers false', async () => {
      await expect(suite.plugin.Get(false, 'platform', { platformUrl: PLATFORM.platformUrl })).resolves.toBe(
        false,
      );
      await expect(suite.plugin.Get(false, 'platform')).resolves.toBe(false);
    });

    it('when a document is inserted, Get returns exactly it, without internal fields', async () => {
      await expect(suite.plugin.Insert(false, 'platform', PLATFORM)).resolves.toBe(true);
      const found = await suite.plugin.Get(false, 'platform', {
        platformUrl: PLATFORM.platformUrl,
        clientId: 'client-1',
      });
      expect(found).toEqual([PLATFORM]);
      expect(Object.keys((found as Record<string, unknown>[])[0] ?? {}).sort()).toEqual(
        Object.keys(PLATFORM).sort(),
      );
      await expect(suite.plugin.Get(false, 'platform', { clientId: 'other' })).resolves.toBe(false);
    });

    it('when the query is empty or absent, Get returns every document of that collection only', async () => {
      await suite.plugin.Insert(false, 'platform', PLATFORM);
      await suite.plugin.Insert(false, 'platform', { ...PLATFORM, clientId: 'client-2', kid: 'kid-2' });
      await suite.plugin.Insert(false, 'platformStatus', { id: 'kid-1', active: true });
      await expect(suite.plugin.Get(false, 'platform')).resolves.toHaveLength(2);
      await expect(suite.plugin.Get(false, 'platform', {})).resolves.toHaveLength(2);
      await expect(suite.plugin.Get(false, 'platformStatus', {})).resolves.toEqual([
        { id: 'kid-1', active: true },
      ]);
    });

    it('when queried, values compare as JSON: types matter, nested objects match', async () => {
      await suite.plugin.Insert(false, 'platformStatus', { id: 'kid-1', active: true });
      await expect(suite.plugin.Get(false, 'platformStatus', { active: 'true' })).resolves.toBe(false);
      await expect(suite.plugin.Get(false, 'platformStatus', { active: true })).resolves.toHaveLength(1);
      await suite.plugin.Insert(false, 'platform', PLATFORM);
      await expect(
        suite.plugin.Get(false, 'platform', { authConfig: PLATFORM.authConfig }),
      ).resolves.toHaveLength(1);
      await expect(suite.plugin.Get(false, 'platform', { kid: "kid-1' or '1'='1" })).resolves.toBe(false);
    });

    it('when a query value is undefined, it matches only documents without that field (as Mongo does)', async () => {
      await suite.plugin.Insert(false, 'state', { state: 's1', query: {} });
      await suite.plugin.Insert(false, 'state', { query: { lost: 'state' } });
      await expect(suite.plugin.Get(false, 'state', { state: undefined })).resolves.toEqual([
        { query: { lost: 'state' } },
      ]);
      await suite.plugin.Delete('state', { state: undefined });
      await expect(suite.plugin.Get(false, 'state')).resolves.toEqual([{ state: 's1', query: {} }]);
    });

    it('when Replace finds no match, it inserts; when it finds one, it replaces it instead of adding', async () => {
      const query = { platformUrl: PLATFORM.platformUrl, clientId: PLATFORM.clientId };
      await expect(suite.plugin.Replace(false, 'platform', query, PLATFORM)).resolves.toBe(true);
      await suite.plugin.Replace(false, 'platform', query, { ...PLATFORM, platformName: 'Renamed' });
      expect(await suite.countRows('platform')).toBe(1);
      await expect(suite.plugin.Get(false, 'platform', query)).resolves.toEqual([
        { ...PLATFORM, platformName: 'Renamed' },
      ]);
    });

    it('when Replace stores an item, the item is the whole document (query fields are not merged in)', async () => {
      await suite.plugin.Replace(false, 'platformStatus', { id: 'kid-9' }, { active: false });
      await expect(suite.plugin.Get(false, 'platformStatus')).resolves.toEqual([{ active: false }]);
    });

    it('when Modify runs, it updates only the given fields of the first match and keeps the rest', async () => {
      await suite.plugin.Insert(false, 'platform', PLATFORM);
      await suite.plugin.Insert(false, 'platform', { ...PLATFORM, clientId: 'client-2', kid: 'kid-2' });
      const authConfig = { method: 'RSA_KEY', key: 'PEM' };
      await suite.plugin.Modify(
        false,
        'platform',
        { platformUrl: PLATFORM.platformUrl },
        { platformName: 'New', authConfig },
      );
      const all = (await suite.plugin.Get(false, 'platform')) as Record<string, unknown>[];
      expect(all[0]).toEqual({ ...PLATFORM, platformName: 'New', authConfig });
      expect(all[1]).toEqual({ ...PLATFORM, clientId: 'client-2', kid: 'kid-2' });
      await expect(
        suite.plugin.Modify(false, 'platform', { kid: 'none' }, { platformName: 'X' }),
      ).resolves.toBe(true);
      expect(await suite.countRows('platform')).toBe(2);
    });

    it('when Delete runs, it removes the matching documents only; an empty query empties the collection', async () => {
      await suite.plugin.Insert(false, 'platformStatus', { id: 'a', active: true });
      await suite.plugin.Insert(false, 'platformStatus', { id: 'b', active: true });
      await suite.plugin.Insert(false, 'platform', PLATFORM);
      await expect(suite.plugin.Delete('platformStatus', { id: 'a' })).resolves.toBe(true);
      await expect(suite.plugin.Get(false, 'platformStatus')).resolves.toEqual([{ id: 'b', active: true }]);
      await suite.plugin.Delete('platformStatus', {});
      expect(await suite.countRows('platformStatus')).toBe(0);
      expect(await suite.countRows('platform')).toBe(1);
    });
  });
});
