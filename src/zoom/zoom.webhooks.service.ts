import crypto from 'node:crypto';
import type { Logger } from 'pino';
import { timingSafeEqualText } from '../shared/crypto';
import { AppError } from '../shared/errors';
import {
  APP_DEAUTHORIZED_EVENT,
  appDeauthorizedPayload,
  URL_VALIDATION_EVENT,
  urlValidationPayload,
  zoomSignatureHeader,
  zoomTimestampHeader,
  zoomWebhookEnvelope,
  type AppDeauthorizedPayload,
  type UrlValidationAnswer,
  type ZoomWebhookEvent,
} from './zoom.webhooks.schema';
import type { Tx } from '../storage';

/** Which of our endpoints a delivery came to. */
export type WebhookSource = { kind: 'marketplace' } | { kind: 'school'; connectionId: string };

/** A delivery, as it is claimed: its key (the body's hash), its event and the account it speaks for. */
export interface DeliveryClaim {
  key: string;
  event: string;
  zoomAccountId: string | undefined;
}

/** What the endpoints need from the rest of the zoom capability (implemented over the database). */
export interface WebhookTargets {
  /** Secret token of our Marketplace app (config ZOOM_WEBHOOK_SECRET_TOKEN), or undefined when not configured. */
  marketplaceSecret(): string | undefined;
  /** A school's own S2S app endpoint, by the random id in its URL: its secret token and connection id, or undefined. */
  schoolEndpoint(
    webhookId: string,
  ): Promise<{ connectionId: string; zoomAccountId: string; secret: string } | undefined>;
  /**
   * Claims the delivery and runs `handle` in the same transaction: each delivery's effects happen
   * once, however many copies arrive together. False (and `handle` not run) when the delivery was
   * already claimed; a failing `handle` rolls the claim back, so Zoom's retry handles it again.
   */
  handleOnce(delivery: DeliveryClaim, handle: (tx: Tx) => Promise<void>): Promise<boolean>;
  /** `app_deauthorized`: forget the tokens and Zoom data of that app's connection to the account. */
  deauthorize(tx: Tx, payload: AppDeauthorizedPayload, source: WebhookSource): Promise<void>;
  /** Any other verified event: hand it to the subscribers (meetings, recordings), inside the claim. */
  dispatch(tx: Tx, event: ZoomWebhookEvent, source: WebhookSource): Promise<void>;
}

export interface ZoomWebhookOptions {
  logger: Logger;
  /** Epoch milliseconds; default `Date.now`. */
  now?: () => number;
  /** How far `x-zm-request-timestamp` may be from now, either way. Default 300 s. */
  toleranceSeconds?: number;
  /** Told of every delivery's outcome (`refused:<id>` for refusals), for metrics: never its body. */
  onDelivery?: (delivery: { event: string | undefined; outcome: string }) => void;
}

/** An endpoint resolved to the secret that signs its deliveries. */
export interface WebhookEndpoint {
  source: WebhookSource;
  secret: string;
  /** A school endpoint speaks for this account only. */
  zoomAccountId?: string;
}

/** A delivery as it arrived: the two Zoom headers and the raw body bytes. */
export interface WebhookDelivery {
  timestamp: string | undefined;
  signature: string | undefined;
  /** Undefined when the body was not `application/json`. */
  raw: Buffer | undefined;
}

export type WebhookAnswer = UrlValidationAnswer | { received: true; duplicate?: true };

/** A refused delivery: the status Zoom gets and a stable id (the body is `{error: id}`). */
export class WebhookRefusal extends AppError {}

function refusal(id: string, status: number, title: string, detail: string, nextStep: string) {
  return (cause?: unknown) => new WebhookRefusal(id, status, title, detail, nextStep, cause);
}

const CHECK_SECRET = "Check that the endpoint's Secret Token matches the one of the Zoom app sending to it.";

export const webhookRefusals = {
  notConfigured: refusal(
    'zoom_webhook_not_configured',
    503,
    'Zoom webhooks are not configured',
    'ZOOM_WEBHOOK_SECRET_TOKEN is not set, so Marketplace webhooks cannot be verified.',
    "Set ZOOM_WEBHOOK_SECRET_TOKEN to the Marketplace app's Secret Token and restart the tool.",
  ),
  unknownEndpoint: refusal('not_found', 404, 'Not found', 'There is nothing at this address.', CHECK_SECRET),
  unsupportedMediaType: refusal(
    'zoom_webhook_not_json',
    415,
    'Not a Zoom webhook',
    'A Zoom webhook body must be application/json.',
    'Send the event as application/json.',
  ),
  signatureInvalid: refusal(
    'zoom_webhook_signature_invalid',
    401,
    'Webhook signature refused',
    'x-zm-signature is missing or does not match the body, timestamp and secret.',
    CHECK_SECRET,
  ),
  timestampStale: refusal(
    'zoom_webhook_timestamp_stale',
    401,
    'Webhook timestamp refused',
    'x-zm-request-timestamp is too far from our clock (a replay, or a clock out of sync).',
    "Check the server's clock (NTP); Zoom's retries carry a fresh timestamp.",
  ),
  bodyInvalid: refusal(
    'zoom_webhook_body_invalid',
    400,
    'Webhook body refused',
    'The body is not a Zoom event envelope.',
    'Send {event, event_ts, payload} as JSON.',
  ),
  accountMismatch: refusal(
    'zoom_webhook_account_mismatch',
    403,
    'Webhook refused for this account',
    "The event names a Zoom account other than the one of this school's endpoint.",
    "Point each school's Zoom app at that school's own webhook URL.",
  ),
  handlerFailed: refusal(
    'zoom_webhook_handler_failed',
    500,
    'Webhook not handled',
    'Handling the event failed; Zoom will retry it.',
    'See the error logged with this event.',
  ),
} as const;

/** `v0=` + hex HMAC-SHA256(secret, `v0:{timestamp}:{raw body}`), over the raw bytes. */
export function signZoomWebhook(secret: string, timestamp: string, raw: Buffer | string): string {
  const hmac = crypto.createHmac('sha256', secret);
  hmac.update(`v0:${timestamp}:`);
  hmac.update(raw);
  return `v0=${hmac.digest('hex')}`;
}

/** `x-zm-request-timestamp` in epoch ms: a value above 1e12 is already ms, otherwise seconds. */
export function zoomTimestampMs(value: string): number {
  const number = Number(value);
  return number > 1e12 ? number : number * 1000;
}

export function urlValidationAnswer(secret: string, plainToken: string): UrlValidationAnswer {
  return { plainToken, encryptedToken: crypto.createHmac('sha256', secret).update(plainToken).digest('hex') };
}

/** Zoom's retries resend the same body under a new timestamp and signature: the body identifies a delivery. */
export function deliveryKey(raw: Buffer): string {
  return crypto.createHash('sha256').update(raw).digest('hex');
}

/** Where a log line's delivery came to (never the secret, signature or body). */
type LogWhere = { endpoint: 'marketplace' | 'school'; connectionId?: string; zoomAccountId?: string };

type Verified =
  | { kind: 'url_validation'; event: ZoomWebhookEvent; plainToken: string }
  | { kind: 'deauthorized'; event: ZoomWebhookEvent; payload: AppDeauthorizedPayload }
  | { kind: 'event'; event: ZoomWebhookEvent };

/** Verifies Zoom webhook deliveries, then claims and handles each one once. */
export class ZoomWebhookService {
  private readonly logger: Logger;
  private readonly onDelivery: ZoomWebhookOptions['onDelivery'];
  private readonly now: () => number;
  private readonly toleranceMs: number;

  constructor(
    private readonly targets: WebhookTargets,
    options: ZoomWebhookOptions,
  ) {
    const tolerance = options.toleranceSeconds ?? 300;
    if (!Number.isFinite(tolerance) || tolerance < 0) throw new RangeError('toleranceSeconds must be >= 0');
    this.logger = options.logger;
    this.onDelivery = options.onDelivery;
    this.now = options.now ?? Date.now;
    this.toleranceMs = tolerance * 1000;
  }

  marketplaceEndpoint(): WebhookEndpoint {
    const secret = this.targets.marketplaceSecret();
    if (!secret) throw this.refused(webhookRefusals.notConfigured(), { endpoint: 'marketplace' });
    return { source: { kind: 'marketplace' }, secret };
  }

  async schoolEndpoint(webhookId: string): Promise<WebhookEndpoint> {
    const found = await this.targets.schoolEndpoint(webhookId);
    if (!found) throw this.refused(webhookRefusals.unknownEndpoint(), { endpoint: 'school' });
    return {
      source: { kind: 'school', connectionId: found.connectionId },
      secret: found.secret,
      zoomAccountId: found.zoomAccountId,
    };
  }

  /** Handles one delivery; throws a WebhookRefusal for anything but a 200. */
  async receive(endpoint: WebhookEndpoint, delivery: WebhookDelivery): Promise<WebhookAnswer> {
    const { raw } = delivery;
    if (raw === undefined) throw this.refused(webhookRefusals.unsupportedMediaType(), this.where(endpoint));
    const verified = this.verify(endpoint, delivery.timestamp, delivery.signature, raw);
    const { event } = verified;
    if (verified.kind === 'url_validation') {
      this.log(this.where(endpoint), 'url_validated', event);
      return urlValidationAnswer(endpoint.secret, verified.plainToken);
    }
    const claim = {
      key: deliveryKey(raw),
      event: event.event,
      zoomAccountId: event.payload.account_id ?? endpoint.zoomAccountId,
    };
    try {
      const first = await this.targets.handleOnce(claim, (tx) =>
        verified.kind === 'deauthorized'
          ? this.targets.deauthorize(tx, verified.payload, endpoint.source)
          : this.targets.dispatch(tx, event, endpoint.source),
      );
      this.log(this.where(endpoint), first ? 'handled' : 'duplicate', event);
      return first ? { received: true } : { received: true, duplicate: true };
    } catch (error) {
      const where = this.where(endpoint);
      this.onDelivery?.({ event: event.event, outcome: 'failed' });
      this.logger.error(
        { err: error, event: event.event, zoomAccountId: claim.zoomAccountId, ...where },
        'zoom webhook failed',
      );
      throw webhookRefusals.handlerFailed(error);
    }
  }

  /** Signature, then freshness, then the envelope: nothing is parsed before it is authenticated. */
  private verify(
    endpoint: WebhookEndpoint,
    timestampHeader: string | undefined,
    signatureHeader: string | undefined,
    raw: Buffer,
  ): Verified {
    const source = this.where(endpoint);
    const timestamp = zoomTimestampHeader.safeParse(timestampHeader);
    const signature = zoomSignatureHeader.safeParse(signatureHeader);
    if (!timestamp.success || !signature.success)
      throw this.refused(webhookRefusals.signatureInvalid(), source);
    const expected = signZoomWebhook(endpoint.secret, timestamp.data, raw);
    if (!timingSafeEqualText(signature.data, expected)) {
      throw this.refused(webhookRefusals.signatureInvalid(), source);
    }
    if (Math.abs(this.now() - zoomTimestampMs(timestamp.data)) > this.toleranceMs) {
      throw this.refused(webhookRefusals.timestampStale(), source);
    }

    const envelope = zoomWebhookEnvelope.safeParse(parseJson(raw));
    if (!envelope.success) throw this.refused(webhookRefusals.bodyInvalid(), source);
    const event = envelope.data;

    if (event.event === URL_VALIDATION_EVENT) {
      const payload = urlValidationPayload.safeParse(event.payload);
      if (!payload.success) throw this.refused(webhookRefusals.bodyInvalid(), source, event);
      return { kind: 'url_validation', event, plainToken: payload.data.plainToken };
    }
    // A school's secret is known to that school: its endpoint may only speak for its own account.
    const [claimed, own] = [event.payload.account_id, endpoint.zoomAccountId];
    if (own !== undefined && claimed !== undefined && claimed !== own) {
      throw this.refused(webhookRefusals.accountMismatch(), source, event);
    }
    if (event.event === APP_DEAUTHORIZED_EVENT) {
      const payload = appDeauthorizedPayload.safeParse(event.payload);
      if (!payload.success) throw this.refused(webhookRefusals.bodyInvalid(), source, event);
      return { kind: 'deauthorized', event, payload: payload.data };
    }
    return { kind: 'event', event };
  }

  private refused(error: WebhookRefusal, where: LogWhere, event?: ZoomWebhookEvent): WebhookRefusal {
    this.log(where, 'refused', event, { reason: error.id });
    return error;
  }

  /** Event name, account, endpoint and outcome: never the body, secret or signature. */
  private log(where: LogWhere, outcome: string, event?: ZoomWebhookEvent, extra: object = {}): void {
    const zoomAccountId = event?.payload.account_id ?? where.zoomAccountId;
    const { reason } = extra as { reason?: string };
    this.onDelivery?.({ event: event?.event, outcome: reason ? `${outcome}:${reason}` : outcome });
    this.logger.info({ ...where, event: event?.event, zoomAccountId, outcome, ...extra }, 'zoom webhook');
  }

  private where(endpoint: WebhookEndpoint): LogWhere {
    const { source, zoomAccountId } = endpoint;
    return source.kind === 'school'
      ? { endpoint: 'school', connectionId: source.connectionId, zoomAccountId }
      : { endpoint: 'marketplace' };
  }
}

function parseJson(raw: Buffer): unknown {
  try {
    return JSON.parse(raw.toString('utf8')) as unknown;
  } catch {
    return undefined;
  }
}
