import { Router } from 'express';

/**
 * What `/` shows when the sandbox is off (production): what the tool is, and the URLs an LMS
 * administrator registers it with. Nothing of the sandbox is mounted then.
 */
export function productHomeRoutes(publicUrl: string): Router {
  const router = Router();
  const endpoints = [
    { label: 'OIDC login initiation (GET or POST)', url: `${publicUrl}/lti/login` },
    { label: 'Launch / redirect URI (POST)', url: `${publicUrl}/lti/launch` },
    { label: 'Public keys (JWKS)', url: `${publicUrl}/lti/keys` },
    { label: 'Canvas developer-key JSON', url: `${publicUrl}/lti/canvas.json` },
  ];
  router.get('/', (_req, res) => {
    res.render('product-home', { endpoints, canvasJson: `${publicUrl}/lti/canvas.json` });
  });
  return router;
}
