import path from 'node:path';
import ejs from 'ejs';
import express from 'express';
import request from 'supertest';
import { AppError, errorHandler, errors } from '../../../src/shared/errors';
import { translatorFor } from '../../../src/shared/i18n';
import { createLogger } from '../../../src/shared/logger';

/**
 * Every error a person inside a launch can meet is said in the launch's language: each catalogued
 * error, rendered by the real error handler and page with a Spanish translator, carries none of its
 * English sentences. The few kept in English are named here with the reason.
 */
const ENGLISH_ONLY: Record<string, string> = {
  operator_login_required: 'operator console (/admin): no launch, no launch language',
  operator_login_failed: 'operator console (/admin): no launch, no launch language',
  operator_login_limited: 'operator console (/admin): no launch, no launch language',
  operator_login_busy: 'operator console (/admin): no launch, no launch language',
  operator_password_invalid: 'operator CLI (`npm run cli -- operator password`)',
  operator_csrf_invalid: 'operator console (/admin): no launch, no launch language',
  database_in_use: 'operator CLI and server start: no page',
  server_not_answering: 'operator CLI: no page',
  control_interrupted: 'operator CLI: no page',
  registration_exists: 'operator CLI and console (`platform add`)',
  registration_not_found: 'operator CLI and console (`platform list/remove`)',
  sandbox_school_name: 'registration and operator CLI: no launch language',
  registration_invite_invalid: 'registration page (dynamic registration): no launch language',
  registration_invite_spent: 'registration page (dynamic registration): no launch language',
  registration_issuer_taken: 'registration page (dynamic registration): no launch language',
  registration_failed: 'registration page (dynamic registration): no launch language',
};

/** Every catalogued error, made with its factory's defaults (no specific detail, no values). */
const catalogued: AppError[] = Object.values(errors).map((factory) => (factory as () => AppError)());

function appThrowing(error: AppError, locale: string): express.Express {
  const app = express();
  app.set('views', path.resolve(__dirname, '../../../views'));
  app.set('view engine', 'ejs');
  app.use((_req, res, next) => {
    res.locals.translator = translatorFor(locale);
    next();
  });
  app.get('/', () => {
    throw error;
  });
  app.use(errorHandler(createLogger({ level: 'silent' })));
  return app;
}

/** The error's English sentences as the page would show them (EJS escapes them). */
const englishOf = (error: AppError) =>
  [error.title, error.detail, error.nextStep].map((sentence) => ejs.escapeXML(sentence));

describe('error pages for a Spanish launch', () => {
  it('name only errors the catalogue has', () => {
    const ids = catalogued.map((error) => error.id);
    expect(Object.keys(ENGLISH_ONLY).filter((id) => !ids.includes(id))).toEqual([]);
  });

  it.each(catalogued.filter((error) => !(error.id in ENGLISH_ONLY)).map((error) => [error.id, error]))(
    '%s is in Spanish: title, detail and next step',
    async (_id, error) => {
      const page = await request(appThrowing(error, 'es-MX')).get('/').accept('html');

      expect(page.status).toBe(error.status);
      expect(page.text).toContain('<html lang="es">');
      expect(page.text).toContain('Qué hacer');
      expect(englishOf(error).filter((sentence) => page.text.includes(sentence))).toEqual([]);
    },
  );

  it.each(catalogued.map((error) => [error.id, error]))('%s is unchanged in English', async (_id, error) => {
    const page = await request(appThrowing(error, 'en')).get('/').accept('html');

    expect(englishOf(error).filter((sentence) => !page.text.includes(sentence))).toEqual([]);
  });
});
