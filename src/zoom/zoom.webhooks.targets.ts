import type { Logger } from 'pino';
import type { SecretBox } from '../shared/crypto';
import type { Db } from '../storage';
import * as repo from './zoom.connections.repo';
import type { ZoomConnectService } from './zoom.connect.service';
import type { ZoomEvents } from './zoom.events';
import { openFor } from './zoom.tokens';
import type { WebhookTargets } from './zoom.webhooks.service';

/** The webhook endpoints' view of our data: secrets, delivery claims, and what each event changes. */
export function webhookTargets(deps: {
  db: Db;
  secretBox: SecretBox;
  marketplaceSecret: string | undefined;
  connect: ZoomConnectService;
  events: ZoomEvents;
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
    handleOnce: (delivery, handle) =>
      // The claim is a unique insert: a concurrent copy waits for this transaction, then finds the
      // key taken (or, if this one rolled back, claims it itself).
      deps.db.transaction(async (tx) => {
        if (!(await repo.claimDelivery(tx, delivery))) return false;
        await handle(tx);
        return true;
      }),
    deauthorize: (tx, payload, source) =>
      deps.connect.deauthorize(
        {
          zoomAccountId: payload.account_id,
          clientId: payload.client_id,
          connectionId: source.kind === 'school' ? source.connectionId : undefined,
        },
        tx,
      ),
    async dispatch(tx, event, source) {
      const accountId = event.payload.account_id;
      const row =
        source.kind === 'school'
          ? await repo.connectionById(tx, source.connectionId)
          : accountId
            ? await repo.liveConnectionByAccount(tx, accountId, 'oauth')
            : undefined;
      if (!row || row.status === 'disconnected') {
        deps.logger.info(
          { event: event.event, source: source.kind },
          'Zoom event for no connected school; ignored',
        );
        return;
      }
      await deps.events.publish(event, {
        tx,
        schoolId: row.schoolId,
        connectionId: row.id,
        zoomAccountId: row.zoomAccountId,
        source,
      });
    },
  };
}
