import crypto from 'node:crypto';
import type { SimContext } from './zoom-sim.context';
import { ZoomOAuthError } from './zoom-sim.errors';
import type { AuthorizeQuery, TokenParams } from './zoom-sim.schema';
import type { SimApp } from './zoom-sim.state';
import type { TokenService } from './zoom-sim.tokens';
import type { TokenResponse } from './zoom-sim.types';

/**
 * Zoom's OAuth server: the consent step, the token endpoint's three grants and revocation.
 * Refusals on the browser side are `AuthorizeRefusal`s (rendered as pages); on the token endpoint
 * they are `ZoomOAuthError`s (rendered as `{reason, error}`).
 */
export class AuthorizeRefusal extends Error {
  constructor(
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly nextStep: string,
    readonly code: number | null = null,
    /** About the person who signed in (their email), not the request: the consent form is shown again to retry. */
    readonly aboutSignIn = false,
  ) {
    super(detail);
    this.name = 'AuthorizeRefusal';
  }
}

export class OAuthService {
  constructor(
    private readonly ctx: SimContext,
    private readonly tokens: TokenService,
  ) {}

  /** Checks the authorize request before the page is shown (and again when it is posted). */
  checkAuthorize(query: AuthorizeQuery): { app: SimApp; redirectUri: string } {
    const app = query.client_id ? this.ctx.state.apps.get(query.client_id) : undefined;
    if (!app || app.kind !== 'oauth') {
      throw new AuthorizeRefusal(
        400,
        'Invalid client_id',
        `No OAuth app has the client_id "${query.client_id ?? ''}".`,
        'Check the client_id the tool sends to Zoom.',
        4702,
      );
    }
    if (app.disabled) {
      throw new AuthorizeRefusal(
        400,
        'App disabled',
        'This app has been disabled.',
        'Ask the app’s developer.',
        4717,
      );
    }
    if (!query.redirect_uri || query.redirect_uri !== app.redirect_uri) {
      throw new AuthorizeRefusal(
        400,
        'Invalid redirect',
        `Invalid redirect: ${query.redirect_uri ?? '(none)'} does not match the redirect URL of the app.`,
        'The redirect_uri must equal the app’s redirect URL exactly (scheme, host, port, path and query).',
        4709,
      );
    }
    return { app, redirectUri: query.redirect_uri };
  }

  /** The admin approved: returns the URL to redirect to, with `code` and `state`. */
  approve(query: AuthorizeQuery, email: string): string {
    const { app, redirectUri } = this.checkAuthorize(query);
    const user = email ? this.ctx.state.findUser(email.trim()) : undefined;
    if (!user || user.status !== 'active') {
      throw new AuthorizeRefusal(
        403,
        'No active Zoom user with this email',
        `There is no active Zoom user with the email "${email}".`,
        'Sign in with the email of your school’s Zoom account owner or admin.',
        null,
        true,
      );
    }
    if (user.role_id === '2') {
      throw new AuthorizeRefusal(
        403,
        'Only a Zoom admin can authorize this app',
        `${user.email} is not an owner or admin of their Zoom account, and this app is installed for the whole account.`,
        'Ask your Zoom account owner or an admin to authorize the app.',
        null,
        true,
      );
    }
    if (!app.published && app.account_id !== user.account_id) {
      throw new AuthorizeRefusal(
        403,
        'This app is not published',
        'This app has not been published on the Zoom App Marketplace, so only its own account can install it.',
        'Ask the app’s developer to publish it, or use an app created in your own account.',
        null,
        true,
      );
    }
    const code = crypto.randomBytes(24).toString('base64url');
    this.ctx.state.codes.set(code, {
      code,
      client_id: app.client_id,
      account_id: user.account_id,
      user_id: user.id,
      redirect_uri: redirectUri,
      code_challenge: query.code_challenge ?? null,
      code_challenge_method: query.code_challenge ? (query.code_challenge_method ?? 'plain') : null,
      expires_at: this.ctx.clock.now() + this.ctx.options.oauth.codeSeconds * 1000,
      used: false,
    });
    return withParams(redirectUri, { code, state: query.state });
  }

  declineUrl(query: AuthorizeQuery): string {
    const { redirectUri } = this.checkAuthorize(query);
    return withParams(redirectUri, {
      error: 'access_denied',
      error_description: 'The user declined to authorize the app.',
      state: query.state,
    });
  }

  /** Basic authentication of the token and revoke endpoints. */
  authenticateClient(header: string | undefined): SimApp {
    const match = /^Basic\s+(.+)$/i.exec(header ?? '');
    const decoded = match?.[1] ? Buffer.from(match[1], 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    const clientId = colon >= 0 ? decoded.slice(0, colon) : decoded;
    const app = clientId ? this.ctx.state.apps.get(clientId) : undefined;
    if (!app) throw new ZoomOAuthError('invalid_client');
    const secret = colon >= 0 ? decoded.slice(colon + 1) : '';
    const expected = Buffer.from(app.client_secret);
    const given = Buffer.from(secret);
    if (given.length !== expected.length || !crypto.timingSafeEqual(given, expected)) {
      throw new ZoomOAuthError('invalid_client_secret');
    }
    if (app.disabled) throw new ZoomOAuthError('app_disabled');
    return app;
  }

  token(app: SimApp, params: TokenParams): TokenResponse {
    switch (params.grant_type) {
      case 'authorization_code':
        return this.fromCode(app, params);
      case 'refresh_token':
        return this.refresh(app, params);
      case 'account_credentials':
        return this.accountCredentials(app, params);
      default:
        throw new ZoomOAuthError('unsupported_grant_type');
    }
  }

  private fromCode(app: SimApp, params: TokenParams): TokenResponse {
    if (app.kind !== 'oauth') throw new ZoomOAuthError('unsupported_grant_type');
    const code = params.code ? this.ctx.state.codes.get(params.code) : undefined;
    if (!code || code.client_id !== app.client_id || code.used) throw new ZoomOAuthError('invalid_code');
    if (this.ctx.clock.now() >= code.expires_at) throw new ZoomOAuthError('code_expired');
    if (params.redirect_uri !== code.redirect_uri) throw new ZoomOAuthError('redirect_mismatch');
    if (
      code.code_challenge !== null &&
      !verifierMatches(code.code_challenge, code.code_challenge_method, params.code_verifier)
    ) {
      throw new ZoomOAuthError('invalid_code_verifier');
    }
    code.used = true;
    const user = this.ctx.state.users.get(code.user_id);
    if (!user || user.status !== 'active') throw new ZoomOAuthError('token_owner_gone');
    return this.tokens.issue(this.tokens.newGrant(app, code.account_id, code.user_id), true);
  }

  private refresh(app: SimApp, params: TokenParams): TokenResponse {
    if (app.kind !== 'oauth') throw new ZoomOAuthError('unsupported_grant_type');
    if (!params.refresh_token) throw new ZoomOAuthError('token_empty');
    const { state, clock, options } = this.ctx;
    const refresh = state.refreshTokens.get(params.refresh_token);
    const grant = refresh ? state.grants.get(refresh.grant_id) : undefined;
    if (!refresh || !grant || grant.client_id !== app.client_id)
      throw new ZoomOAuthError('invalid_refresh_token');
    if (refresh.state === 'revoked' || grant.revoked) throw new ZoomOAuthError('token_revoked');
    if (refresh.state === 'rotated' || clock.now() >= refresh.expires_at)
      throw new ZoomOAuthError('invalid_refresh_token');
    const user = state.users.get(grant.user_id);
    if (!user || user.status !== 'active') throw new ZoomOAuthError('token_owner_gone');
    refresh.state = 'rotated';
    if (options.oauth.refreshRevokesOldAccessToken) this.tokens.revokeGrantTokens(grant.id, false);
    return this.tokens.issue(grant, true);
  }

  private accountCredentials(app: SimApp, params: TokenParams): TokenResponse {
    if (app.kind !== 's2s') throw new ZoomOAuthError('unsupported_grant_type');
    if (!params.account_id || params.account_id !== app.account_id)
      throw new ZoomOAuthError('invalid_account');
    return this.s2sToken(app);
  }

  /** An S2S token; by default the previous one of the same app and account dies. */
  s2sToken(app: SimApp): TokenResponse {
    const { state } = this.ctx;
    const accountId = app.account_id ?? '';
    const account = state.accounts.get(accountId);
    if (!account) throw new ZoomOAuthError('invalid_account');
    let grant = [...state.grants.values()].find(
      (g) => g.client_id === app.client_id && g.account_id === accountId && !g.revoked,
    );
    if (!grant) grant = this.tokens.newGrant(app, accountId, account.owner_id);
    if (this.ctx.options.oauth.s2sNewTokenInvalidatesPrevious) this.tokens.revokeGrantTokens(grant.id, false);
    return this.tokens.issue(grant, false);
  }

  /** `/oauth/revoke`: the token's whole installation dies. Returns the grant's account, or throws. */
  revoke(app: SimApp, token: string | undefined): { account_id: string; user_id: string } {
    if (!token) throw new ZoomOAuthError('token_empty');
    const { state } = this.ctx;
    const grantId = state.accessTokens.get(token)?.grant_id ?? state.refreshTokens.get(token)?.grant_id;
    const grant = grantId ? state.grants.get(grantId) : undefined;
    if (!grant || grant.client_id !== app.client_id) throw new ZoomOAuthError('invalid_refresh_token');
    grant.revoked = true;
    this.tokens.revokeGrantTokens(grant.id, true);
    return { account_id: grant.account_id, user_id: grant.user_id };
  }
}

function verifierMatches(challenge: string, method: string | null, verifier: string | undefined): boolean {
  if (!verifier) return false;
  const computed =
    method === 'S256' ? crypto.createHash('sha256').update(verifier).digest('base64url') : verifier;
  const a = Buffer.from(computed);
  const b = Buffer.from(challenge);
  return a.length === b.length && crypto.timingSafeEqual(a, b);
}

function withParams(base: string, params: Record<string, string | undefined>): string {
  const url = new URL(base);
  for (const [name, value] of Object.entries(params))
    if (value !== undefined) url.searchParams.set(name, value);
  return url.toString();
}
