import fs from 'node:fs';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import { LtijsDatabasePlugin, LtijsPluginError } from '../../../src/lti/lti.plugin';
import { SecretBox } from '../../../src/shared/crypto';
import { queryRows } from '../../../src/storage';
import { createTestDatabase, databaseKinds, TEST_MASTER_KEY, type TestDatabase } from '../../support/db';

/**
 * The plugin's fast paths for what every launch does: ltijs' launch sessions (idtoken,
 * contexttoken) written and read by key in one statement, its nonce and login state kept in
 * memory, and platform records read from a short cache that a write through the plugin clears.
 * Each gives the same answers as the general path (the contract test), only cheaper.
 */
const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
const ID_TOKEN_QUERY = { iss: 'https://lms.example.edu', clientId: 'c1', deploymentId: 'd1', user: 'u1' };
const PLATFORM = {
  platformUrl: 'https://lms.example.edu',
  clientId: 'c1',
  platformName: 'Example LMS',
  kid: 'kid-1',
  authConfig: { method: 'JWK_SET', key: 'https://lms.example.edu/jwks' },
};

describe.each(databaseKinds())('ltijs plugin fast paths on %s', (kind) => {
  let database: TestDatabase;
  let nowMs = T0;
  const make = (options: { memory?: boolean; readCacheMs?: number; sessionCacheMs?: number } = {}) => {
    const plugin = new LtijsDatabasePlugin({
      db: database.db,
      secretBox: new SecretBox(TEST_MASTER_KEY),
      nonceTtlSeconds: 30,
      memoryCollections: options.memory ? ['nonce', 'state'] : undefined,
      readCacheMs: options.readCacheMs,
      sessionCacheMs: options.sessionCacheMs,
      now: () => nowMs,
    });
    return plugin.setup().then(() => plugin);
  };
  const rows = (collection: string) =>
    queryRows<{ doc: Record<string, unknown>; doc_key: string | null }>(
      database.db,
      sql`select doc, doc_key from ltijs_documents where collection = ${collection} order by id`,
    );

  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.drop());
  beforeEach(async () => {
    nowMs = T0;
    await database.db.execute(sql`delete from ltijs_documents`);
  });

  describe('launch sessions', () => {
    it('a relaunch replaces the session by key: one row, the newest document', async () => {
      const plugin = await make();
      await plugin.Replace(false, 'idtoken', ID_TOKEN_QUERY, { ...ID_TOKEN_QUERY, name: 'first' });
      await plugin.Replace(false, 'idtoken', ID_TOKEN_QUERY, { ...ID_TOKEN_QUERY, name: 'second' });
      const stored = await rows('idtoken');
      expect(stored).toHaveLength(1);
      expect(stored[0]?.doc.name).toBe('second');
      expect(stored[0]?.doc_key).toBe('["https://lms.example.edu","c1","d1","u1"]');
      expect(await plugin.Get(false, 'idtoken', ID_TOKEN_QUERY)).toEqual([
        expect.objectContaining({ name: 'second' }),
      ]);
    });

    it('concurrent relaunches of one person leave exactly one session', async () => {
      const plugin = await make();
      await Promise.all(
        Array.from({ length: 10 }, (_, i) =>
          plugin.Replace(
            false,
            'contexttoken',
            { contextId: 'ctx', user: 'u1' },
            {
              contextId: 'ctx',
              user: 'u1',
              n: i,
            },
          ),
        ),
      );
      expect(await rows('contexttoken')).toHaveLength(1);
    });

    it('a key lookup and a general query find the same session, and nothing once it expired', async () => {
      const plugin = await make();
      await plugin.Replace(false, 'idtoken', ID_TOKEN_QUERY, { ...ID_TOKEN_QUERY, name: 'x' });
      const byKey = await plugin.Get(false, 'idtoken', ID_TOKEN_QUERY);
      const byUser = await plugin.Get(false, 'idtoken', { user: 'u1' });
      expect(byKey).toEqual(byUser);
      nowMs = T0 + 25 * 3600_000;
      expect(await plugin.Get(false, 'idtoken', ID_TOKEN_QUERY)).toBe(false);
    });

    it('a session stored before the key existed is found by key after the migration’s backfill', async () => {
      const plugin = await make();
      await plugin.Replace(false, 'idtoken', ID_TOKEN_QUERY, { ...ID_TOKEN_QUERY, name: 'old' });
      await plugin.Replace(
        false,
        'contexttoken',
        { contextId: 'c%2Fx', user: 'u1' },
        {
          contextId: 'c%2Fx',
          user: 'u1',
        },
      );
      await database.db.execute(sql`update ltijs_documents set doc_key = null`);
      const migration = fs.readFileSync(
        path.resolve(__dirname, '../../../src/storage/migrations/0005_ltijs_doc_key.sql'),
        'utf8',
      );
      for (const statement of migration.split('--> statement-breakpoint').filter((s) => /UPDATE/.test(s))) {
        await database.db.execute(sql.raw(statement));
      }
      expect(await plugin.Get(false, 'idtoken', ID_TOKEN_QUERY)).toEqual([
        expect.objectContaining({ name: 'old' }),
      ]);
      expect(await plugin.Get(false, 'contexttoken', { contextId: 'c%2Fx', user: 'u1' })).not.toBe(false);
    });
  });

  describe('sessions this process wrote, kept briefly', () => {
    it('are read back without the database, and never after they expired', async () => {
      const plugin = await make({ sessionCacheMs: 60_000 });
      await plugin.Replace(false, 'idtoken', ID_TOKEN_QUERY, { ...ID_TOKEN_QUERY, name: 'kept' });
      await database.db.execute(sql`delete from ltijs_documents`);
      expect(await plugin.Get(false, 'idtoken', ID_TOKEN_QUERY)).toEqual([
        expect.objectContaining({ name: 'kept' }),
      ]);
      nowMs = T0 + 25 * 3600_000;
      expect(await plugin.Get(false, 'idtoken', ID_TOKEN_QUERY)).toBe(false);
    });

    it('are forgotten when the collection is changed any other way', async () => {
      const plugin = await make({ sessionCacheMs: 60_000 });
      await plugin.Replace(false, 'idtoken', ID_TOKEN_QUERY, { ...ID_TOKEN_QUERY, name: 'kept' });
      await plugin.Delete('idtoken', { user: 'u1' });
      expect(await plugin.Get(false, 'idtoken', ID_TOKEN_QUERY)).toBe(false);
    });
  });

  describe('nonce and login state in memory', () => {
    it('keeps them out of the database and refuses a nonce seen before', async () => {
      const plugin = await make({ memory: true });
      await plugin.Insert(false, 'nonce', { nonce: 'n-1' });
      expect(await plugin.Get(false, 'nonce', { nonce: 'n-1' })).toEqual([
        expect.objectContaining({ nonce: 'n-1' }),
      ]);
      await expect(plugin.Insert(false, 'nonce', { nonce: 'n-1' })).rejects.toEqual(
        new LtijsPluginError('DUPLICATE_DOCUMENT'),
      );
      await plugin.Insert(false, 'state', { state: 's-1', query: {} });
      await plugin.Delete('state', { state: 's-1' });
      expect(await plugin.Get(false, 'state', { state: 's-1' })).toBe(false);
      expect(await rows('nonce')).toEqual([]);
      expect(await rows('state')).toEqual([]);
    });
  });

  describe('platform records read from a short cache', () => {
    it('a write through this plugin is seen at once', async () => {
      const plugin = await make({ readCacheMs: 60_000 });
      const query = { platformUrl: PLATFORM.platformUrl, clientId: PLATFORM.clientId };
      expect(await plugin.Get(false, 'platform', query)).toBe(false);
      await plugin.Replace(false, 'platform', query, PLATFORM);
      expect(await plugin.Get(false, 'platform', query)).toEqual([expect.objectContaining(PLATFORM)]);
      await plugin.Delete('platform', query);
      expect(await plugin.Get(false, 'platform', query)).toBe(false);
    });

    it('a write by another process is seen once the cache time has passed', async () => {
      const cached = await make({ readCacheMs: 300 });
      const elsewhere = await make();
      const query = { platformUrl: PLATFORM.platformUrl, clientId: PLATFORM.clientId };
      await elsewhere.Replace(false, 'platform', query, PLATFORM);
      expect(await cached.Get(false, 'platform', query)).not.toBe(false);
      await elsewhere.Delete('platform', query);
      expect(await cached.Get(false, 'platform', query)).not.toBe(false);
      await new Promise((resolve) => setTimeout(resolve, 400));
      expect(await cached.Get(false, 'platform', query)).toBe(false);
    });

    it('hands each caller its own copy', async () => {
      const plugin = await make({ readCacheMs: 60_000 });
      const query = { platformUrl: PLATFORM.platformUrl, clientId: PLATFORM.clientId };
      await plugin.Replace(false, 'platform', query, PLATFORM);
      const first = await plugin.Get(false, 'platform', query);
      if (first === false) throw new Error('platform missing');
      (first[0] as { authConfig: unknown }).authConfig = 'changed';
      expect(await plugin.Get(false, 'platform', query)).toEqual([expect.objectContaining(PLATFORM)]);
    });
  });
});
