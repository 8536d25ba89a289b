import fs from 'node:fs';
import path from 'node:path';
import { runCli } from '../../../src/cli';
import { SEALED_COLUMNS } from '../../../src/keys';
import { SecretBox } from '../../../src/shared/crypto';
import { KEY_FILE, PREVIOUS_KEY_FILE, resolveMasterKey } from '../../../src/shared/master-key';
import { openDatabase, queryRows } from '../../../src/storage';
import { sql } from 'drizzle-orm';
import { seededDataDir } from '../../support/data-dir';

const platform = [
  'platform',
  'add',
  '--issuer',
  'https://moodle.example.edu',
  '--client-id',
  'abc',
  '--login-url',
  'https://moodle.example.edu/mod/lti/auth.php',
  '--token-url',
  'https://moodle.example.edu/mod/lti/token.php',
  '--jwks-url',
  'https://moodle.example.edu/mod/lti/certs.php',
  '--deployment',
  '1',
  '--school',
  'North High',
];

/** `keys rotate` on the embedded database with its generated key file, as an operator runs it (no server). */
describe('keys rotate on the embedded database', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await seededDataDir('zoom-lti-keys-');
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function cli(...args: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(args, {
      env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      io: { out: (text) => (out += text), err: (text) => (err += text) },
    });
    return { code, out, err };
  }

  /** What every sealed value opens to under `box` (throws when one does not open). */
  async function openAll(box: SecretBox): Promise<string[]> {
    const database = await openDatabase({ kind: 'pglite', dataDir });
    try {
      const opened: string[] = [];
      for (const column of SEALED_COLUMNS) {
        const extra = column.extra.map((name) => `, ${name}`).join('');
        const rows = await queryRows<Record<string, unknown>>(
          database.db,
          sql.raw(
            `select ${column.key}::text as ${column.key}, ${column.column} as value${extra} from ${column.table} where ${column.column} is not null order by 1`,
          ),
        );
        for (const row of rows) opened.push(box.open(String(row.value), column.associatedData(row)));
      }
      return opened;
    } finally {
      await database.close();
    }
  }

  it('makes a new key, re-seals every value under it, and removes the previous key file', async () => {
    expect((await cli(...platform)).code).toBe(0);
    const config = { dataDir, encryptionKey: undefined, databaseUrl: undefined };
    const oldKey = resolveMasterKey(config);
    const before = await openAll(new SecretBox(oldKey));
    expect(before.length).toBeGreaterThan(0); // ltijs' sealed tool keys for the platform

    const rotated = await cli('keys', 'rotate', '--json');
    expect(rotated.code).toBe(0);
    expect(JSON.parse(rotated.out)).toMatchObject({ done: true, resealed: before.length, unreadable: 0 });
    const newKey = resolveMasterKey(config);
    expect(newKey.equals(oldKey)).toBe(false);
    expect(fs.existsSync(path.join(dataDir, PREVIOUS_KEY_FILE))).toBe(false);
    expect(fs.statSync(path.join(dataDir, KEY_FILE)).mode & 0o777).toBe(0o600);
    expect(await openAll(new SecretBox(newKey))).toEqual(before);
    for (const value of before) expect(rotated.out + rotated.err).not.toContain(value);
  }, 120_000);
});
