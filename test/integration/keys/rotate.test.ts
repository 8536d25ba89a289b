import crypto from 'node:crypto';
import request from 'supertest';
import { sql } from 'drizzle-orm';
import { buildApp, type BuiltApp } from '../../../src/app';
import { runCliWith, type CliServices } from '../../../src/cli';
import { loadConfig } from '../../../src/config';
import { rotateSealedValues, SEALED_COLUMNS, type SealedColumn } from '../../../src/keys';
import { replaceSealedIf, sealedBatch } from '../../../src/keys/keys.repo';
import { SecretBox } from '../../../src/shared/crypto';
import { createLogger } from '../../../src/shared/logger';
import { queryRows } from '../../../src/storage';
import { openFor } from '../../../src/zoom/zoom.tokens';
import { databaseKinds, TEST_MASTER_KEY } from '../../support/db';
import { TOOL_URL } from '../../support/lti-harness';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

const OLD_KEY = TEST_MASTER_KEY;

/** Every sealed value in the database, by column and row, with what it opens to under `box`. */
type Sealed = Map<string, { sealed: string; clear: string; aad: string }>;
async function sealedValues(h: ZoomHarness, box: SecretBox): Promise<Sealed> {
  const values: Sealed = new Map();
  for (const column of SEALED_COLUMNS) {
    const extra = column.extra.map((name) => `, ${name}`).join('');
    const rows = await queryRows<Record<string, unknown>>(
      h.database.db,
      sql.raw(
        `select ${column.key}::text as ${column.key}, ${column.column} as value${extra} from ${column.table} where ${column.column} is not null`,
      ),
    );
    for (const row of rows) {
      const sealed = String(row.value);
      const aad = column.associatedData(row);
      values.set(`${column.table}.${column.column}:${String(row[column.key])}`, {
        sealed,
        clear: box.open(sealed, aad),
        aad,
      });
    }
  }
  return values;
}

/** What each value opens to, by column and row (order-free: a rewritten row moves in the table). */
const clearOf = (values: Sealed) =>
  Object.fromEntries([...values.entries()].map(([key, value]) => [key, value.clear]));

describe.each(databaseKinds())('keys rotate (%s)', (databaseKind) => {
  let h: ZoomHarness;
  const NEW_KEY = crypto.randomBytes(32);
  let s2sSecret: string;
  let before: Sealed;
  let jwksBefore: unknown;

  beforeAll(async () => {
    h = await createZoomHarness({ databaseKind });
    // Sealed under the old key, each through its own code: OAuth tokens, an S2S client secret and
    // webhook secret, a "Connect Zoom" in flight (verifier, ltik) and ltijs' sealed key documents.
    expect((await h.connectOAuth()).status).toBe(200);
    const other = await h.addLms({ profile: 'canvas', school: 'S2S school' });
    const account = await h.zoom.createAccount({ plan: 'pro' });
    const s2s = await h.zoom.createApp({ kind: 's2s', account_id: account.account_id });
    s2sSecret = s2s.client_secret;
    const otherAdmin = await h.adminLtik(other);
    const connected = await request(h.app)
      .post('/lti/zoom/s2s')
      .type('form')
      .send({
        ltik: otherAdmin,
        csrf: h.formToken(otherAdmin),
        accountId: account.account_id,
        clientId: s2s.client_id,
        clientSecret: s2s.client_secret,
        webhookSecretToken: 'school-webhook-secret-0123456789',
      });
    expect(connected.status).toBe(303);
    await h.startConnect(await h.adminLtik());
    before = await sealedValues(h, h.built.secretBox);
    jwksBefore = (await request(h.app).get('/lti/keys')).body;
  }, 180_000);
  afterAll(() => h.close());

  it('has a sealed value of every kind to rotate', () => {
    const columns = new Set([...before.keys()].map((key) => key.split(':')[0]));
    for (const column of [
      'zoom_connections.access_token_sealed',
      'zoom_connections.refresh_token_sealed',
      'zoom_connections.s2s_client_secret_sealed',
      'zoom_connections.webhook_secret_sealed',
      'zoom_oauth_states.code_verifier_sealed',
      'zoom_oauth_states.return_ltik_sealed',
      'ltijs_documents.sealed',
    ])
      expect(columns).toContain(column);
    expect([...before.values()].map((value) => value.clear)).toContain(s2sSecret);
  });

  it('when a rotation is killed after its first batch, nothing is lost, and running it again finishes it', async () => {
    const rotating = new SecretBox(NEW_KEY, { previousMasterKeys: [OLD_KEY] });
    const killed = new Error('killed after the first batch');
    await expect(
      rotateSealedValues({
        db: h.database.db,
        box: rotating,
        batchSize: 1,
        afterBatch: () => {
          throw killed;
        },
      }),
    ).rejects.toBe(killed);

    // Half way: one value under the new key, the rest under the old; every one opens as before.
    const halfWay = await sealedValues(h, rotating);
    expect(clearOf(halfWay)).toEqual(clearOf(before));
    const moved = [...halfWay.entries()].filter(([key, value]) => value.sealed !== before.get(key)?.sealed);
    expect(moved).toHaveLength(1);

    const lines: string[] = [];
    const code = await runCliWith(
      ['keys', 'rotate', '--json', '--batch-size', '2'],
      {
        ...h.built,
        keyRotation: {
          config: {
            encryptionKey: NEW_KEY,
            encryptionKeyPrevious: OLD_KEY,
            dataDir: '/nonexistent',
            databaseUrl: undefined,
          },
          db: h.database.db,
        },
      },
      { out: (text) => lines.push(text), err: (text) => lines.push(text) },
    );
    expect(code).toBe(0);
    const summary = JSON.parse(lines.find((line) => line.startsWith('{')) ?? '{}') as {
      done: boolean;
      resealed: number;
      unreadable: number;
      columns: { current: number }[];
    };
    expect(summary).toMatchObject({ done: true, resealed: before.size - 1, unreadable: 0 });
    expect(summary.columns.reduce((sum, column) => sum + column.current, 0)).toBe(1);

    // Afterwards the new key alone opens every value, and each is what it was.
    const after = await sealedValues(h, new SecretBox(NEW_KEY));
    expect(clearOf(after)).toEqual(clearOf(before));
    // The old key alone opens none of them.
    for (const value of after.values())
      expect(new SecretBox(OLD_KEY).opensWithCurrentKey(value.sealed, value.aad)).toBe(false);
    // Nothing printed holds a value, sealed or clear.
    const printed = lines.join('');
    for (const value of before.values()) {
      expect(printed).not.toContain(value.clear);
      expect(printed).not.toContain(value.sealed);
    }
  });

  it('a run with nothing left to do changes nothing', async () => {
    const snapshot = await sealedValues(h, new SecretBox(NEW_KEY));
    const summary = await rotateSealedValues({
      db: h.database.db,
      box: new SecretBox(NEW_KEY, { previousMasterKeys: [OLD_KEY] }),
    });
    expect(summary).toMatchObject({ resealed: 0, unreadable: 0, batches: 0 });
    expect(await sealedValues(h, new SecretBox(NEW_KEY))).toEqual(snapshot);
  });

  it('a value rewritten between the read and the write (a token renewed meanwhile) is kept, not overwritten', async () => {
    const column = SEALED_COLUMNS.find((c) => c.column === 'access_token_sealed') as SealedColumn;
    const [row] = await sealedBatch(h.database.db, column, undefined, 1);
    if (!row) throw new Error('no connection');
    const renewed = new SecretBox(NEW_KEY).seal('renewed-meanwhile', column.associatedData(row));
    await h.database.db.execute(
      sql`update zoom_connections set access_token_sealed = ${renewed} where id = ${row.key}`,
    );
    const written = await h.database.db.transaction((tx) => replaceSealedIf(tx, column, row, 'v1.stale.x.y'));
    expect(written).toBe(false);
    const [now] = await sealedBatch(h.database.db, column, undefined, 1);
    expect(now?.value).toBe(renewed);
    // Put back what was there, for the tests that follow.
    await h.database.db.execute(
      sql`update zoom_connections set access_token_sealed = ${row.value} where id = ${row.key}`,
    );
  });

  describe('an instance started with only the new key', () => {
    let next: BuiltApp;
    beforeAll(async () => {
      next = await buildApp({
        config: loadConfig({ PUBLIC_URL: TOOL_URL, DATA_DIR: '/nonexistent', LOG_LEVEL: 'silent' }),
        database: h.database,
        logger: createLogger({ level: 'silent' }),
        masterKey: NEW_KEY,
      });
    });

    it("opens the Zoom tokens and the S2S client secret, and serves ltijs' sealed keys", async () => {
      const rows = await queryRows<{ id: string; kind: string; s2s_client_secret_sealed: string | null }>(
        h.database.db,
        sql`select id, kind, s2s_client_secret_sealed from zoom_connections`,
      );
      for (const row of rows) expect(typeof (await next.zoom.tokens.accessToken(row.id))).toBe('string');
      const s2s = rows.find((row) => row.kind === 's2s');
      expect(
        openFor(next.secretBox, String(s2s?.id), 's2s-secret', String(s2s?.s2s_client_secret_sealed)),
      ).toBe(s2sSecret);
      expect((await request(next.app).get('/lti/keys')).body).toEqual(jwksBefore);
    });
  });
});

describe('keys rotate, refused', () => {
  const io = () => {
    const lines: string[] = [];
    return { lines, io: { out: (t: string) => lines.push(t), err: (t: string) => lines.push(t) } };
  };
  // A running server's services: no keyRotation (the command reached the server over its socket).
  const services = {} as CliServices;

  it('inside a running server (the embedded database handed it over), with what to do', async () => {
    const { lines, io: out } = io();
    expect(await runCliWith(['keys', 'rotate'], services, out)).toBe(1);
    expect(lines.join('')).toMatch(/Stop the server, run `npm run cli -- keys rotate`/);
  });

  it('with ENCRYPTION_KEY but no ENCRYPTION_KEY_PREVIOUS, with the steps', async () => {
    const { lines, io: out } = io();
    const keyRotation = {
      config: { encryptionKey: OLD_KEY, dataDir: '/nonexistent', databaseUrl: 'postgres://x' },
      db: {} as never,
    };
    expect(await runCliWith(['keys', 'rotate'], { ...services, keyRotation }, out)).toBe(1);
    expect(lines.join('')).toMatch(/ENCRYPTION_KEY_PREVIOUS is not set/);
  });

  it('with a bad batch size, as a usage error, before anything is opened', async () => {
    const { io: out } = io();
    expect(
      await runCliWith(
        ['keys', 'rotate', '--batch-size', '0'],
        () => Promise.reject(new Error('opened')),
        out,
      ),
    ).toBe(2);
  });
});
