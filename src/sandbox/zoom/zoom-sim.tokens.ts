import crypto from 'node:crypto';
import type { SimContext } from './zoom-sim.context';
import type { SimAccessToken, SimApp, SimGrant } from './zoom-sim.state';
import type { TokenResponse } from './zoom-sim.types';

/**
 * Token minting, lookup and revocation, shared by the OAuth endpoints, the API's bearer check, the
 * faults and the control surface. Tokens are opaque to clients; by default they are as long as
 * Zoom's JWT-shaped ones so storage that truncates at 255 characters fails here first.
 */
export class TokenService {
  constructor(private readonly ctx: SimContext) {}

  private mint(kind: 'access' | 'refresh', grant: SimGrant): string {
    if (this.ctx.options.oauth.tokenStyle === 'opaque') return crypto.randomBytes(32).toString('base64url');
    const now = Math.floor(this.ctx.clock.now() / 1000);
    const header = { alg: 'HS512', v: '2.0', kid: crypto.randomUUID() };
    const payload = {
      ver: 10,
      auid: crypto.randomBytes(32).toString('hex'),
      uid: grant.user_id,
      nbf: now,
      code: crypto.randomBytes(24).toString('base64url'),
      iss: `zm:cid:${grant.client_id}`,
      gno: 0,
      type: kind === 'access' ? 0 : 1,
      tid: crypto.randomBytes(8).toString('hex'),
      aud: 'https://oauth.zoom.us',
      aid: grant.account_id,
      sid: crypto.randomBytes(16).toString('hex'),
      iat: now,
      jti: crypto.randomUUID(),
    };
    const part = (value: object) => Buffer.from(JSON.stringify(value)).toString('base64url');
    return `${part(header)}.${part(payload)}.${crypto.randomBytes(64).toString('base64url')}`;
  }

  /** Issues an access token (and a refresh token for OAuth grants) and records it. */
  issue(grant: SimGrant, withRefresh: boolean): TokenResponse {
    const { state, clock, options } = this.ctx;
    const now = clock.now();
    const access: SimAccessToken = {
      token: this.mint('access', grant),
      grant_id: grant.id,
      client_id: grant.client_id,
      account_id: grant.account_id,
      user_id: grant.user_id,
      kind: grant.kind,
      scopes: grant.scopes,
      issued_at: now,
      expires_at: now + options.oauth.accessTokenSeconds * 1000,
      revoked: false,
    };
    state.accessTokens.set(access.token, access);
    state.issued.push({ client_id: grant.client_id, account_id: grant.account_id, kind: grant.kind });
    const body: TokenResponse = {
      access_token: access.token,
      token_type: 'bearer',
      expires_in: options.oauth.reportedExpiresIn,
      scope: grant.scopes.join(' '),
      api_url: this.ctx.baseUrl(),
    };
    if (withRefresh) {
      const refresh = this.mint('refresh', grant);
      state.refreshTokens.set(refresh, {
        token: refresh,
        grant_id: grant.id,
        expires_at: now + options.oauth.refreshTokenSeconds * 1000,
        state: 'live',
      });
      return { access_token: body.access_token, token_type: 'bearer', refresh_token: refresh, ...rest(body) };
    }
    return body;
  }

  newGrant(app: SimApp, accountId: string, userId: string): SimGrant {
    const grant: SimGrant = {
      id: this.ctx.state.secret(12),
      client_id: app.client_id,
      account_id: accountId,
      user_id: userId,
      kind: app.kind,
      scopes: app.scopes,
      revoked: false,
    };
    this.ctx.state.grants.set(grant.id, grant);
    return grant;
  }

  /** 'ok' with the token, or why it fails the API's bearer check. */
  check(
    token: string | undefined,
  ): { status: 'ok'; token: SimAccessToken } | { status: 'invalid' | 'expired' } {
    if (!token) return { status: 'invalid' };
    const { state, clock } = this.ctx;
    const found = state.accessTokens.get(token);
    if (!found || found.revoked) return { status: 'invalid' };
    const grant = state.grants.get(found.grant_id);
    const app = state.apps.get(found.client_id);
    const user = state.users.get(found.user_id);
    if (!grant || grant.revoked || !app || app.disabled) return { status: 'invalid' };
    if (found.kind === 'oauth' && (!user || user.status !== 'active')) return { status: 'invalid' };
    if (clock.now() >= found.expires_at) return { status: 'expired' };
    return { status: 'ok', token: found };
  }

  /** Kills every access token of a grant (and its refresh tokens when `all`). */
  revokeGrantTokens(grantId: string, all: boolean): void {
    const { state } = this.ctx;
    for (const t of state.accessTokens.values()) if (t.grant_id === grantId) t.revoked = true;
    if (!all) return;
    for (const r of state.refreshTokens.values())
      if (r.grant_id === grantId && r.state === 'live') r.state = 'revoked';
  }

  /** The `revoke_tokens` fault: every token of an account (or of all accounts). */
  revokeAccount(accountId: string | null, all: boolean): void {
    for (const grant of this.ctx.state.grants.values()) {
      if (accountId === null || grant.account_id === accountId) this.revokeGrantTokens(grant.id, all);
    }
  }

  /** Uninstalls an app from an account: every grant dies, so tokens answer 124 and refresh 4741. */
  revokeInstallation(clientId: string, accountId: string): SimGrant | undefined {
    let latest: SimGrant | undefined;
    for (const grant of this.ctx.state.grants.values()) {
      if (grant.client_id !== clientId || grant.account_id !== accountId || grant.revoked) continue;
      grant.revoked = true;
      this.revokeGrantTokens(grant.id, true);
      latest = grant;
    }
    return latest;
  }

  /** Whether the app has a live installation on the account (so it receives that account's webhooks). */
  installed(clientId: string, accountId: string): boolean {
    for (const grant of this.ctx.state.grants.values()) {
      if (grant.client_id === clientId && grant.account_id === accountId && !grant.revoked) return true;
    }
    return false;
  }
}

function rest(body: TokenResponse): Pick<TokenResponse, 'expires_in' | 'scope' | 'api_url'> {
  return { expires_in: body.expires_in, scope: body.scope, api_url: body.api_url };
}
