import { sql } from 'drizzle-orm';
import pg from 'pg';
import request from 'supertest';
import { queryRows } from '../../../src/storage';
import type { ZoomEventContext, ZoomWebhookEvent } from '../../../src/zoom';
import { databaseKinds } from '../../support/db';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));
const seconds = (offset = 0) => String(Math.floor(Date.now() / 1000) + offset);

/**
 * Each delivery's effects happen once: the delivery is claimed (a unique insert) in the same
 * transaction as the handler's writes, so copies arriving together wait for the first and find it
 * claimed, and a handler that fails leaves nothing claimed for Zoom's retry.
 */
describe.each(databaseKinds())(
  'webhook deliveries are claimed before they are handled (%s)',
  (databaseKind) => {
    let h: ZoomHarness;
    let logLines: string[];
    let received: Array<{ event: ZoomWebhookEvent; context: Omit<ZoomEventContext, 'tx'> }>;
    let behaviour: (event: ZoomWebhookEvent) => Promise<void>;

    beforeAll(async () => {
      logLines = [];
      h = await createZoomHarness({ databaseKind, logLines });
      h.built.zoom.events.subscribe(async (event, { tx, ...context }) => {
        await behaviour(event);
        // A subscriber's own write, in the claim's transaction.
        await tx.execute(sql`select 1`);
        received.push({ event, context });
      });
      expect((await h.connectOAuth()).status).toBe(200);
    });
    afterAll(() => h.close());
    beforeEach(() => {
      received = [];
      behaviour = async () => undefined;
    });

    const meetingUpdated = (topic: string) => ({
      event: 'meeting.updated',
      event_ts: Date.now(),
      payload: { account_id: h.account.account_id, object: { id: 85746065432, topic } },
    });

    const deliver = (body: unknown, timestamp = seconds()) =>
      h.deliver('/zoom/webhook', h.app_.webhook_secret_token, body, timestamp);

    async function deliveriesRecorded(): Promise<number> {
      const rows = await queryRows<{ count: string | number }>(
        h.database.db,
        sql`select count(*) as count from zoom_webhook_deliveries where event = 'meeting.updated'`,
      );
      return Number(rows[0]?.count ?? 0);
    }

    it('when two copies of one delivery arrive together, the subscriber runs once and one answer says duplicate', async () => {
      behaviour = async () => {
        await sleep(250);
      };
      const body = meetingUpdated('Together');
      const before = await deliveriesRecorded();
      // Zoom's retry carries a new timestamp and signature over the same body.
      const answers = await Promise.all([deliver(body), deliver(body, seconds(1))]);
      expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
      expect(answers.filter((answer) => answer.body.duplicate === true)).toHaveLength(1);
      expect(received.map((r) => r.event.payload.object?.topic)).toEqual(['Together']);
      expect(await deliveriesRecorded()).toBe(before + 1);
    });

    it('when the subscriber fails, the claim is rolled back and Zoom’s retry is handled', async () => {
      let failures = 1;
      behaviour = async () => {
        if (failures-- > 0) throw new Error('database unavailable');
      };
      const body = meetingUpdated('Retried');
      const before = await deliveriesRecorded();
      expect((await deliver(body)).status).toBe(500);
      expect(await deliveriesRecorded()).toBe(before);
      const retry = await deliver(body, seconds(1));
      expect(retry.status).toBe(200);
      expect(retry.body).toEqual({ received: true });
      expect(received).toHaveLength(1);
      expect(await deliveriesRecorded()).toBe(before + 1);
    });

    it('a subscriber learns which school’s connection the event belongs to', async () => {
      const row = (await h.connectionRow()) as { id: string; school_id: string };
      expect((await deliver(meetingUpdated('Whose'))).status).toBe(200);
      expect(received[0]?.context).toEqual({
        schoolId: row.school_id,
        connectionId: row.id,
        zoomAccountId: h.account.account_id,
        source: { kind: 'marketplace' },
      });
    });

    it('an event for an account no school has connected reaches no subscriber', async () => {
      const body = { ...meetingUpdated('Nobody'), payload: { account_id: 'acct-of-nobody', object: {} } };
      expect((await deliver(body)).status).toBe(200);
      expect(received).toEqual([]);
    });
  },
);

const postgres = process.env.TEST_DATABASE_URL ? describe : describe.skip;

/**
 * The same race on PostgreSQL, staged without any subscriber: another session holds the
 * connection's row, so both copies of one app_deauthorized are in flight at the same time.
 */
postgres('concurrent app_deauthorized copies on PostgreSQL', () => {
  let h: ZoomHarness;
  const logLines: string[] = [];
  beforeAll(async () => {
    h = await createZoomHarness({ databaseKind: 'postgres', logLines });
    expect((await h.connectOAuth()).status).toBe(200);
  });
  afterAll(() => h.close());

  it('are handled once: one answer is a duplicate and the account is deauthorized once', async () => {
    const locker = new pg.Client({ connectionString: h.database.url });
    await locker.connect();
    const body = {
      event: 'app_deauthorized',
      event_ts: Date.now(),
      payload: { account_id: h.account.account_id, client_id: h.app_.client_id },
    };
    let answers: request.Response[];
    try {
      await locker.query('begin');
      await locker.query('select id from zoom_connections for update');
      const pending = Promise.all([
        h.deliver('/zoom/webhook', h.app_.webhook_secret_token, body),
        h.deliver('/zoom/webhook', h.app_.webhook_secret_token, body, seconds(1)),
      ]);
      await sleep(500); // both copies are now inside their handling
      await locker.query('commit');
      answers = await pending;
    } finally {
      await locker.end();
    }
    expect(answers.map((answer) => answer.status)).toEqual([200, 200]);
    expect(answers.filter((answer) => answer.body.duplicate === true)).toHaveLength(1);
    expect(logLines.filter((line) => line.includes('Zoom app deauthorized'))).toHaveLength(1);
    expect(await h.connectionRow()).toMatchObject({ status: 'disconnected' });
  });
});
