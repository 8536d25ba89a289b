import { z } from 'zod';

/**
 * What Zoom posts to our webhook endpoints (ZOOM-NOTES "Webhooks"). Checked only after the
 * signature over the raw bytes has been verified. Unknown fields pass through: Zoom adds fields
 * without notice, and later features read the ones they need.
 */

/** `x-zm-request-timestamp`: epoch seconds or milliseconds, digits only. */
export const zoomTimestampHeader = z.string().regex(/^\d{1,16}$/);

/** `x-zm-signature`: `v0=` and a lowercase hex HMAC-SHA256. */
export const zoomSignatureHeader = z.string().regex(/^v0=[0-9a-f]{64}$/);

export const zoomWebhookPayload = z.looseObject({
  account_id: z.string().min(1).optional(),
  object: z.record(z.string(), z.unknown()).optional(),
  plainToken: z.string().optional(),
});

export const zoomWebhookEnvelope = z.looseObject({
  event: z.string().min(1),
  event_ts: z.number(),
  payload: zoomWebhookPayload,
});
export type ZoomWebhookEvent = z.infer<typeof zoomWebhookEnvelope>;

export const URL_VALIDATION_EVENT = 'endpoint.url_validation';
export const APP_DEAUTHORIZED_EVENT = 'app_deauthorized';

/** `endpoint.url_validation`: Zoom checks we hold the secret by asking us to HMAC this token. */
export const urlValidationPayload = z.looseObject({
  plainToken: z.string().min(1).max(1024),
});

/** What we answer to `endpoint.url_validation`. */
export interface UrlValidationAnswer {
  plainToken: string;
  encryptedToken: string;
}

/**
 * `app_deauthorized`: `{account_id, user_id, client_id, deauthorization_time}`. Only the account id
 * is required: a deauthorization must never be refused over a field we do not use.
 */
export const appDeauthorizedPayload = z.looseObject({
  account_id: z.string().min(1),
  user_id: z.string().optional(),
  client_id: z.string().optional(),
  deauthorization_time: z.string().optional(),
});
export type AppDeauthorizedPayload = z.infer<typeof appDeauthorizedPayload>;
