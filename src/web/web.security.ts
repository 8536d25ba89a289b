import type { RequestHandler } from 'express';
import helmet from 'helmet';

/**
 * Security headers. The LMS may frame the tool (CSP frame-ancestors lists the registered platforms'
 * origins); nobody else may. Everything else is strict: our own scripts, styles and images only.
 */
export function securityHeaders(options: {
  publicUrl: string;
  frameAncestors: () => Promise<string[]>;
  /** Origins our forms may lead to through a redirect (Zoom's consent page). */
  formActionOrigins?: string[];
}): RequestHandler[] {
  const https = options.publicUrl.startsWith('https://');
  const loadAncestors: RequestHandler = (_req, res, next) => {
    options
      .frameAncestors()
      .then((origins) => {
        res.locals.frameAncestors = origins;
        next();
      })
      .catch(next);
  };
  const headers = helmet({
    contentSecurityPolicy: {
      useDefaults: false,
      directives: {
        defaultSrc: ["'self'"],
        scriptSrc: ["'self'"],
        styleSrc: ["'self'"],
        imgSrc: ["'self'", 'data:'],
        fontSrc: ["'self'"],
        connectSrc: ["'self'"],
        // Zoom's consent page, and the registered LMSs (a deep-linking answer is posted back to them).
        formAction: [
          "'self'",
          ...(options.formActionOrigins ?? []),
          (_req, res) =>
            ((res as unknown as { locals: { frameAncestors?: string[] } }).locals.frameAncestors ?? []).join(
              ' ',
            ),
        ],
        objectSrc: ["'none'"],
        baseUri: ["'none'"],
        frameAncestors: [
          "'self'",
          (_req, res) =>
            ((res as unknown as { locals: { frameAncestors?: string[] } }).locals.frameAncestors ?? []).join(
              ' ',
            ),
        ],
        ...(https ? { upgradeInsecureRequests: [] } : {}),
      },
    },
    // frame-ancestors governs framing; X-Frame-Options cannot list several origins.
    frameguard: false,
    strictTransportSecurity: https ? { maxAge: 15552000, includeSubDomains: false } : false,
    referrerPolicy: { policy: 'no-referrer' },
    crossOriginResourcePolicy: { policy: 'same-origin' },
  });
  return [loadAncestors, headers];
}
