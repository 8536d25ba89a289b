import crypto from 'node:crypto';
import { randomToken, type SecretBox } from '../shared/crypto';
import { errors } from '../shared/errors';
import { sql } from 'drizzle-orm';
import { isUniqueViolation, tables, type Db, type Queryable } from '../storage';
import * as repo from './zoom.connections.repo';
import { spendLinks } from './zoom.connect-links.repo';
import { sealFor } from './zoom.tokens';

export interface S2sSecrets {
  s2sClientId?: string;
  clientSecret?: string;
  webhookSecret?: string;
}

/**
 * Saves a school's new connection (or replaces its previous one) in one transaction, refusing a
 * Zoom account another school holds. Secrets are sealed to the connection's id. The school's
 * connect link goes in the same transaction; a connection made through a link (`linkId`) is
 * refused, changing nothing, unless that link is still the school's live one.
 */
export async function storeConnection(
  deps: { db: Db; secretBox: SecretBox; tokenColumns: (connectionId: string) => Partial<repo.NewConnection> },
  input: {
    schoolId: string;
    userKey: string;
    zoomAccountId: string;
    kind: 'oauth' | 's2s';
    s2s: S2sSecrets;
    connectedAt: Date;
    linkId?: string;
  },
): Promise<void> {
  const { db, secretBox } = deps;
  const { schoolId, zoomAccountId, kind, s2s } = input;
  await db
    .transaction(async (tx) => {
      const holder = await repo.liveConnectionByAccount(tx, zoomAccountId);
      if (holder && holder.schoolId !== schoolId) throw errors.zoomAccountTaken();
      if (!(await spendLinks(tx, schoolId, input.linkId, input.connectedAt))) {
        throw errors.zoomConnectLinkInvalid(
          'This link was replaced by a newer one, expired or was used meanwhile, so nothing was connected.',
        );
      }
      const existing = await repo.connectionBySchool(tx, schoolId);
      const id = existing?.id ?? crypto.randomUUID();
      await repo.upsertConnection(tx, {
        id,
        schoolId,
        kind,
        zoomAccountId,
        status: 'connected',
        ...deps.tokenColumns(id),
        ...(kind === 'oauth' ? {} : { refreshTokenSealed: null }),
        s2sClientId: s2s.s2sClientId ?? null,
        s2sClientSecretSealed: s2s.clientSecret
          ? sealFor(secretBox, id, 's2s-secret', s2s.clientSecret)
          : null,
        webhookSecretSealed: s2s.webhookSecret
          ? sealFor(secretBox, id, 'webhook-secret', s2s.webhookSecret)
          : null,
        webhookId: existing?.webhookId ?? randomToken(18),
        lastError: null,
        refreshLeaseOwner: null,
        refreshLeaseUntil: null,
        connectedBy: input.userKey,
        connectedAt: input.connectedAt,
      });
    })
    .catch((error: unknown) => {
      if (isUniqueViolation(error)) throw errors.zoomAccountTaken();
      throw error;
    });
}

/** Forgets every secret of a connection and marks it disconnected (the row stays, for its history). */
export async function forgetConnection(db: Queryable, connectionId: string, reason: string): Promise<void> {
  await repo.updateConnection(db, connectionId, {
    // A renewal in flight read the old version: its commit is refused.
    tokenVersion: sql`${tables.zoomConnections.tokenVersion} + 1`,
    status: 'disconnected',
    lastError: reason,
    accessTokenSealed: null,
    accessTokenExpiresAt: null,
    refreshTokenSealed: null,
    s2sClientSecretSealed: null,
    webhookSecretSealed: null,
    refreshLeaseOwner: null,
    refreshLeaseUntil: null,
    scopes: [],
  });
}
