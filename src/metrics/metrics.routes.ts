import crypto from 'node:crypto';
import express, { type Router } from 'express';
import { AppError } from '../shared/errors';
import { asyncHandler } from '../shared/http';
import type { Metrics } from './metrics';

/** The answer to a scrape without the right bearer token (the body names no token, right or wrong). */
export function metricsTokenInvalid(): AppError {
  return new AppError(
    'metrics_token_invalid',
    401,
    'Metrics need a token',
    'GET /metrics answers only with the bearer token set as METRICS_TOKEN.',
    'Send `Authorization: Bearer <METRICS_TOKEN>` (in Prometheus: `authorization: { credentials: … }` of the scrape job).',
  );
}

/**
 * `GET /metrics` in Prometheus' text format. Not mounted at all (so 404) unless METRICS_TOKEN is
 * set; then only a request bearing that token is answered (compared in constant time).
 */
export function metricsRoutes(deps: { metrics: Metrics; token: string | undefined }): Router {
  const router = express.Router();
  const { token } = deps;
  if (!token) return router;
  router.get(
    '/metrics',
    asyncHandler(async (req, res) => {
      const given = /^Bearer (.+)$/i.exec(req.get('authorization') ?? '')?.[1]?.trim() ?? '';
      if (!sameToken(given, token)) {
        res.set('WWW-Authenticate', 'Bearer realm="metrics"');
        throw metricsTokenInvalid();
      }
      const body = await deps.metrics.registry.metrics();
      res.set('Cache-Control', 'no-store');
      // As bytes: Express would rewrite a string's content type (its parameters reordered).
      res.set('Content-Type', deps.metrics.registry.contentType).send(Buffer.from(body));
    }),
  );
  return router;
}

/** Compared as digests, so neither the content nor the length of the token shows in the timing. */
function sameToken(given: string, expected: string): boolean {
  const digest = (text: string) => crypto.createHash('sha256').update(text).digest();
  return crypto.timingSafeEqual(digest(given), digest(expected));
}
