import crypto from 'node:crypto';
import axios, { type AxiosInstance } from 'axios';
import { z } from 'zod';

/**
 * Zoom's OAuth server: authorization URL (PKCE S256), code exchange, refresh, Server-to-Server
 * account credentials and revocation. Only HTTP here; storing tokens is the token service's job.
 */
export const tokenResponse = z
  .object({
    access_token: z.string().min(1),
    token_type: z.string().optional(),
    refresh_token: z.string().min(1).optional(),
    expires_in: z.coerce.number().int().positive(),
    scope: z.string().optional(),
    api_url: z.string().optional(),
  })
  .passthrough();
export type TokenResponse = z.infer<typeof tokenResponse>;

const errorBody = z
  .object({ error: z.string().optional(), reason: z.string().optional(), code: z.coerce.number().optional() })
  .passthrough();

/** A refusal from Zoom's OAuth server. `permanent`: the grant or credentials are dead; retrying cannot help. */
export class ZoomOAuthError extends Error {
  constructor(
    readonly status: number | undefined,
    readonly error: string,
    readonly reason: string,
    readonly permanent: boolean,
  ) {
    super(`Zoom OAuth ${status ?? 'network'} ${error}: ${reason}`);
    this.name = 'ZoomOAuthError';
  }
}

/** 4711/4735/4741 and rotated-away refresh tokens come back as `invalid_grant`; bad S2S credentials as `invalid_client`. */
const PERMANENT_ERRORS = new Set(['invalid_grant', 'invalid_client', 'unauthorized_client']);
const PERMANENT_CODES = new Set([4702, 4704, 4711, 4717, 4735, 4741]);

export function pkcePair(): { verifier: string; challenge: string } {
  const verifier = crypto.randomBytes(48).toString('base64url');
  return { verifier, challenge: crypto.createHash('sha256').update(verifier).digest('base64url') };
}

export interface OAuthClientCredentials {
  clientId: string;
  clientSecret: string;
}

export class ZoomOAuthServer {
  private readonly http: AxiosInstance;

  constructor(
    private readonly oauthUrl: string,
    options: { timeoutMs?: number } = {},
  ) {
    this.http = axios.create({ baseURL: oauthUrl, timeout: options.timeoutMs ?? 10_000 });
  }

  authorizeUrl(input: {
    clientId: string;
    redirectUrl: string;
    state: string;
    codeChallenge: string;
  }): string {
    const url = new URL('/oauth/authorize', this.oauthUrl);
    url.search = new URLSearchParams({
      response_type: 'code',
      client_id: input.clientId,
      redirect_uri: input.redirectUrl,
      state: input.state,
      code_challenge: input.codeChallenge,
      code_challenge_method: 'S256',
    }).toString();
    return url.toString();
  }

  exchangeCode(
    app: OAuthClientCredentials,
    input: { code: string; redirectUrl: string; codeVerifier: string },
  ) {
    return this.token(app, {
      grant_type: 'authorization_code',
      code: input.code,
      redirect_uri: input.redirectUrl,
      code_verifier: input.codeVerifier,
    });
  }

  refresh(app: OAuthClientCredentials, refreshToken: string) {
    return this.token(app, { grant_type: 'refresh_token', refresh_token: refreshToken });
  }

  accountCredentials(app: OAuthClientCredentials, accountId: string) {
    return this.token(app, { grant_type: 'account_credentials', account_id: accountId });
  }

  async revoke(app: OAuthClientCredentials, token: string): Promise<void> {
    await this.call(() =>
      this.http.post('/oauth/revoke', new URLSearchParams({ token }).toString(), {
        auth: { username: app.clientId, password: app.clientSecret },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
  }

  private async token(app: OAuthClientCredentials, form: Record<string, string>): Promise<TokenResponse> {
    const response = await this.call(() =>
      this.http.post('/oauth/token', new URLSearchParams(form).toString(), {
        auth: { username: app.clientId, password: app.clientSecret },
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
      }),
    );
    const parsed = tokenResponse.safeParse(response.data);
    if (!parsed.success)
      throw new ZoomOAuthError(
        response.status,
        'invalid_response',
        'Zoom answered without a usable token',
        false,
      );
    return parsed.data;
  }

  private async call<T>(fn: () => Promise<T>): Promise<T> {
    try {
      return await fn();
    } catch (error) {
      if (axios.isAxiosError(error)) {
        const status = error.response?.status;
        if (status === undefined)
          throw new ZoomOAuthError(undefined, 'network', error.code ?? 'no answer from Zoom', false);
        const body = errorBody.safeParse(error.response?.data);
        const name = (body.success && body.data.error) || `http_${status}`;
        const reason =
          (body.success && (body.data.reason ?? (body.data as { message?: string }).message)) ||
          'no reason given';
        const code = body.success ? body.data.code : undefined;
        const permanent =
          status < 500 && (PERMANENT_ERRORS.has(name) || (code !== undefined && PERMANENT_CODES.has(code)));
        throw new ZoomOAuthError(status, name, String(reason), permanent);
      }
      throw error;
    }
  }
}
