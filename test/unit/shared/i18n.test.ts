import { languageOf, translatorFor } from '../../../src/shared/i18n';

describe('message catalogs', () => {
  it.each([
    ['es', 'es'],
    ['es-MX', 'es'],
    ['es_AR', 'es'],
    ['en-GB', 'en'],
    ['fr', 'en'],
    [undefined, 'en'],
  ])('the LMS locale %s speaks %s', (locale, language) => {
    expect(languageOf(locale)).toBe(language);
  });

  it('keeps the LMS’s full locale for dates and times, and falls back to the language', () => {
    expect(translatorFor('es-MX').locale).toBe('es-MX');
    expect(translatorFor('es_AR').locale).toBe('es-AR');
    expect(translatorFor('not a locale!').locale).toBe('en');
  });

  it('fills values and plural forms', () => {
    const es = translatorFor('es');
    expect(es.t('meetings.occurrencesLeft', { count: 1 })).toBe('Queda 1 sesión');
    expect(es.t('meetings.occurrencesLeft', { count: 4 })).toBe('Quedan 4 sesiones');
    expect(translatorFor('en').t('meetings.notices.scheduled', { topic: 'Bio' })).toBe(
      'The meeting “Bio” is scheduled.',
    );
  });

  it('does not escape values: the views escape them once, on output', () => {
    expect(translatorFor('en').t('meetings.notices.scheduled', { topic: '<b>' })).toContain('<b>');
  });
});
