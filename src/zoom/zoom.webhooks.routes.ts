import express, { type ErrorRequestHandler, type Request, type RequestHandler, type Router } from 'express';
import type { Logger } from 'pino';
import {
  WebhookRefusal,
  ZoomWebhookService,
  type WebhookEndpoint,
  type WebhookTargets,
  type ZoomWebhookOptions,
} from './zoom.webhooks.service';

/**
 * Zoom's webhook endpoints: `POST /zoom/webhook` (our Marketplace app) and
 * `POST /zoom/webhook/:webhookId` (a school's own Server-to-Server app). Mount before any JSON body
 * parser: the signature covers the raw bytes, so this router reads the body itself.
 * Every answer is JSON: 200 when handled (or a duplicate, or the URL validation answer), else
 * `{error: id}` with 400/401/403/404/413/415/500/503.
 */
export function zoomWebhookRoutes(targets: WebhookTargets, options: ZoomWebhookOptions): Router {
  const service = new ZoomWebhookService(targets, options);
  const router = express.Router();
  const rawJson = express.raw({ type: 'application/json', limit: '1mb' });
  const answerErrors = webhookErrorHandler(options.logger);

  const deliver =
    (endpoint: (req: Request) => WebhookEndpoint | Promise<WebhookEndpoint>): RequestHandler =>
    async (req, res, next) => {
      try {
        const answer = await service.receive(await endpoint(req), {
          timestamp: req.get('x-zm-request-timestamp'),
          signature: req.get('x-zm-signature'),
          raw: Buffer.isBuffer(req.body) ? req.body : undefined,
        });
        res.status(200).json(answer);
      } catch (error) {
        next(error);
      }
    };

  router.post(
    '/zoom/webhook',
    rawJson,
    deliver(() => service.marketplaceEndpoint()),
    answerErrors,
  );
  router.post(
    '/zoom/webhook/:webhookId',
    rawJson,
    deliver((req) => service.schoolEndpoint(String(req.params.webhookId))),
    answerErrors,
  );
  return router;
}

/** Route-level, so it only sees errors of these routes: refusals and body-reading errors (413, 415…). */
function webhookErrorHandler(logger: Logger): ErrorRequestHandler {
  return (error: unknown, _req, res, _next) => {
    if (res.headersSent) return;
    if (error instanceof WebhookRefusal) {
      res.status(error.status).json({ error: error.id });
      return;
    }
    const status = bodyReadStatus(error);
    if (status !== undefined) {
      logger.info(
        { endpoint: 'zoom webhook', outcome: 'refused', reason: status },
        'zoom webhook body unreadable',
      );
      res.status(status).json({ error: 'zoom_webhook_body_unreadable' });
      return;
    }
    logger.error({ err: error }, 'zoom webhook failed');
    res.status(500).json({ error: 'internal_error' });
  };
}

/** The 4xx status of an error raised by express.raw (too large, bad encoding, aborted), if it is one. */
function bodyReadStatus(error: unknown): number | undefined {
  if (typeof error !== 'object' || error === null || !('status' in error)) return undefined;
  const { status } = error;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}
