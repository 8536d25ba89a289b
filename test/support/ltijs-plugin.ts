import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { LtijsDatabasePlugin, LtijsPluginError } from '../../src/lti/lti.plugin';
import { SecretBox } from '../../src/shared/crypto';
import { queryRows } from '../../src/storage';
import { createTestDatabase, TEST_MASTER_KEY, type TestDatabase, type TestDatabaseKind } from './db';

/** What the contract suites of our ltijs database plugin share (test/integration/lti/plugin.contract*.test.ts). */
export const T0 = Date.UTC(2030, 0, 1, 12, 0, 0);
export const NONCE_TTL_SECONDS = 30;
export const LTIJS_KEY = 'k'.repeat(32);
export const PLATFORM = {
  platformUrl: 'https://lms.example.edu',
  clientId: 'client-1',
  platformName: 'Example LMS',
  authEndpoint: 'https://lms.example.edu/auth',
  accesstokenEndpoint: 'https://lms.example.edu/token',
  kid: 'kid-1',
  authConfig: { method: 'JWK_SET', key: 'https://lms.example.edu/jwks' },
};
export const KEY_PAIR = crypto.generateKeyPairSync('rsa', {
  modulusLength: 1024,
  publicKeyEncoding: { type: 'spki', format: 'pem' },
  privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
});

export interface RawRow {
  collection: string;
  doc: Record<string, unknown>;
  sealed: string | null;
  created_at: Date | string;
  expires_at: Date | string | null;
}

export function codeOf(error: unknown): string | undefined {
  return error instanceof LtijsPluginError ? error.code : undefined;
}

export interface PluginSuite {
  database: TestDatabase;
  /** A set-up plugin over an emptied table, made again before each test. */
  plugin: LtijsDatabasePlugin;
  /** The plugin's clock (T0 at the start of each test). */
  nowMs: number;
  makePlugin(nonceTtlSeconds?: number): LtijsDatabasePlugin;
  rawRows(collection: string): Promise<RawRow[]>;
  countRows(collection?: string): Promise<number>;
}

/**
 * Registers the hooks of a contract suite on one database kind (call it inside the describe): a
 * database for the suite, and before each test an empty table, the clock at T0 and a new plugin.
 */
export function pluginSuite(kind: TestDatabaseKind): PluginSuite {
  const suite = {
    nowMs: T0,
    makePlugin(nonceTtlSeconds = NONCE_TTL_SECONDS) {
      return new LtijsDatabasePlugin({
        db: suite.database.db,
        secretBox: new SecretBox(TEST_MASTER_KEY),
        nonceTtlSeconds,
        now: () => suite.nowMs,
      });
    },
    rawRows(collection: string) {
      return queryRows<RawRow>(
        suite.database.db,
        sql`select * from ltijs_documents where collection = ${collection} order by id`,
      );
    },
    async countRows(collection?: string) {
      const [row] = await queryRows<{ count: string | number }>(
        suite.database.db,
        collection === undefined
          ? sql`select count(*) as count from ltijs_documents`
          : sql`select count(*) as count from ltijs_documents where collection = ${collection}`,
      );
      return Number(row?.count);
    },
  } as PluginSuite;

  beforeAll(async () => {
    suite.database = await createTestDatabase(kind);
  });
  afterAll(async () => {
    await suite.database?.drop();
  });
  beforeEach(async () => {
    await suite.database.db.execute(sql`delete from ltijs_documents`);
    suite.nowMs = T0;
    suite.plugin = suite.makePlugin();
    await suite.plugin.setup();
  });
  return suite;
}
