import type { Tx } from '../storage';
import type { WebhookSource } from './zoom.webhooks.service';
import type { ZoomWebhookEvent } from './zoom.webhooks.schema';

/** Where a verified Zoom event belongs: the school whose connection holds the account. */
export interface ZoomEventContext {
  /** The transaction that claimed the delivery: a subscriber's writes commit with the claim, or not at all. */
  tx: Tx;
  schoolId: string;
  connectionId: string;
  zoomAccountId: string;
  source: WebhookSource;
}

/** A capability's handler of Zoom's events (e.g. meetings: `meeting.updated`). Must be idempotent. */
export type ZoomEventSubscriber = (event: ZoomWebhookEvent, context: ZoomEventContext) => Promise<void>;

/**
 * The seam between Zoom's webhooks and the capabilities that react to them: `services.ts` subscribes
 * them, so the zoom capability never imports them. Subscribers run in order, in the delivery's
 * transaction; one that throws fails the delivery (rolled back; Zoom retries it).
 */
export class ZoomEvents {
  private readonly subscribers: ZoomEventSubscriber[] = [];

  subscribe(subscriber: ZoomEventSubscriber): void {
    this.subscribers.push(subscriber);
  }

  async publish(event: ZoomWebhookEvent, context: ZoomEventContext): Promise<void> {
    for (const subscriber of this.subscribers) await subscriber(event, context);
  }
}
