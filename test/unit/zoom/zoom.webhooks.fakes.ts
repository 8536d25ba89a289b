import crypto from 'node:crypto';
import type { Tx } from '../../../src/storage';
import type { AppDeauthorizedPayload, ZoomWebhookEvent } from '../../../src/zoom/zoom.webhooks.schema';
import type { DeliveryClaim, WebhookSource, WebhookTargets } from '../../../src/zoom/zoom.webhooks.service';

/** Fixtures of the webhook endpoints' tests (zoom.webhooks.routes.test.ts): secrets, fake targets, signed bodies. */
export const MARKETPLACE_SECRET = 'marketplace-secret-token';
export const SCHOOL_SECRET = 'school-own-s2s-secret';
export const SCHOOL = { webhookId: 'wh_7Kq2', connectionId: 'conn-school-1', zoomAccountId: 'acct-school' };
/** Monday 2030-01-07 09:00:00 UTC. */
export const T0 = Date.parse('2030-01-07T09:00:00Z');
export const MINUTE = 60_000;

/** In-memory targets that record every call the endpoints make. */
export class FakeTargets implements WebhookTargets {
  marketplace: string | undefined = MARKETPLACE_SECRET;
  handled = new Map<string, { event: string; zoomAccountId: string | undefined }>();
  deauthorized: Array<{ zoomAccountId: string; source: WebhookSource }> = [];
  events: Array<{ event: ZoomWebhookEvent; source: WebhookSource }> = [];
  /** Calls beyond the secret look-ups (those happen before any check). */
  calls: string[] = [];
  failures = 0;

  marketplaceSecret() {
    return this.marketplace;
  }
  async schoolEndpoint(webhookId: string) {
    return webhookId === SCHOOL.webhookId ? { ...SCHOOL, secret: SCHOOL_SECRET } : undefined;
  }
  /** Claims like the database does: a key is handled once; a failing handler leaves it unclaimed. */
  async handleOnce(delivery: DeliveryClaim, handle: (tx: Tx) => Promise<void>) {
    this.calls.push('claim');
    if (this.handled.has(delivery.key)) return false;
    await handle({} as Tx);
    this.handled.set(delivery.key, { event: delivery.event, zoomAccountId: delivery.zoomAccountId });
    return true;
  }
  async deauthorize(_tx: Tx, payload: AppDeauthorizedPayload, source: WebhookSource) {
    this.calls.push('deauthorize');
    this.maybeFail();
    this.deauthorized.push({ zoomAccountId: payload.account_id, source });
  }
  async dispatch(_tx: Tx, event: ZoomWebhookEvent, source: WebhookSource) {
    this.calls.push('dispatch');
    this.maybeFail();
    this.events.push({ event, source });
  }
  private maybeFail() {
    if (this.failures > 0) {
      this.failures -= 1;
      throw new Error('database unavailable');
    }
  }
}

export const sign = (secret: string, timestamp: string, raw: string) =>
  `v0=${crypto.createHmac('sha256', secret).update(`v0:${timestamp}:${raw}`).digest('hex')}`;
export const sha256 = (raw: string) => crypto.createHash('sha256').update(raw).digest('hex');

export function meetingUpdated(accountId = 'acct-1', topic = 'Biology 101') {
  return JSON.stringify({
    event: 'meeting.updated',
    event_ts: T0,
    payload: { account_id: accountId, operator: 'a@school.edu', object: { id: 85746065432, topic } },
  });
}

export function deauthorized(accountId: string) {
  return JSON.stringify({
    event: 'app_deauthorized',
    event_ts: T0,
    payload: {
      account_id: accountId,
      user_id: 'u-owner',
      client_id: 'client-1',
      deauthorization_time: '2030-01-07T08:59:58.000Z',
      signature: 'abc',
    },
  });
}
