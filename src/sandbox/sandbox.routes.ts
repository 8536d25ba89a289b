import path from 'node:path';
import express, { Router } from 'express';
import type { Services } from '../services';
import { VIEWS_DIR } from '../services';
import { asyncHandler } from '../shared/http';
import { translatorFor } from '../shared/i18n';
import type { Sandbox } from './sandbox';
import { sandboxHome } from './sandbox.presenter';

/**
 * The sandbox's pages on the tool's port, mounted only while the sandbox runs: the home page at
 * `/` (and `/sandbox`), and its stylesheet. Read-only: every change goes through the LMSs' course
 * pages and the simulator's consent page, as it would for a real school.
 */
export function sandboxRoutes(deps: { sandbox: Sandbox; services: Services }): Router {
  const router = Router();
  router.use(
    '/sandbox/assets',
    express.static(path.join(VIEWS_DIR, 'sandbox-assets'), { maxAge: '1h', index: false }),
  );
  // In the language the page was asked in (?lang=es), else the browser's (Accept-Language), else English.
  const home = asyncHandler(async (req, res) => {
    const asked = req.query.lang === 'es' || req.query.lang === 'en' ? req.query.lang : undefined;
    const translator = translatorFor(asked ?? (req.acceptsLanguages('en', 'es') || 'en'));
    res.locals.translator = translator;
    res.set('Cache-Control', 'no-store');
    res.vary('Accept-Language');
    res.render('sandbox-home', {
      ...(await sandboxHome(deps.sandbox, deps.services, translator)),
      t: translator.t,
      lang: translator.language,
    });
  });
  router.get('/', home);
  router.get('/sandbox', home);
  return router;
}
