import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { randomToken, timingSafeEqualText, type SecretBox } from '../shared/crypto';
import { AppError, errors } from '../shared/errors';
import { parseInput } from '../shared/validation';
import type { Db, Queryable } from '../storage';
import * as repo from './zoom.connections.repo';
import { deleteExpiredLinks } from './zoom.connect-links.repo';
import {
  ZoomOAuthError,
  pkcePair,
  type OAuthClientCredentials,
  type TokenResponse,
  type ZoomOAuthServer,
} from './zoom.oauth';
import { missingScopes, s2sInput, callbackQuery, type S2sInput } from './zoom.connect.schema';
import { withReturn, type ReturnTo } from './zoom.connect.errors';
import { isUserOfAnotherAccount } from './zoom.client.errors';
import { forgetConnection, storeConnection, type S2sSecrets } from './zoom.connections.store';
import { openFor, type ZoomTokenService } from './zoom.tokens';
import type { ZoomConnectionRef, ZoomPlan } from './zoom.types';
import type { AccountProbe, BrowserBinding, ConnectionView, ConnectStarter } from './zoom.connect.types';

export type {
  AccountProbe,
  BrowserBinding,
  ConnectionView,
  ConnectStarter,
  SchoolAdmin,
} from './zoom.connect.types';

export interface ZoomConnectServiceOptions {
  db: Db;
  secretBox: SecretBox;
  oauth: ZoomOAuthServer;
  oauthApp: (OAuthClientCredentials & { redirectUrl: string }) | undefined;
  tokens: ZoomTokenService;
  probe: AccountProbe;
  publicUrl: string;
  /** The plan the client paces for (connections do not know their account's plan). */
  plan: ZoomPlan;
  /** Called when a school's Zoom tokens are forgotten (in the same transaction, if any): its other Zoom data goes too. */
  onForget?: (db: Queryable, schoolId: string) => Promise<void>;
  logger: Logger;
  now?: () => number;
}

const STATE_TTL_MS = 10 * 60_000;

const hashState = (state: string) => crypto.createHash('sha256').update(state).digest('hex');

/** One cookie per round trip (two tabs connecting at once do not overwrite each other). */
export function bindingCookieName(state: string): string {
  return `zoom_connect_${crypto.createHash('sha256').update(`binding:${state}`).digest('hex').slice(0, 16)}`;
}

/** Connecting a school's Zoom account (Marketplace OAuth or the school's own S2S app), and disconnecting it. */
export class ZoomConnectService {
  private readonly now: () => number;

  constructor(private readonly options: ZoomConnectServiceOptions) {
    this.now = options.now ?? Date.now;
  }

  get oauthAvailable(): boolean {
    return this.options.oauthApp !== undefined;
  }

  async view(schoolId: string): Promise<ConnectionView> {
    const row = await repo.connectionBySchool(this.options.db, schoolId);
    if (!row) {
      return {
        status: 'none',
        kind: undefined,
        zoomAccountId: undefined,
        scopes: [],
        lastError: undefined,
        connectedAt: undefined,
        webhookUrl: undefined,
      };
    }
    return {
      status: row.status,
      kind: row.kind,
      zoomAccountId: row.zoomAccountId,
      scopes: row.scopes,
      lastError: row.lastError ?? undefined,
      connectedAt: row.connectedAt,
      webhookUrl: row.kind === 's2s' ? `${this.options.publicUrl}/zoom/webhook/${row.webhookId}` : undefined,
    };
  }

  /** Drops connection attempts and connect links that expired, and webhook deliveries older than Zoom's retry window. */
  async purgeExpired(): Promise<void> {
    const now = this.now();
    await repo.deleteExpiredOauthStates(this.options.db, new Date(now));
    await deleteExpiredLinks(this.options.db, new Date(now));
    await repo.deleteOldDeliveries(this.options.db, new Date(now - 7 * 24 * 3_600_000));
  }

  /** The school's connection for Zoom calls (a `ref` only when connected). */
  async connectionOf(
    schoolId: string,
  ): Promise<{ status: ConnectionView['status']; ref?: ZoomConnectionRef }> {
    const row = await repo.connectionBySchool(this.options.db, schoolId);
    if (!row) return { status: 'none' };
    if (row.status !== 'connected') return { status: row.status };
    return {
      status: 'connected',
      ref: { id: row.id, schoolId, zoomAccountId: row.zoomAccountId, plan: this.options.plan },
    };
  }

  /**
   * Starts the consent round trip. Returns Zoom's authorize URL and a browser binding: a random value
   * the route sets as a first-party cookie on the page that sends this browser to Zoom; only its
   * hash is stored, and the callback completes only in a browser that sends it back.
   */
  async beginOAuth(admin: ConnectStarter): Promise<{ authorizeUrl: string; binding: BrowserBinding }> {
    const app = this.options.oauthApp;
    if (!app) throw errors.zoomOauthNotConfigured();
    const state = randomToken(32);
    const { verifier, challenge } = pkcePair();
    const box = this.options.secretBox;
    const stateHash = hashState(state);
    const binding = randomToken(32);
    await repo.deleteExpiredOauthStates(this.options.db, new Date(this.now()));
    await repo.insertOauthState(this.options.db, {
      stateHash,
      schoolId: admin.schoolId,
      userKey: admin.userKey,
      codeVerifierSealed: box.seal(verifier, `zoom-state:${stateHash}:verifier`),
      returnLtikSealed: admin.ltik ? box.seal(admin.ltik, `zoom-state:${stateHash}:ltik`) : null,
      connectLinkSealed: admin.link ? box.seal(admin.link.token, `zoom-state:${stateHash}:link`) : null,
      browserBindingHash: hashState(binding),
      expiresAt: new Date(this.now() + STATE_TTL_MS),
    });
    const authorizeUrl = this.options.oauth.authorizeUrl({
      clientId: app.clientId,
      redirectUrl: app.redirectUrl,
      state,
      codeChallenge: challenge,
    });
    return {
      authorizeUrl,
      binding: { cookieName: bindingCookieName(state), value: binding, maxAgeMs: STATE_TTL_MS },
    };
  }

  /**
   * Zoom's redirect back, with the binding cookie this browser sent (if any). Returns where the
   * starter came from (the admin's ltik, or the connect link) so the page can lead them back. In a
   * browser that did not start the round trip nothing is connected, and nothing is handed out.
   * A round trip started from a connect link connects only if that link is still the school's live one.
   */
  async completeOAuth(
    rawQuery: Record<string, unknown>,
    readBinding: (cookieName: string) => string | undefined,
  ): Promise<{ schoolId: string; returnTo: ReturnTo }> {
    const app = this.options.oauthApp;
    if (!app) throw errors.zoomOauthNotConfigured();
    const query = callbackQuery.safeParse(rawQuery);
    if (!query.success || !query.data.state) throw errors.zoomStateInvalid();
    const stateHash = hashState(query.data.state);
    const saved = await repo.consumeOauthState(this.options.db, stateHash);
    if (!saved || saved.expiresAt.getTime() < this.now()) throw errors.zoomStateInvalid();
    const binding = readBinding(bindingCookieName(query.data.state));
    if (
      !saved.browserBindingHash ||
      binding === undefined ||
      !timingSafeEqualText(hashState(binding), saved.browserBindingHash)
    ) {
      this.options.logger.warn(
        { schoolId: saved.schoolId, cookieSent: binding !== undefined },
        'Zoom consent came back in a browser that did not start it; nothing connected',
      );
      throw errors.zoomOtherBrowser();
    }
    const box = this.options.secretBox;
    const linkToken = saved.connectLinkSealed
      ? box.open(saved.connectLinkSealed, `zoom-state:${stateHash}:link`)
      : undefined;
    const returnTo: ReturnTo =
      linkToken !== undefined
        ? { linkToken }
        : {
            ltik: saved.returnLtikSealed
              ? box.open(saved.returnLtikSealed, `zoom-state:${stateHash}:ltik`)
              : '',
          };
    const linkId = linkToken?.split('.')[1];
    if (query.data.error) throw withReturn(errors.zoomConsentDenied(), returnTo);
    if (!query.data.code)
      throw withReturn(errors.zoomStateInvalid('Zoom came back without an authorization code.'), returnTo);

    let token: TokenResponse;
    try {
      token = await this.options.oauth.exchangeCode(app, {
        code: query.data.code,
        redirectUrl: app.redirectUrl,
        codeVerifier: box.open(saved.codeVerifierSealed, `zoom-state:${stateHash}:verifier`),
      });
    } catch (error) {
      throw withReturn(
        error instanceof ZoomOAuthError && error.status !== undefined && error.status < 500
          ? errors.zoomStateInvalid(`Zoom refused the authorization code (${error.reason}).`)
          : errors.zoomUnavailable(undefined, error),
        returnTo,
      );
    }
    const missing = missingScopes(token.scope);
    if (missing.length > 0) {
      await this.revokeQuietly(app, token.access_token);
      throw withReturn(errors.zoomMissingScopes(`Zoom did not grant: ${missing.join(', ')}.`), returnTo);
    }
    const { accountId } = await this.options.probe(token.access_token, 'me').catch((error: unknown) => {
      throw withReturn(errors.zoomUnavailable(undefined, error), returnTo);
    });
    if (!accountId)
      throw withReturn(errors.zoomUnavailable('Zoom did not say which account was connected.'), returnTo);
    await this.store(saved.schoolId, saved.userKey, accountId, 'oauth', token, {}, linkId).catch(
      async (error: unknown) => {
        if (
          error instanceof AppError &&
          (error.id === 'zoom_account_taken' || error.id === 'zoom_connect_link_invalid')
        )
          await this.revokeQuietly(app, token.access_token);
        throw withReturn(error, returnTo);
      },
    );
    return { schoolId: saved.schoolId, returnTo };
  }

  async connectS2S(admin: ConnectStarter, raw: Record<string, unknown>): Promise<ConnectionView> {
    const input: S2sInput = parseInput(s2sInput, raw);
    const credentials = { clientId: input.clientId, clientSecret: input.clientSecret };
    let token: TokenResponse;
    try {
      token = await this.options.oauth.accountCredentials(credentials, input.accountId);
    } catch (error) {
      if (error instanceof ZoomOAuthError && error.status !== undefined && error.status < 500) {
        throw errors.zoomCredentialsInvalid(`Zoom refused them (${error.reason}).`);
      }
      throw errors.zoomUnavailable(undefined, error);
    }
    // One user lookup proves the token works on that account with user scopes; an unknown user is
    // fine, and so is a user of another account (the admin's email is a Zoom user elsewhere: another
    // school's account, where this tool or anyone made it).
    try {
      await this.options.probe(token.access_token, admin.email ?? input.accountId);
    } catch (error) {
      if (error instanceof AppError) throw error;
      const kind = (error as { kind?: string }).kind;
      if (kind !== 'not_found' && kind !== 'forbidden' && !isUserOfAnotherAccount(error)) {
        throw kind === 'missing_scopes' || kind === 'unauthorized'
          ? errors.zoomCredentialsInvalid(
              'The app’s token cannot read users: give the app the user:read:admin scope (or its granular equivalent).',
            )
          : errors.zoomUnavailable(undefined, error);
      }
    }
    await this.store(
      admin.schoolId,
      admin.userKey,
      input.accountId,
      's2s',
      token,
      {
        s2sClientId: input.clientId,
        clientSecret: input.clientSecret,
        webhookSecret: input.webhookSecretToken,
      },
      admin.link?.linkId,
    );
    return this.view(admin.schoolId);
  }

  /** Revokes at Zoom (best effort: the local tokens go regardless) and forgets every secret. */
  async disconnect(schoolId: string): Promise<{ revokedAtZoom: boolean }> {
    const row = await repo.connectionBySchool(this.options.db, schoolId);
    if (!row || row.status === 'disconnected') return { revokedAtZoom: false };
    let revokedAtZoom = false;
    const box = this.options.secretBox;
    try {
      if (row.kind === 'oauth' && this.options.oauthApp) {
        const sealed = row.refreshTokenSealed ?? row.accessTokenSealed;
        const field = row.refreshTokenSealed ? 'refresh' : 'access';
        if (sealed) {
          await this.options.oauth.revoke(this.options.oauthApp, openFor(box, row.id, field, sealed));
          revokedAtZoom = true;
        }
      } else if (
        row.kind === 's2s' &&
        row.s2sClientId &&
        row.s2sClientSecretSealed &&
        row.accessTokenSealed
      ) {
        await this.options.oauth.revoke(
          {
            clientId: row.s2sClientId,
            clientSecret: openFor(box, row.id, 's2s-secret', row.s2sClientSecretSealed),
          },
          openFor(box, row.id, 'access', row.accessTokenSealed),
        );
        revokedAtZoom = true;
      }
    } catch (error) {
      this.options.logger.warn(
        { connectionId: row.id, err: (error as Error).message },
        'revoking at Zoom failed; tokens deleted anyway',
      );
    }
    await this.options.db.transaction((tx) => this.forget(row, 'disconnected_by_admin', tx));
    this.options.logger.info({ connectionId: row.id, schoolId, revokedAtZoom }, 'Zoom disconnected');
    return { revokedAtZoom };
  }

  /**
   * Zoom told us (app_deauthorized) that an account removed an app: the tokens and Zoom data of that
   * app's connection go. Only that app's: a Marketplace deauthorization touches the OAuth connection
   * holding the account, never a school's own Server-to-Server connection to the same account, and
   * an event naming another app's client id changes nothing.
   */
  async deauthorize(
    input: { zoomAccountId: string; clientId?: string; connectionId?: string },
    db: Queryable = this.options.db,
  ): Promise<void> {
    const row = input.connectionId
      ? await repo.connectionById(db, input.connectionId)
      : await repo.liveConnectionByAccount(db, input.zoomAccountId, 'oauth');
    if (!row || row.zoomAccountId !== input.zoomAccountId || row.status === 'disconnected') return;
    const appClientId = row.kind === 'oauth' ? this.options.oauthApp?.clientId : row.s2sClientId;
    const expectedKind = input.connectionId ? 's2s' : 'oauth';
    if (row.kind !== expectedKind || (input.clientId !== undefined && input.clientId !== appClientId)) {
      this.options.logger.info(
        { connectionId: row.id, zoomAccountId: input.zoomAccountId, kind: row.kind },
        'app_deauthorized names another app than this connection’s; nothing changed',
      );
      return;
    }
    await this.forget(row, 'app_deauthorized', db);
    this.options.logger.warn(
      { connectionId: row.id, zoomAccountId: input.zoomAccountId },
      'Zoom app deauthorized: tokens and Zoom data deleted',
    );
  }

  private async forget(
    row: repo.ConnectionRow,
    reason: string,
    db: Queryable = this.options.db,
  ): Promise<void> {
    await forgetConnection(db, row.id, reason);
    await this.options.onForget?.(db, row.schoolId);
  }

  private async store(
    schoolId: string,
    userKey: string,
    zoomAccountId: string,
    kind: 'oauth' | 's2s',
    token: TokenResponse,
    s2s: S2sSecrets,
    linkId?: string,
  ): Promise<void> {
    const { db, secretBox, tokens } = this.options;
    await storeConnection(
      { db, secretBox, tokenColumns: (id) => tokens.tokenColumns(id, token) },
      { schoolId, userKey, zoomAccountId, kind, s2s, connectedAt: new Date(this.now()), linkId },
    );
    this.options.logger.info({ schoolId, zoomAccountId, kind }, 'Zoom connected');
  }

  private async revokeQuietly(app: OAuthClientCredentials, token: string): Promise<void> {
    await this.options.oauth.revoke(app, token).catch(() => undefined);
  }
}
