import i18next, { type i18n as I18n } from 'i18next';
import { en } from './locales/en';
import { es } from './locales/es';

/**
 * Message catalogs (i18next). The locale comes from the launch (`launch_presentation.locale`, which
 * Moodle and Canvas send): `es`, `es-MX`… → Spanish; anything else → English. Dates and times are
 * formatted with `Intl` for the full locale the LMS sent (`es-MX`), through luxon.
 */
export type Language = 'en' | 'es';

export interface Translator {
  language: Language;
  /** The locale for `Intl` (the LMS's, when it is valid; else the language). */
  locale: string;
  t(key: string, values?: Record<string, unknown>): string;
  has(key: string): boolean;
}

let instance: I18n | undefined;

function catalogs(): I18n {
  if (instance) return instance;
  const created = i18next.createInstance();
  void created.init({
    resources: { en: { translation: en }, es: { translation: es } },
    lng: 'en',
    fallbackLng: 'en',
    initAsync: false,
    interpolation: { escapeValue: false }, // EJS escapes on output
    returnNull: false,
    returnEmptyString: true, // an empty text (e.g. no next step) is empty, not its key
  });
  instance = created;
  return created;
}

export function languageOf(locale: string | undefined): Language {
  return locale?.trim().toLowerCase().startsWith('es') ? 'es' : 'en';
}

function intlLocale(locale: string | undefined, language: Language): string {
  if (!locale) return language;
  try {
    const [canonical] = Intl.getCanonicalLocales(locale.replace('_', '-'));
    return canonical && languageOf(canonical) === language ? canonical : language;
  } catch {
    return language;
  }
}

export function translatorFor(locale: string | undefined): Translator {
  const language = languageOf(locale);
  const fixed = catalogs().getFixedT(language);
  return {
    language,
    locale: intlLocale(locale, language),
    t: (key, values) => fixed(key, values ?? {}),
    has: (key) => catalogs().exists(key, { lng: language }),
  };
}
