import os from 'node:os';
import type { Logger } from 'pino';
import { randomToken, type SecretBox } from '../shared/crypto';
import { errors } from '../shared/errors';
import type { Db } from '../storage';
import * as repo from './zoom.connections.repo';
import {
  ZoomOAuthError,
  type OAuthClientCredentials,
  type TokenResponse,
  type ZoomOAuthServer,
} from './zoom.oauth';
import type { AccessTokenProvider } from './zoom.types';

export interface ZoomTokenServiceOptions {
  db: Db;
  secretBox: SecretBox;
  oauth: ZoomOAuthServer;
  /** The Marketplace app that issued OAuth connections' refresh tokens. */
  oauthApp: OAuthClientCredentials | undefined;
  logger: Logger;
  now?: () => number;
  /** Refresh this long before expiry (default 5 minutes). */
  refreshAheadMs?: number;
  /** How long one instance may hold the refresh lease (default 30 s; longer than a refresh request). */
  leaseMs?: number;
  /** How long a caller waits for another instance's refresh (default 30 s). */
  waitMs?: number;
  /** Told how each renewal this process asked Zoom for ended (metrics). */
  onRefresh?: (outcome: 'renewed' | 'dropped' | 'failed' | 'reconnect_required') => void;
}

export type SecretField = 'access' | 'refresh' | 's2s-secret' | 'webhook-secret';

/** Associated data binds each sealed secret to its connection and field: a copied ciphertext opens nowhere else. */
export function sealFor(box: SecretBox, connectionId: string, field: SecretField, value: string): string {
  return box.seal(value, `zoom:${connectionId}:${field}`);
}

export function openFor(box: SecretBox, connectionId: string, field: SecretField, sealed: string): string {
  return box.open(sealed, `zoom:${connectionId}:${field}`);
}

/**
 * Access tokens of every connection, for OAuth (refresh-token rotation) and S2S (account
 * credentials; a new token kills the previous one) alike.
 *
 * Single-flight across processes: a caller that needs a new token takes the connection's refresh
 * lease in the database (a conditional UPDATE: one winner); the others wait and read what the
 * winner committed. Within a process, callers share one promise. The winner commits the rotated
 * refresh token before anyone can use the new access token. A dead grant marks the connection
 * "reconnect required" and no one asks Zoom again until an admin reconnects.
 */
export class ZoomTokenService implements AccessTokenProvider {
  private readonly inflight = new Map<string, Promise<string>>();
  private readonly owner = `${os.hostname()}:${process.pid}:${randomToken(6)}`;
  private readonly now: () => number;
  private readonly refreshAheadMs: number;
  private readonly leaseMs: number;
  private readonly waitMs: number;

  constructor(private readonly options: ZoomTokenServiceOptions) {
    this.now = options.now ?? Date.now;
    this.refreshAheadMs = options.refreshAheadMs ?? 5 * 60_000;
    this.leaseMs = options.leaseMs ?? 30_000;
    this.waitMs = options.waitMs ?? 30_000;
  }

  accessToken(connectionId: string, options: { rejected?: string } = {}): Promise<string> {
    // Callers that saw a token refused only share work with each other: an ordinary fetch in flight
    // may be about to return that very token.
    const key = `${connectionId}|${options.rejected ?? ''}`;
    const running = this.inflight.get(key);
    if (running) return running;
    const obtaining = this.obtain(connectionId, options.rejected).finally(() => this.inflight.delete(key));
    this.inflight.set(key, obtaining);
    return obtaining;
  }

  /**
   * Zoom said the grant is dead. Only the grant that was refused is marked: when `refused` names the
   * token Zoom refused and the connection holds another one by now (an admin reconnected), or the
   * connection changed meanwhile, nothing is marked.
   */
  async markReconnectRequired(
    connectionId: string,
    reason: string,
    refused: { token?: string } = {},
  ): Promise<void> {
    const { db, secretBox, logger } = this.options;
    const row = await repo.connectionById(db, connectionId);
    if (!row || row.status !== 'connected') return;
    const current = row.accessTokenSealed
      ? openFor(secretBox, row.id, 'access', row.accessTokenSealed)
      : undefined;
    if (refused.token !== undefined && current !== refused.token) {
      logger.info(
        { connectionId, reason },
        'Zoom refused a token the connection no longer holds; not marked',
      );
      return;
    }
    await this.markIf(connectionId, { status: 'connected', tokenVersion: row.tokenVersion }, reason);
  }

  /** Marks the connection "reconnect required" if it is still as expected; true when it was marked. */
  private async markIf(
    connectionId: string,
    expected: repo.RowExpectation,
    reason: string,
  ): Promise<boolean> {
    const version = expected.tokenVersion ?? 0;
    const marked = await repo.updateConnectionIf(this.options.db, connectionId, expected, {
      status: 'reconnect_required',
      lastError: reason,
      accessTokenSealed: null,
      accessTokenExpiresAt: null,
      refreshTokenSealed: null,
      refreshLeaseOwner: null,
      refreshLeaseUntil: null,
      tokenVersion: version + 1,
    });
    if (marked) this.options.logger.warn({ connectionId, reason }, 'Zoom connection needs to be reconnected');
    else this.options.logger.info({ connectionId, reason }, 'Zoom connection changed meanwhile; not marked');
    return marked !== undefined;
  }

  /** Stores tokens Zoom just issued (connect flows and refreshes). */
  tokenColumns(connectionId: string, token: TokenResponse) {
    const box = this.options.secretBox;
    return {
      accessTokenSealed: sealFor(box, connectionId, 'access', token.access_token),
      accessTokenExpiresAt: new Date(this.now() + token.expires_in * 1000),
      ...(token.refresh_token
        ? { refreshTokenSealed: sealFor(box, connectionId, 'refresh', token.refresh_token) }
        : {}),
      ...(token.scope ? { scopes: token.scope.split(/[\s,]+/).filter(Boolean) } : {}),
    };
  }

  private usable(row: repo.ConnectionRow, rejected: string | undefined): string | undefined {
    if (!row.accessTokenSealed || !row.accessTokenExpiresAt) return undefined;
    if (row.accessTokenExpiresAt.getTime() - this.now() <= this.refreshAheadMs) return undefined;
    const token = openFor(this.options.secretBox, row.id, 'access', row.accessTokenSealed);
    return token === rejected ? undefined : token;
  }

  private async obtain(connectionId: string, rejected: string | undefined): Promise<string> {
    const deadline = this.now() + this.waitMs;
    for (;;) {
      const row = await repo.connectionById(this.options.db, connectionId);
      if (!row || row.status === 'disconnected') throw errors.zoomNotConnected();
      if (row.status === 'reconnect_required') throw errors.zoomReconnectRequired();
      const usable = this.usable(row, rejected);
      if (usable) return usable;
      const now = this.now();
      if (
        await repo.takeRefreshLease(
          this.options.db,
          connectionId,
          this.owner,
          new Date(now + this.leaseMs),
          new Date(now),
        )
      ) {
        const renewed = await this.refreshHoldingLease(connectionId, rejected);
        // undefined: the connection was replaced while we asked Zoom; read it again.
        if (renewed !== undefined) return renewed;
        continue;
      }
      if (this.now() > deadline) {
        throw errors.zoomUnavailable(
          'Another instance of the tool is renewing the Zoom access and has not finished.',
        );
      }
      await new Promise((resolve) => setTimeout(resolve, 40 + Math.random() * 80));
    }
  }

  /**
   * Asks Zoom for a new token while holding the lease, and commits it only if the connection is
   * still the one we read: this process still holds the lease, the connection is still connected,
   * and its token version has not moved (no disconnect, deauthorization or reconnect meanwhile).
   * Returns undefined when the connection was replaced by a reconnect (the caller reads it again).
   */
  private async refreshHoldingLease(
    connectionId: string,
    rejected: string | undefined,
  ): Promise<string | undefined> {
    const { db, logger } = this.options;
    const row = await repo.connectionById(db, connectionId);
    if (!row || row.status !== 'connected') {
      await this.releaseLease(connectionId);
      throw row?.status === 'reconnect_required' ? errors.zoomReconnectRequired() : errors.zoomNotConnected();
    }
    // Someone may have committed a new token between our read and our lease.
    const already = this.usable(row, rejected);
    if (already) {
      await this.releaseLease(connectionId);
      return already;
    }
    const expected = { leaseOwner: this.owner, status: 'connected' as const, tokenVersion: row.tokenVersion };
    let token: TokenResponse;
    try {
      token = await this.askZoom(row);
    } catch (error) {
      if (error instanceof ZoomOAuthError && error.permanent) {
        const marked = await this.markIf(connectionId, expected, `zoom_${error.error}`);
        this.options.onRefresh?.(marked ? 'reconnect_required' : 'dropped');
        if (marked) throw errors.zoomReconnectRequired();
        return this.afterLostRace(connectionId);
      }
      this.options.onRefresh?.('failed');
      await this.releaseLease(connectionId);
      logger.warn(
        { connectionId, err: error instanceof ZoomOAuthError ? error.message : String(error) },
        'Zoom token renewal failed',
      );
      throw errors.zoomUnavailable(undefined, error);
    }
    // Committed before the token is handed to anyone: the rotated refresh token is never lost.
    const committed = await repo.updateConnectionIf(db, connectionId, expected, {
      ...this.tokenColumns(connectionId, token),
      refreshLeaseOwner: null,
      refreshLeaseUntil: null,
      lastError: null,
      tokenVersion: row.tokenVersion + 1,
    });
    this.options.onRefresh?.(committed ? 'renewed' : 'dropped');
    if (!committed) {
      logger.warn(
        { connectionId, kind: row.kind },
        'the Zoom connection changed while its token was renewed; the renewed token is dropped',
      );
      return this.afterLostRace(connectionId);
    }
    logger.info({ connectionId, kind: row.kind }, 'Zoom access token renewed');
    return token.access_token;
  }

  private async askZoom(row: repo.ConnectionRow): Promise<TokenResponse> {
    const { secretBox, oauth } = this.options;
    if (row.kind === 'oauth') {
      if (!this.options.oauthApp || !row.refreshTokenSealed)
        throw new ZoomOAuthError(undefined, 'no_grant', 'no refresh token', true);
      return oauth.refresh(
        this.options.oauthApp,
        openFor(secretBox, row.id, 'refresh', row.refreshTokenSealed),
      );
    }
    if (!row.s2sClientId || !row.s2sClientSecretSealed)
      throw new ZoomOAuthError(undefined, 'no_grant', 'no credentials', true);
    return oauth.accountCredentials(
      {
        clientId: row.s2sClientId,
        clientSecret: openFor(secretBox, row.id, 's2s-secret', row.s2sClientSecretSealed),
      },
      row.zoomAccountId,
    );
  }

  /** Our renewal lost to a disconnect, deauthorization or reconnect: say which, or read the new grant. */
  private async afterLostRace(connectionId: string): Promise<undefined> {
    await this.releaseLease(connectionId);
    const now = await repo.connectionById(this.options.db, connectionId);
    if (!now || now.status === 'disconnected') throw errors.zoomNotConnected();
    if (now.status === 'reconnect_required') throw errors.zoomReconnectRequired();
    return undefined;
  }

  private async releaseLease(connectionId: string): Promise<void> {
    await repo.updateConnectionIf(
      this.options.db,
      connectionId,
      { leaseOwner: this.owner },
      { refreshLeaseOwner: null, refreshLeaseUntil: null },
    );
  }
}
