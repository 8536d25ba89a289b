import type { KeyObject } from 'node:crypto';
import type { Logger } from 'pino';
import { randomToken } from '../shared/crypto';
import { errors, forSchool, isAppError } from '../shared/errors';
import type { ClientStore, Db } from '../storage';
import type { RegistrationForLaunch } from '../tenants';
import {
  LTI_CLAIM,
  idTokenClaims,
  idTokenHeader,
  launchBody,
  loginParams,
  type IdTokenClaims,
  type LoginParams,
} from './lti.schema';
import type { PlatformKeys } from './lti.platform-keys';
import { planLogin, type LoginBrowser, type LoginPlan } from './lti.client-state';
import { consumeLoginState, insertLoginState } from './lti.states.repo';

/** What the checks need from the tenants capability. */
export interface RegistrationLookup {
  findForLaunch(issuer: string, clientId: string | undefined): Promise<RegistrationForLaunch | undefined>;
  findForLaunchById(id: string): Promise<RegistrationForLaunch | undefined>;
  recordDeployment(registrationId: string, deploymentId: string): Promise<boolean>;
}

export interface LoginRedirect {
  redirectUrl: string;
  state: string;
  nonce: string;
  issuer: string;
  stateTtlSeconds: number;
  /** How the state comes back with the launch (see lti.client-state.ts). */
  plan: LoginPlan;
  /** The login's own parameters, checked. */
  params: LoginParams;
}

export interface CheckedLaunch {
  registration: RegistrationForLaunch;
  deploymentId: string;
  /** The deployment was not known: the registration accepts new ones; record it once ltijs has verified the token. */
  deploymentIsNew: boolean;
  /** The LMS's key named by the token's `kid` (ltijs verifies the signature with it). */
  signingKey: KeyObject;
  /** When the login began (ms): the person's click, which a launch's waiting is measured from. */
  loginAt: number;
  /** Where the browser also kept the state, when the login expected a cookie might not come back. */
  clientStore: ClientStore | undefined;
  /** The login's state and nonce (the browser's copy is compared with them). */
  state: string;
  nonce: string;
}

export interface LaunchChecksOptions {
  db: Db;
  registrations: RegistrationLookup;
  /** The LMSs' signing keys (fetched once, refetched for an unknown kid). */
  platformKeys: PlatformKeys;
  /** The one launch URL of this tool: `${PUBLIC_URL}/lti/launch`. */
  launchUrl: string;
  stateTtlSeconds: number;
  logger: Logger;
  now?: () => number;
}

function sameEndpoint(candidate: string, expected: string): boolean {
  try {
    const a = new URL(candidate);
    const b = new URL(expected);
    return a.origin === b.origin && a.pathname.replace(/\/+$/, '') === b.pathname.replace(/\/+$/, '');
  } catch {
    return false;
  }
}

function decodeSegment(segment: string | undefined): unknown {
  if (!segment) return undefined;
  try {
    return JSON.parse(Buffer.from(segment, 'base64url').toString('utf8'));
  } catch {
    return undefined;
  }
}

/**
 * The security checks ltijs skips (LTI-NOTES): the nonce this tool sent, single-use state bound to
 * a registration, known deployments, our own target link, a resource link id. They run on the
 * *unverified* token before ltijs verifies the signature, so they only ever refuse: nothing is
 * recorded until ltijs has accepted the token (see `recordVerifiedDeployment`).
 */
export class LaunchChecks {
  private readonly now: () => number;

  constructor(private readonly options: LaunchChecksOptions) {
    this.now = options.now ?? Date.now;
  }

  async beginLogin(
    raw: Record<string, unknown>,
    browser: LoginBrowser = { destination: undefined, cookiesKept: false },
  ): Promise<LoginRedirect> {
    const parsed = loginParams.safeParse(raw);
    if (!parsed.success) {
      throw errors.loginInvalid(
        `The LMS's login request is incomplete: ${parsed.error.issues.map((i) => i.message).join(', ')}.`,
      );
    }
    const params = parsed.data;
    const registration = await this.options.registrations.findForLaunch(params.iss, params.client_id);
    if (!registration) {
      throw errors.unknownClient(
        `No registration matches issuer ${params.iss}${params.client_id ? ` and client id ${params.client_id}` : ''}.`,
      );
    }
    if (!sameEndpoint(params.target_link_uri, this.options.launchUrl)) {
      throw forSchool(
        errors.targetLinkNotOurs(
          `The LMS asked to launch ${params.target_link_uri}, but this tool launches only at ${this.options.launchUrl}.`,
        ),
        registration.schoolId,
      );
    }
    const state = randomToken(32);
    const nonce = randomToken(32);
    const now = this.now();
    const plan = planLogin(params, registration.loginUrl, browser);
    // Expired states are never accepted (checkLaunch) and the periodic purge deletes them.
    await insertLoginState(this.options.db, {
      state,
      nonce,
      registrationId: registration.id,
      targetLinkUri: this.options.launchUrl,
      expiresAt: new Date(now + this.options.stateTtlSeconds * 1000),
      clientStore: plan.kind === 'client' ? plan.store : null,
    });
    const redirect = new URL(registration.loginUrl);
    const query: Record<string, string | undefined> = {
      scope: 'openid',
      response_type: 'id_token',
      response_mode: 'form_post',
      id_token_signed_response_alg: 'RS256',
      prompt: 'none',
      client_id: registration.clientId,
      redirect_uri: this.options.launchUrl,
      login_hint: params.login_hint,
      lti_message_hint: params.lti_message_hint,
      lti_deployment_id: params.lti_deployment_id,
      nonce,
      state,
    };
    for (const [name, value] of Object.entries(query)) {
      if (value !== undefined) redirect.searchParams.set(name, value);
    }
    return {
      redirectUrl: redirect.toString(),
      state,
      nonce,
      issuer: registration.issuer,
      stateTtlSeconds: this.options.stateTtlSeconds,
      plan,
      params,
    };
  }

  async checkLaunch(raw: Record<string, unknown>): Promise<CheckedLaunch> {
    const body = launchBody.safeParse(raw);
    if (!body.success) {
      const missingState = body.error.issues.some((issue) => issue.path[0] === 'state');
      throw missingState
        ? errors.stateInvalid('The launch carries no state, so it cannot be matched to a login.')
        : errors.launchInvalid('The launch carries no id token.');
    }
    const [headerPart, payloadPart] = body.data.id_token.split('.');
    const header = idTokenHeader.safeParse(decodeSegment(headerPart));
    const claims = idTokenClaims.safeParse(decodeSegment(payloadPart));
    if (!header.success || !claims.success)
      throw errors.launchInvalid('The id token is not a well-formed JWT.');
    if (header.data.alg !== 'RS256') {
      throw errors.launchInvalid(`The id token is signed with ${header.data.alg}; only RS256 is accepted.`);
    }

    const loginState = await consumeLoginState(this.options.db, body.data.state);
    if (!loginState || loginState.expiresAt.getTime() < this.now()) {
      throw errors.stateInvalid('The launch’s state is unknown, already used or expired.');
    }
    const registration = await this.options.registrations.findForLaunchById(loginState.registrationId);
    if (!registration) throw errors.stateInvalid('The registration this login began with no longer exists.');
    try {
      const checked = this.checkClaims(claims.data, registration, loginState.nonce, loginState.targetLinkUri);
      const signingKey = await this.options.platformKeys.keyFor(registration.jwksUrl, header.data);
      const loginAt = loginState.expiresAt.getTime() - this.options.stateTtlSeconds * 1000;
      return {
        ...checked,
        signingKey,
        loginAt,
        clientStore: loginState.clientStore ?? undefined,
        state: loginState.state,
        nonce: loginState.nonce,
      };
    } catch (error) {
      throw refusedFor(registration, error);
    }
  }

  private checkClaims(
    claims: IdTokenClaims,
    registration: RegistrationForLaunch,
    expectedNonce: string,
    targetLinkUri: string,
  ): Pick<CheckedLaunch, 'registration' | 'deploymentId' | 'deploymentIsNew'> {
    if (claims.iss !== registration.issuer) {
      throw errors.launchInvalid(
        `The id token's issuer (iss) is ${claims.iss ?? 'missing'}, not ${registration.issuer}.`,
      );
    }
    const audiences = Array.isArray(claims.aud) ? claims.aud : claims.aud ? [claims.aud] : [];
    if (!audiences.includes(registration.clientId)) {
      throw errors.launchInvalid(
        'The id token is not addressed to this tool (aud does not contain our client id).',
      );
    }
    if (audiences.length > 1 && claims.azp !== registration.clientId) {
      throw errors.launchInvalid(
        'The id token has several audiences and its authorized party (azp) is not this tool.',
      );
    }
    if (claims.nonce !== expectedNonce) throw errors.nonceMismatch();
    const target = claims[`${LTI_CLAIM}target_link_uri`];
    if (typeof target !== 'string' || !sameEndpoint(target, targetLinkUri)) {
      throw errors.targetLinkNotOurs(
        `The id token's target_link_uri (${String(target ?? 'missing')}) is not this tool's launch URL.`,
      );
    }
    const messageType = claims[`${LTI_CLAIM}message_type`];
    const resourceLink = claims[`${LTI_CLAIM}resource_link`];
    if (
      messageType === 'LtiResourceLinkRequest' &&
      (!resourceLink || typeof resourceLink.id !== 'string' || resourceLink.id === '')
    ) {
      throw errors.resourceLinkMissing();
    }
    const deploymentId = claims[`${LTI_CLAIM}deployment_id`];
    if (typeof deploymentId !== 'string' || deploymentId === '') {
      throw errors.launchInvalid('The id token names no deployment (deployment_id is missing).');
    }
    const known = registration.deployments.includes(deploymentId);
    if (!known && !registration.acceptNewDeployments) {
      throw errors.unknownDeployment(
        `Deployment ${deploymentId} is not registered for ${registration.issuer}.`,
      );
    }
    return { registration, deploymentId, deploymentIsNew: !known };
  }

  /**
   * Called only after ltijs verified the token: the launch ltijs verified must be the one our checks
   * passed (same registration, same deployment), and only then is a new deployment recorded.
   */
  async recordVerifiedDeployment(
    checked: CheckedLaunch,
    verified: { issuer: string; clientId: string; deploymentId: string },
  ): Promise<void> {
    const { registration } = checked;
    if (
      verified.issuer !== registration.issuer ||
      verified.clientId !== registration.clientId ||
      verified.deploymentId !== checked.deploymentId
    ) {
      throw refusedFor(
        registration,
        errors.launchInvalid('The verified id token is not the one the launch checks examined.'),
      );
    }
    if (!checked.deploymentIsNew) return;
    const added = await this.options.registrations.recordDeployment(registration.id, checked.deploymentId);
    if (added) {
      this.options.logger.warn(
        { registrationId: registration.id, deploymentId: checked.deploymentId, issuer: registration.issuer },
        'accepted a launch from a new deployment and recorded it',
      );
    }
  }
}

/**
 * A refusal of a launch whose registration is known (a claim that does not match it, a deployment it
 * does not know, its LMS's keys): on that school's error list in the operator console. Refusals
 * before a registration is known (a malformed request, an unknown state) concern no school.
 */
function refusedFor(registration: RegistrationForLaunch, error: unknown): unknown {
  return isAppError(error) ? forSchool(error, registration.schoolId) : error;
}
