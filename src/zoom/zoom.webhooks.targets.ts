import type { Logger } from 'pino';
import type { SecretBox } from '../shared/crypto';
import type { Db } from '../storage';
import * as repo from './zoom.connections.repo';
import type { ZoomConnectService } from './zoom.connect.service';
import { openFor } from './zoom.tokens';
import type { WebhookTargets } from './zoom.webhooks.service';

/** The webhook endpoints' view of our data: secrets, dedupe, and what each event changes. */
export function webhookTargets(deps: {
  db: Db;
  secretBox: SecretBox;
  marketplaceSecret: string | undefined;
  connect: ZoomConnectService;
  logger: Logger;
}): WebhookTargets {
  return {
    marketplaceSecret: () => deps.marketplaceSecret,
    async schoolEndpoint(webhookId) {
      const row = await repo.connectionByWebhookId(deps.db, webhookId);
      if (!row || row.status === 'disconnected' || !row.webhookSecretSealed) return undefined;
      return {
        connectionId: row.id,
        zoomAccountId: row.zoomAccountId,
        secret: openFor(deps.secretBox, row.id, 'webhook-secret', row.webhookSecretSealed),
      };
    },
    deliveryHandled: (deliveryKey) => repo.deliveryRecorded(deps.db, deliveryKey),
    recordDelivery: (deliveryKey, event, zoomAccountId) =>
      repo.recordDelivery(deps.db, deliveryKey, event, zoomAccountId),
    async deauthorize(zoomAccountId, source) {
      await deps.connect.deauthorize(
        zoomAccountId,
        source.kind === 'school' ? source.connectionId : undefined,
      );
    },
    async handleEvent(event, source) {
      // Meetings sync and recordings arrive with later features; the event is verified and recorded.
      deps.logger.debug({ event: event.event, source: source.kind }, 'Zoom event received');
    },
  };
}
