/**
 * Access tokens for the LMS's LTI Advantage services (Names and Roles, Assignment and Grade
 * Services): the OAuth2 client-credentials grant with a JWT client assertion signed by the tool's
 * key for the registration, as ltijs asks for them (its `platformAccessToken`, behind `provider.ts`).
 * A token is kept in memory per registration and scope set until a minute before it expires, so
 * several calls make one token request; concurrent callers share the one request in flight.
 */

/** A bearer token for the scopes asked, and the scopes the LMS says it granted. */
export interface ServiceToken {
  accessToken: string;
  /** The granted scopes, when the LMS names them (else the ones asked for). */
  scopes: string[];
  expiresAt: number;
}

/** The registration a token is for: the LMS's issuer and the tool's client id there. */
export interface ServiceRegistration {
  issuer: string;
  clientId: string;
}

/** The token endpoint refused the request; `error` is its OAuth error code when it gave one. */
export class ServiceTokenRefused extends Error {
  constructor(
    readonly status: number | undefined,
    readonly error: string | undefined,
  ) {
    super(`the LMS's token endpoint refused: ${status ?? 'no answer'} ${error ?? ''}`.trim());
    this.name = 'ServiceTokenRefused';
  }
}

export type RequestServiceToken = (
  registration: ServiceRegistration,
  scope: string,
) => Promise<{ access_token: string; expires_in?: number; scope?: string }>;

const MARGIN_MS = 60_000;

export class ServiceTokens {
  private readonly held = new Map<string, ServiceToken>();
  private readonly pending = new Map<string, Promise<ServiceToken>>();

  constructor(
    private readonly request: RequestServiceToken,
    private readonly now: () => number = Date.now,
  ) {}

  /** A token for these scopes for this registration, from memory while it lives. */
  async tokenFor(registration: ServiceRegistration, scopes: readonly string[]): Promise<ServiceToken> {
    const scope = [...new Set(scopes)].sort().join(' ');
    const key = `${registration.issuer}\n${registration.clientId}\n${scope}`;
    const kept = this.held.get(key);
    if (kept && kept.expiresAt - MARGIN_MS > this.now()) return kept;
    const inFlight = this.pending.get(key);
    if (inFlight) return inFlight;
    const asked = this.ask(registration, scope).finally(() => this.pending.delete(key));
    this.pending.set(key, asked);
    const token = await asked;
    this.held.set(key, token);
    return token;
  }

  /** Forgets a token the LMS no longer takes (its next use asks for a new one). */
  forget(registration: ServiceRegistration, scopes: readonly string[]): void {
    const scope = [...new Set(scopes)].sort().join(' ');
    this.held.delete(`${registration.issuer}\n${registration.clientId}\n${scope}`);
  }

  private async ask(registration: ServiceRegistration, scope: string): Promise<ServiceToken> {
    const answer = await this.request(registration, scope);
    const lifetime = Math.max(0, Math.min(answer.expires_in ?? 3600, 24 * 3600));
    return {
      accessToken: answer.access_token,
      scopes: (answer.scope ?? scope).split(/\s+/).filter(Boolean),
      expiresAt: this.now() + lifetime * 1000,
    };
  }
}

/** Reads a failed token request from ltijs' HTTP client (got) as a status and OAuth error code. */
export function tokenRefusalOf(error: unknown): ServiceTokenRefused {
  const response = (error as { response?: { statusCode?: unknown; body?: unknown } } | undefined)?.response;
  const status = typeof response?.statusCode === 'number' ? response.statusCode : undefined;
  let code: string | undefined;
  try {
    const body: unknown = typeof response?.body === 'string' ? JSON.parse(response.body) : response?.body;
    const raw = (body as { error?: unknown } | undefined)?.error;
    code = typeof raw === 'string' ? raw : undefined;
  } catch {
    code = undefined;
  }
  return new ServiceTokenRefused(status, code);
}
