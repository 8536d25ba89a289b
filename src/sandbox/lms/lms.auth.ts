import crypto from 'node:crypto';
import { authRequestSchema, type AuthRequest } from './lms.schema';
import { decodeJwt, signHs256 } from './lms.tokens';
import type { LmsProfile } from './lms.profiles';
import {
  LmsAuthError,
  type AuthorizeResult,
  type LaunchOptions,
  type LmsUser,
  type ResolvedLaunch,
  type Tamper,
  type ToolEndpoints,
} from './lms.types';

/**
 * Third-party-initiated login and the OIDC authentication endpoint. The login initiation stores
 * the launch server-side behind its `lti_message_hint` (Moodle: a JSON `{cmid, launchid}`; Canvas:
 * an HS256 JWT carrying a `verifier`), and the auth endpoint resolves it exactly once, as both
 * LMSs do (Moodle unsets the session entry, Canvas fetch-and-deletes its cached launch).
 */
export interface LoginEnvironment {
  profile: LmsProfile;
  issuer(): string;
  clientId(): string;
  tool(): ToolEndpoints | undefined;
  /** Why the LMS offers no launch of its tool right now (Moodle: a pending registration), if so. */
  launchBlocked(): string | undefined;
  findUser(userId: string): LmsUser | undefined;
  resolveLaunch(options: LaunchOptions): ResolvedLaunch;
  claimsFor(userId: string, launch: ResolvedLaunch, nonce: string): Record<string, unknown>;
  sign(claims: Record<string, unknown>, tamper?: Pick<Tamper, 'header' | 'sign'>): Promise<string>;
}

interface PendingLaunch {
  userId: string;
  launch: ResolvedLaunch;
  expiresAt: number;
}

function toRecord(request: string | URLSearchParams | Record<string, unknown>): Record<string, unknown> {
  if (typeof request !== 'string' && !(request instanceof URLSearchParams)) return { ...request };
  const params =
    request instanceof URLSearchParams
      ? request
      : /^https?:\/\//i.test(request)
        ? new URL(request).searchParams
        : new URLSearchParams(request.replace(/^\?/, ''));
  const record: Record<string, unknown> = {};
  for (const key of new Set(params.keys())) {
    const values = params.getAll(key);
    record[key] = values.length === 1 ? values[0] : values;
  }
  return record;
}

const invalid = (description: string) => new LmsAuthError('invalid_request', description);

export class LoginFlow {
  private readonly pending = new Map<string, PendingLaunch>();
  private readonly hintSecret = crypto.randomBytes(32);

  constructor(private readonly env: LoginEnvironment) {}

  initiation(userId: string, options: LaunchOptions = {}): Record<string, string> {
    const tool = this.env.tool();
    if (!tool) throw new Error('LMS emulator: no tool registered yet (call setTool first)');
    const blocked = this.env.launchBlocked();
    if (blocked) throw new Error(`LMS emulator: ${blocked}`);
    if (!this.env.findUser(userId)) throw new Error(`LMS emulator: unknown user ${userId}`);
    const launch = this.env.resolveLaunch(options);
    const key = crypto.randomBytes(16).toString('hex');
    const lifetime = this.env.profile.messageHintLifetimeSeconds;
    this.pending.set(key, { userId, launch, expiresAt: Date.now() + lifetime * 1000 });
    this.sweep();

    const common = {
      iss: this.env.issuer(),
      target_link_uri: launch.targetLinkUri,
      login_hint: userId,
      client_id: this.env.clientId(),
      lti_deployment_id: launch.deploymentId,
    };
    if (this.env.profile.name === 'moodle') {
      const cmid = /^\d+$/.test(launch.resourceLinkId) ? Number(launch.resourceLinkId) : 1;
      return { ...common, lti_message_hint: JSON.stringify({ cmid, launchid: `ltilaunch${cmid}_${key}` }) };
    }
    const hint = signHs256(
      { typ: 'JWT', alg: 'HS256' },
      {
        verifier: key,
        canvas_domain: new URL(this.env.issuer()).host,
        context_type: 'Course',
        context_id: launch.courseId,
        canvas_locale: launch.locale,
        include_storage_target: true,
        exp: Math.floor(Date.now() / 1000) + lifetime,
      },
      this.hintSecret,
    );
    return {
      ...common,
      lti_message_hint: hint,
      canvas_region: 'us-east-1',
      canvas_environment: 'prod',
      lti_storage_target: '_parent',
    };
  }

  async authorize(
    request: string | URLSearchParams | Record<string, unknown>,
    tamper: Tamper = {},
  ): Promise<AuthorizeResult> {
    const parsed = authRequestSchema.safeParse(toRecord(request));
    if (!parsed.success) throw invalid('every parameter must be given once, as a string');
    const params = parsed.data;
    this.checkClientAndRedirect(params);
    if (params.response_type !== 'id_token') {
      throw new LmsAuthError('unsupported_response_type', 'response_type must be id_token');
    }
    if (!params.scope?.split(' ').includes('openid'))
      throw new LmsAuthError('invalid_scope', 'scope must be openid');
    if (params.response_mode !== 'form_post') throw invalid('response_mode must be form_post');
    if (params.prompt !== undefined && params.prompt !== 'none') throw invalid('prompt must be none');
    if (!params.nonce) throw invalid('nonce is missing');
    if (!params.state) throw invalid('state is missing');
    if (!params.login_hint || !this.env.findUser(params.login_hint)) {
      throw new LmsAuthError('login_required', 'login_hint does not name a user of this LMS');
    }
    const { key, pending } = this.resolveHint(params.lti_message_hint, params.login_hint);

    let claims = this.env.claimsFor(pending.userId, pending.launch, params.nonce);
    claims = tamper.claims?.(claims) ?? claims;
    const idToken = await this.env.sign(claims, tamper);
    this.pending.delete(key);
    return { action: params.redirect_uri as string, fields: { id_token: idToken, state: params.state } };
  }

  private checkClientAndRedirect(params: AuthRequest): void {
    if (!params.client_id) throw invalid('client_id is missing');
    if (params.client_id !== this.env.clientId()) {
      throw new LmsAuthError('unauthorized_client', `client_id ${params.client_id} is not registered`);
    }
    const tool = this.env.tool();
    if (!tool) throw invalid('no tool is registered with this LMS');
    const blocked = this.env.launchBlocked();
    if (blocked) throw new LmsAuthError('unauthorized_client', blocked);
    const redirectUris = tool.redirectUris ?? [tool.launchUrl];
    if (!params.redirect_uri || !redirectUris.includes(params.redirect_uri)) {
      throw invalid(`redirect_uri ${params.redirect_uri ?? '(missing)'} is not registered for this tool`);
    }
  }

  private resolveHint(hint: string | undefined, loginHint: string): { key: string; pending: PendingLaunch } {
    if (!hint) throw invalid('lti_message_hint is missing');
    const key = this.env.profile.name === 'moodle' ? this.moodleKey(hint) : this.canvasKey(hint);
    const pending = key ? this.pending.get(key) : undefined;
    if (!key || !pending || pending.expiresAt < Date.now()) {
      throw invalid('lti_message_hint is unknown, already used or expired');
    }
    if (pending.userId !== loginHint) throw invalid('login_hint does not match the user of lti_message_hint');
    return { key, pending };
  }

  private moodleKey(hint: string): string | undefined {
    try {
      const value: unknown = JSON.parse(hint);
      const launchId = (value as { launchid?: unknown } | null)?.launchid;
      return typeof launchId === 'string' ? /^ltilaunch\d+_([0-9a-f]{32})$/.exec(launchId)?.[1] : undefined;
    } catch {
      return undefined;
    }
  }

  private canvasKey(hint: string): string | undefined {
    try {
      const decoded = decodeJwt(hint);
      const expected = crypto.createHmac('sha256', this.hintSecret).update(decoded.signingInput).digest();
      const matches =
        expected.length === decoded.signature.length && crypto.timingSafeEqual(expected, decoded.signature);
      if (!matches || decoded.header.alg !== 'HS256') return undefined;
      const { verifier, exp } = decoded.payload;
      if (typeof exp !== 'number' || exp * 1000 < Date.now()) return undefined;
      return typeof verifier === 'string' ? verifier : undefined;
    } catch {
      return undefined;
    }
  }

  private sweep(): void {
    const now = Date.now();
    for (const [key, pending] of this.pending) if (pending.expiresAt < now) this.pending.delete(key);
  }
}
