import path from 'node:path';
import express, { type Router } from 'express';

/** `/healthz`: the process is up. `/readyz`: the database answers and migrations are applied. */
export function healthRoutes(checkReady: () => Promise<boolean>): Router {
  const router = express.Router();
  router.get('/healthz', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.get('/readyz', async (_req, res) => {
    const ready = await checkReady().catch(() => false);
    res.status(ready ? 200 : 503).json({ status: ready ? 'ready' : 'not ready' });
  });
  return router;
}

/** `/favicon.ico`, asked by browsers of every page: the tool's own icon (the same SVG the pages name). */
export function faviconRoute(assetsDir: string): Router {
  const router = express.Router();
  const file = path.join(assetsDir, 'favicon.svg');
  router.get('/favicon.ico', (_req, res) => {
    res.type('image/svg+xml').sendFile(file, { maxAge: '1d' });
  });
  return router;
}
