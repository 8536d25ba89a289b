import pino from 'pino';
import { MeetingsService } from '../../../src/meetings';
import { AppError } from '../../../src/shared/errors';
import { translatorFor } from '../../../src/shared/i18n';
import type { Db } from '../../../src/storage';
import type { ZoomClient } from '../../../src/zoom';
import { ZoomApiError } from '../../../src/zoom/zoom.client.errors';

/**
 * Issue 17, item 20 (b): Zoom has two daily limits a meeting write can meet. A host's (100 creates
 * and updates a day) is that host's; the account's for the category is every teacher's of the
 * school. Each is told as what it is, with when Zoom counts again, in the viewer's language.
 */
describe('a daily limit as the person sees it', () => {
  const now = Date.parse('2030-03-04T20:00:00Z');
  const service = new MeetingsService({
    db: {} as Db,
    client: {} as ZoomClient,
    connectionOf: async () => ({ status: 'none' }),
    zoomUserOf: async () => undefined,
    jobs: { enqueue: async () => undefined },
    logger: pino({ level: 'silent' }),
    now: () => now,
  });
  const actor = (locale: string) => ({
    userId: 'u1',
    name: 'Ines Instructor',
    issuer: 'https://lms.example.edu',
    timeZone: 'America/New_York',
    locale,
  });
  const zoomSays = (message: string) =>
    new ZoomApiError({ status: 429, code: 429, zoomMessage: message, kind: 'daily_limit' });
  const accountSays = (message: string) =>
    new ZoomApiError({ status: 429, code: 429, zoomMessage: message, kind: 'account_daily_limit' });

  const table: Array<[string, ZoomApiError, string, string, RegExp]> = [
    [
      'a host’s limit, in English',
      zoomSays('You have exceeded the daily rate limit (100) of Meeting Create/Update API requests'),
      'en',
      'meeting_daily_limit',
      /this host/,
    ],
    [
      'the account’s limit, in English',
      accountSays('You have reached the maximum daily rate limit for this API.'),
      'en',
      'zoom_account_daily_limit',
      /school’s whole Zoom account/,
    ],
    [
      'the account’s limit, in Spanish',
      accountSays('You have reached the maximum daily rate limit for this API.'),
      'es',
      'zoom_account_daily_limit',
      /toda la cuenta de Zoom de la escuela/,
    ],
  ];

  it.each(table)('%s', (_name, error, locale, id, says) => {
    const refusal = service.refusal(error, actor(locale));
    expect(refusal).toBeInstanceOf(AppError);
    const shown = refusal as AppError;
    expect(shown.id).toBe(id);
    expect(shown.status).toBe(429);
    const t = translatorFor(locale);
    const text = `${t.t(`errors.${id}.title`, shown.params)} ${t.t(`errors.${id}.detail`, shown.params)}`;
    expect(text).toMatch(says);
    // When Zoom counts again: 00:00 UTC, shown in the viewer's zone.
    const next = t.t(`errors.${id}.next`, shown.params);
    expect(next).toMatch(locale === 'es' ? /19:00/ : /7:00\s?PM/);
  });
});
