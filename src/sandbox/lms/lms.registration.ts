import crypto from 'node:crypto';
import { LTI_ADVANTAGE_SCOPES, type LmsProfile } from './lms.profiles';
import { TOOL_CONFIGURATION, clientRegistrationSchema, type ClientRegistration } from './lms.schema';
import { signHs256 } from './lms.tokens';
import type { BeginRegistrationOptions, LmsRegistration, ToolEndpoints } from './lms.types';

/**
 * LTI Dynamic Registration 1.0 as Moodle 4.x and Canvas do it. An admin pastes the tool's URL; the
 * LMS opens it with `openid_configuration` and a single-use, expiring `registration_token`; the
 * tool reads the configuration and posts its client registration with the token as Bearer. Rules:
 * - the token is checked before the body (401 before 400), and only a successful registration
 *   spends it (Moodle's `token_already_used` once the token's client id exists);
 * - an invalid body is refused with 400 naming the field, and nothing is stored;
 * - the newest registration is the tool the LMS launches from then on (Moodle: once activated).
 */
export class RegistrationError extends Error {
  constructor(
    readonly status: 401 | 400,
    readonly error: string,
    readonly description: string,
    readonly field?: string,
  ) {
    super(`${error}: ${description}`);
    this.name = 'RegistrationError';
  }
}

export interface RegistrationEnvironment {
  profile: LmsProfile;
  issuer(): string;
  baseUrl(): string;
  authUrl(): string;
  tokenUrl(): string;
  jwksUrl(): string;
  /** Client ids already in use (the configured one and earlier registrations). */
  takenClientIds(): readonly string[];
  signWithPlatformKey(claims: Record<string, unknown>): string;
  /** Called once a registration is stored: the emulator launches this tool from now on. */
  registered(registration: LmsRegistration): void;
}

interface IssuedToken {
  /** Moodle: the client id the token's `sub` reserves; Canvas: assigned at registration. */
  clientId?: string;
  expiresAt: number;
  spent: boolean;
}

const HOUR_MS = 3600_000;

export class RegistrationFlow {
  readonly registrations: LmsRegistration[] = [];
  private readonly tokens = new Map<string, IssuedToken>();
  private readonly hs256Secret = crypto.randomBytes(32);

  constructor(private readonly env: RegistrationEnvironment) {}

  get openidConfigurationUrl(): string {
    return this.env.baseUrl() + this.env.profile.registration.openidConfigurationPath;
  }

  get registrationEndpointUrl(): string {
    return this.env.baseUrl() + this.env.profile.registration.registrationPath;
  }

  /** What the LMS does when an admin pastes the tool's registration URL (returns the URL it opens). */
  begin(toolRegistrationUrl: string, options: BeginRegistrationOptions = {}): string {
    const url = URL.canParse(toolRegistrationUrl) ? new URL(toolRegistrationUrl) : undefined;
    if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:')) {
      throw new Error(
        `LMS emulator: the tool registration URL must be an http(s) URL, got ${toolRegistrationUrl}`,
      );
    }
    const lifetime = options.expiresInMs ?? HOUR_MS;
    if (!Number.isFinite(lifetime) || lifetime <= 0) {
      throw new Error(`LMS emulator: expiresInMs must be a positive number of milliseconds, got ${lifetime}`);
    }
    const { token, clientId } = this.mintToken(lifetime);
    this.tokens.set(token, { clientId, expiresAt: Date.now() + lifetime, spent: false });
    this.sweep();
    url.searchParams.set('openid_configuration', this.openidConfigurationUrl);
    url.searchParams.set('registration_token', token);
    return url.toString();
  }

  private mintToken(lifetimeMs: number): { token: string; clientId?: string } {
    const iat = Math.floor(Date.now() / 1000);
    const exp = Math.ceil((Date.now() + lifetimeMs) / 1000);
    if (this.env.profile.registration.tokenKind === 'platform-rs256') {
      const clientId = this.newClientId();
      const token = this.env.signWithPlatformKey({ sub: clientId, scope: 'reg', iat, exp });
      return { token, clientId };
    }
    const token = signHs256(
      { typ: 'JWT', alg: 'HS256' },
      {
        uuid: crypto.randomUUID(),
        initiated_at: new Date().toISOString(),
        user_id: 1,
        root_account_global_id: 10000000000001,
        exp,
      },
      this.hs256Secret,
    );
    return { token };
  }

  private newClientId(): string {
    const taken = new Set([
      ...this.env.takenClientIds(),
      ...[...this.tokens.values()].flatMap((issued) => (issued.clientId ? [issued.clientId] : [])),
    ]);
    let clientId = this.env.profile.newClientId();
    while (taken.has(clientId)) clientId = this.env.profile.newClientId();
    return clientId;
  }

  /** The bearer token of an `Authorization` header, checked: known, not expired, not spent. */
  private checkToken(authorization: string | undefined): { token: string; issued: IssuedToken } {
    const token = /^Bearer\s+(\S+)\s*$/i.exec(authorization ?? '')?.[1];
    if (!token) {
      throw new RegistrationError(
        401,
        'missing_registration_token',
        'send the registration token as Authorization: Bearer',
      );
    }
    const issued = this.tokens.get(token);
    if (!issued)
      throw new RegistrationError(401, 'invalid_token', 'the registration token is not one this LMS issued');
    if (issued.expiresAt <= Date.now()) {
      throw new RegistrationError(
        401,
        'invalid_token',
        'the registration token has expired: start the registration again',
      );
    }
    if (issued.spent) {
      throw new RegistrationError(
        401,
        'token_already_used',
        'the registration token was already used for a registration',
      );
    }
    return { token, issued };
  }

  /** The platform's OpenID configuration (LTI Dynamic Registration 1.0, section 3.5). */
  openidConfiguration(authorization: string | undefined): Record<string, unknown> {
    const registration = this.env.profile.registration;
    if (registration.configurationNeedsToken) this.checkToken(authorization);
    const canvas = this.env.profile.name === 'canvas';
    return {
      issuer: this.env.issuer(),
      authorization_endpoint: this.env.authUrl(),
      token_endpoint: this.env.tokenUrl(),
      token_endpoint_auth_methods_supported: ['private_key_jwt'],
      token_endpoint_auth_signing_alg_values_supported: ['RS256'],
      jwks_uri: this.env.jwksUrl(),
      registration_endpoint: this.registrationEndpointUrl,
      scopes_supported: ['openid', ...LTI_ADVANTAGE_SCOPES],
      response_types_supported: ['id_token'],
      subject_types_supported: registration.subjectTypesSupported,
      id_token_signing_alg_values_supported: ['RS256'],
      claims_supported: registration.claimsSupported,
      ...(canvas ? { authorization_server: new URL(this.env.issuer()).host } : {}),
      'https://purl.imsglobal.org/spec/lti-platform-configuration': {
        product_family_code: this.env.profile.name,
        version: registration.version,
        messages_supported: registration.messagesSupported,
        variables: registration.variables,
        ...(canvas
          ? {
              'https://canvas.instructure.com/lti/account_name': 'Emulated School',
              'https://canvas.instructure.com/lti/account_lti_guid': crypto
                .createHash('sha1')
                .update(this.env.baseUrl())
                .digest('hex'),
            }
          : {}),
      },
    };
  }

  /** The registration endpoint: checks the token, then the body; stores and answers the registration. */
  register(authorization: string | undefined, body: unknown): Record<string, unknown> {
    const { token, issued } = this.checkToken(authorization);
    const registration = this.parse(body);
    const clientId = issued.clientId ?? this.newClientId();
    const deploymentId = this.env.profile.registration.newRegisteredDeploymentId(
      this.registrations.length + 1,
    );
    const response = this.answer(registration, clientId, deploymentId);
    const toolConfiguration = registration[TOOL_CONFIGURATION];
    const tool: ToolEndpoints = {
      loginUrl: registration.initiate_login_uri,
      launchUrl: registration.redirect_uris[0] as string,
      jwksUrl: registration.jwks_uri,
      redirectUris: [...registration.redirect_uris],
      targetLinkUri: toolConfiguration.target_link_uri,
    };
    const stored: LmsRegistration = {
      clientId,
      deploymentId,
      status: this.env.profile.registration.initialStatus,
      tool,
      body: structuredClone(body as Record<string, unknown>),
      response,
      registeredAt: Date.now(),
    };
    issued.spent = true;
    this.tokens.set(token, issued);
    this.registrations.push(stored);
    this.env.registered(stored);
    return structuredClone(response);
  }

  private parse(body: unknown): ClientRegistration {
    if (!body || typeof body !== 'object' || Array.isArray(body)) {
      throw new RegistrationError(400, 'invalid_client_metadata', 'the body must be a JSON object');
    }
    const parsed = clientRegistrationSchema.safeParse(body);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const field = (issue?.path ?? []).map(String).join('.');
      throw new RegistrationError(
        400,
        'invalid_client_metadata',
        `${field}: ${issue?.message ?? 'invalid'}`,
        field,
      );
    }
    const toolConfiguration = parsed.data[TOOL_CONFIGURATION];
    const target = new URL(toolConfiguration.target_link_uri);
    const domain = toolConfiguration.domain.replace(/^www\./, '');
    if (![target.host, target.hostname].map((host) => host.replace(/^www\./, '')).includes(domain)) {
      // Moodle's 'domain_targetlinkuri_mismatch'.
      const field = `${TOOL_CONFIGURATION}.domain`;
      throw new RegistrationError(
        400,
        'invalid_client_metadata',
        `${field}: must be the host of target_link_uri`,
        field,
      );
    }
    return parsed.data;
  }

  /**
   * The registration as the platform answers it: what it stored, plus the client id, and for Moodle
   * the deployment id (the tool type's id). Canvas names no deployment in its answer: it makes one
   * when the key is installed, and launches carry it.
   */
  private answer(
    registration: ClientRegistration,
    clientId: string,
    deploymentId: string,
  ): Record<string, unknown> {
    const requested = (registration.scope ?? '').split(' ').filter(Boolean);
    const granted = requested.filter((scope) => LTI_ADVANTAGE_SCOPES.includes(scope));
    const toolConfiguration = registration[TOOL_CONFIGURATION];
    const answer: Record<string, unknown> = {
      ...structuredClone(registration),
      client_id: clientId,
      scope: granted.join(' '),
      [TOOL_CONFIGURATION]: {
        ...structuredClone(toolConfiguration),
        ...(this.env.profile.name === 'moodle' ? { deployment_id: deploymentId } : {}),
      },
    };
    if (this.env.profile.name === 'moodle') {
      // config_to_registration: Moodle answers from its stored tool type, with its own constants.
      answer.grant_types = ['client_credentials', 'implicit'];
      answer.response_types = ['id_token'];
      answer.logo_uri = registration.logo_uri ?? '';
      (answer[TOOL_CONFIGURATION] as Record<string, unknown>).version = '1.3.0';
    } else {
      (answer[TOOL_CONFIGURATION] as Record<string, unknown>)[
        'https://canvas.instructure.com/lti/registration_config_url'
      ] = `${this.env.baseUrl()}/api/lti/registrations/${this.registrations.length + 1}/view`;
    }
    return answer;
  }

  activate(clientId: string): LmsRegistration {
    const registration = this.registrations.find((candidate) => candidate.clientId === clientId);
    if (!registration) throw new Error(`LMS emulator: no registration has client id ${clientId}`);
    registration.status = 'active';
    return registration;
  }

  private sweep(): void {
    const now = Date.now();
    for (const [token, issued] of this.tokens)
      if (issued.expiresAt < now - HOUR_MS) this.tokens.delete(token);
  }
}
