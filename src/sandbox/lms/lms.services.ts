import crypto from 'node:crypto';
import { deriveIdentity, type ClaimSource } from './lms.claims';
import { LTI_ADVANTAGE_SCOPES, SCOPES, membershipRoles, type LmsProfile } from './lms.profiles';
import {
  clientAssertionClaimsSchema,
  deepLinkingResponseSchema,
  nrpsQuerySchema,
  tokenRequestSchema,
} from './lms.schema';
import { JwtError, decodeJwt, verifyWithRemoteJwks, type KeyStore } from './lms.tokens';
import type { DeepLinkingRequest, DeepLinkingReturn, LmsCourse, LmsUser, ToolEndpoints } from './lms.types';

/**
 * LTI Advantage services: the client-credentials token endpoint (with a JWT client assertion
 * verified against the tool's JWKS), Names and Roles, and the deep-linking return.
 */
export class OAuthError extends Error {
  constructor(
    readonly error: 'invalid_request' | 'invalid_client' | 'invalid_grant' | 'invalid_scope',
    readonly description: string,
    readonly status = error === 'invalid_client' ? 401 : 400,
  ) {
    super(`${error}: ${description}`);
    this.name = 'OAuthError';
  }
}

/** A refused service request: status and a one-line reason. */
export class ServiceError extends Error {
  constructor(
    readonly status: number,
    readonly error: string,
    readonly description: string,
  ) {
    super(description);
    this.name = 'ServiceError';
  }
}

export interface ServiceEnvironment {
  profile: LmsProfile;
  clientId(): string;
  baseUrl(): string;
  tokenUrl(): string;
  tool(): ToolEndpoints | undefined;
  keys: KeyStore;
  findCourse(courseId: string): LmsCourse | undefined;
  roster(courseId: string): LmsUser[];
  knownDeployments(): ReadonlySet<string>;
  claimSource(): ClaimSource;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'Bearer';
  expires_in: number;
  scope: string;
}

export interface MembershipPage {
  body: {
    id: string;
    context: { id: string; label: string; title: string };
    members: Record<string, unknown>[];
  };
  next?: string;
}

const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const ACCESS_TOKEN_SECONDS = 3600;

export class LtiServices {
  private readonly accessTokens = new Map<string, { scopes: string[]; expiresAt: number }>();
  private readonly usedJtis = new Map<string, number>();
  private readonly deepLinkData = new Map<string, DeepLinkingRequest>();

  constructor(private readonly env: ServiceEnvironment) {}

  async issueToken(body: unknown): Promise<TokenResponse> {
    const parsed = tokenRequestSchema.safeParse(body ?? {});
    if (!parsed.success)
      throw new OAuthError('invalid_request', 'every parameter must be given once, as a string');
    const request = parsed.data;
    if (request.grant_type !== 'client_credentials') {
      throw new OAuthError('invalid_request', 'grant_type must be client_credentials');
    }
    if (request.client_assertion_type !== JWT_BEARER) {
      throw new OAuthError('invalid_request', `client_assertion_type must be ${JWT_BEARER}`);
    }
    if (!request.client_assertion) throw new OAuthError('invalid_request', 'client_assertion is missing');
    if (!request.scope) throw new OAuthError('invalid_request', 'scope is missing');

    const claims = await this.verifyAssertion(request.client_assertion);
    const scopes = this.grantScopes(request.scope.split(' ').filter(Boolean));
    this.usedJtis.set(claims.jti, claims.exp * 1000);

    const expiresAt = Date.now() + ACCESS_TOKEN_SECONDS * 1000;
    const accessToken =
      this.env.profile.name === 'moodle'
        ? crypto.randomBytes(16).toString('hex')
        : await this.env.keys.sign({
            iss: this.env.baseUrl(),
            sub: this.env.clientId(),
            aud: this.env.tokenUrl(),
            iat: Math.floor(Date.now() / 1000),
            exp: Math.floor(expiresAt / 1000),
            jti: crypto.randomUUID(),
            scopes: scopes.join(' '),
          });
    this.accessTokens.set(accessToken, { scopes, expiresAt });
    this.sweep();
    return {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: ACCESS_TOKEN_SECONDS,
      scope: scopes.join(' '),
    };
  }

  private async verifyAssertion(assertion: string) {
    let unverified: Record<string, unknown>;
    try {
      unverified = decodeJwt(assertion).payload;
    } catch (error) {
      throw new OAuthError(
        'invalid_client',
        error instanceof JwtError ? error.reason : 'client_assertion is malformed',
      );
    }
    if (unverified.iss !== this.env.clientId() || unverified.sub !== this.env.clientId()) {
      throw new OAuthError('invalid_client', 'client_assertion iss and sub must both be the client id');
    }
    const tool = this.env.tool();
    if (!tool) throw new OAuthError('invalid_client', 'no tool is registered with this LMS');
    try {
      await verifyWithRemoteJwks(assertion, tool.jwksUrl);
    } catch (error) {
      throw new OAuthError(
        'invalid_client',
        error instanceof JwtError ? error.reason : 'client_assertion not verified',
      );
    }
    const parsed = clientAssertionClaimsSchema.safeParse(unverified);
    if (!parsed.success) throw new OAuthError('invalid_grant', 'client_assertion lacks aud, exp or jti');
    const claims = parsed.data;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    if (!audiences.includes(this.env.tokenUrl())) {
      throw new OAuthError('invalid_grant', `client_assertion aud must be ${this.env.tokenUrl()}`);
    }
    const now = Date.now() / 1000;
    if (claims.exp <= now) throw new OAuthError('invalid_grant', 'client_assertion has expired');
    if (claims.iat !== undefined && claims.iat > now + 60) {
      throw new OAuthError('invalid_grant', 'client_assertion iat is in the future');
    }
    if (this.usedJtis.has(claims.jti))
      throw new OAuthError('invalid_grant', 'client_assertion jti was already used');
    return claims;
  }

  private grantScopes(requested: string[]): string[] {
    const allowed = requested.filter((scope) => LTI_ADVANTAGE_SCOPES.includes(scope));
    const refused = requested.filter((scope) => !LTI_ADVANTAGE_SCOPES.includes(scope));
    if (allowed.length === 0 || (this.env.profile.scopePolicy === 'strict' && refused.length > 0)) {
      throw new OAuthError('invalid_scope', `scope not granted: ${refused.join(' ') || '(none requested)'}`);
    }
    return [...new Set(allowed)];
  }

  /** Checks `Authorization: Bearer …` for a live token holding `scope`. */
  requireScope(authorization: string | undefined, scope: string): void {
    this.requireAnyScope(authorization, [scope]);
  }

  /** Checks `Authorization: Bearer …` for a live token holding one of `scopes`. */
  requireAnyScope(authorization: string | undefined, scopes: readonly string[]): void {
    const token = /^Bearer\s+(\S+)$/i.exec(authorization ?? '')?.[1];
    const grant = token ? this.accessTokens.get(token) : undefined;
    if (!grant || grant.expiresAt < Date.now()) {
      throw new ServiceError(
        401,
        'invalid_token',
        'a valid access token from the token endpoint is required',
      );
    }
    if (!scopes.some((scope) => grant.scopes.includes(scope))) {
      throw new ServiceError(
        403,
        'insufficient_scope',
        `the access token does not hold ${scopes.join(' or ')}`,
      );
    }
  }

  memberships(courseId: string, deploymentId: string | undefined, query: unknown): MembershipPage {
    const course = this.env.findCourse(courseId);
    if (!course) throw new ServiceError(404, 'not_found', `no course ${courseId}`);
    if (deploymentId !== undefined && !this.env.knownDeployments().has(deploymentId)) {
      throw new ServiceError(404, 'not_found', `no deployment ${deploymentId} in course ${courseId}`);
    }
    const parsed = nrpsQuerySchema.safeParse(query);
    if (!parsed.success)
      throw new ServiceError(400, 'invalid_request', 'limit, from and page must be numbers');
    const { limit, from, page, role } = parsed.data;

    const source = this.env.claimSource();
    const members = this.env
      .roster(courseId)
      .map((user) => ({ user, roles: membershipRoles(user.roles) }))
      .filter(
        ({ roles }) => !role || roles.some((granted) => granted === role || granted.endsWith(`#${role}`)),
      )
      .map(({ user, roles }) => {
        const identity = deriveIdentity(this.env.profile, source.issuer, user);
        const member: Record<string, unknown> = {
          status: 'Active',
          name: user.name,
          given_name: user.givenName,
          family_name: user.familyName,
          ...(source.shareEmail && user.email ? { email: user.email } : {}),
          user_id: identity.sub,
          ...(this.env.profile.name === 'canvas' ? { lti11_legacy_user_id: identity.legacyUserId } : {}),
          roles,
        };
        return member;
      });

    const path = this.env.profile.paths.nrps(course.id, deploymentId ?? '');
    const url = (params: Record<string, string | number | undefined>) => {
      const search = new URLSearchParams();
      for (const [key, value] of Object.entries(params))
        if (value !== undefined) search.set(key, String(value));
      const text = search.toString();
      return `${this.env.baseUrl()}${path}${text ? `?${text}` : ''}`;
    };
    const paging = this.env.profile.nrpsPaging;
    const offset = paging === 'from' ? (from ?? 0) : ((page ?? 1) - 1) * (limit ?? members.length);
    const slice = limit ? members.slice(offset, offset + limit) : members.slice(offset);
    const hasMore = limit !== undefined && offset + limit < members.length;
    const next = !hasMore
      ? undefined
      : paging === 'from'
        ? url({ role, limit, from: offset + limit })
        : url({ role, limit, page: (page ?? 1) + 1 });
    return {
      body: {
        id: url({ role, limit, from, page }),
        context: { id: course.contextId, label: course.label, title: course.title },
        members: slice,
      },
      next,
    };
  }

  /** The opaque `data` of a picker's launch, remembering who opened it and in which course. */
  issueDeepLinkData(request: DeepLinkingRequest): string {
    const data = crypto.randomBytes(16).toString('hex');
    this.deepLinkData.set(data, request);
    return data;
  }

  /** Verifies an LtiDeepLinkingResponse JWT posted back by the tool. */
  async acceptDeepLinkingResponse(
    jwt: unknown,
    issuer: string,
  ): Promise<Omit<DeepLinkingReturn, 'activities'>> {
    if (typeof jwt !== 'string' || !jwt)
      throw new ServiceError(400, 'invalid_request', 'the JWT form field is missing');
    const tool = this.env.tool();
    if (!tool) throw new ServiceError(400, 'invalid_request', 'no tool is registered with this LMS');
    let payload: Record<string, unknown>;
    try {
      payload = (await verifyWithRemoteJwks(jwt, tool.jwksUrl)).payload;
    } catch (error) {
      throw new ServiceError(
        400,
        'invalid_jwt',
        error instanceof JwtError ? error.reason : 'the JWT did not verify',
      );
    }
    const parsed = deepLinkingResponseSchema.safeParse(payload);
    if (!parsed.success) {
      const fields = parsed.error.issues.map((issue) => issue.path.join('.')).join(', ');
      throw new ServiceError(
        400,
        'invalid_jwt',
        `the deep-linking response is missing or has wrong: ${fields}`,
      );
    }
    const claims = parsed.data;
    const audiences = Array.isArray(claims.aud) ? claims.aud : [claims.aud];
    const deploymentId = claims['https://purl.imsglobal.org/spec/lti/claim/deployment_id'];
    const data = claims['https://purl.imsglobal.org/spec/lti-dl/claim/data'];
    if (claims.iss !== this.env.clientId())
      throw new ServiceError(400, 'invalid_jwt', 'iss must be the client id');
    if (!audiences.includes(issuer)) throw new ServiceError(400, 'invalid_jwt', `aud must be ${issuer}`);
    if (claims.exp <= Date.now() / 1000) throw new ServiceError(400, 'invalid_jwt', 'the JWT has expired');
    if (!this.env.knownDeployments().has(deploymentId)) {
      throw new ServiceError(400, 'invalid_jwt', `deployment_id ${deploymentId} is unknown`);
    }
    const request = data ? this.deepLinkData.get(data) : undefined;
    if (!data || !request) {
      throw new ServiceError(400, 'invalid_jwt', 'data must echo the deep_linking_settings data (once)');
    }
    this.deepLinkData.delete(data);
    return {
      request,
      at: Date.now(),
      claims: payload,
      contentItems: claims['https://purl.imsglobal.org/spec/lti-dl/claim/content_items'] ?? [],
    };
  }

  private sweep(): void {
    const now = Date.now();
    for (const [token, grant] of this.accessTokens)
      if (grant.expiresAt < now) this.accessTokens.delete(token);
    for (const [jti, expiresAt] of this.usedJtis) if (expiresAt < now) this.usedJtis.delete(jti);
  }
}

export const NRPS_SCOPE = SCOPES.nrps;
