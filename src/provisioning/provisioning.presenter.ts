import { DateTime } from 'luxon';
import { translatorFor, type Translator } from '../shared/i18n';
import { outcomeMessage, shownOutcome } from './provisioning.outcomes';
import type { PersonRow, Settings } from './provisioning.repo';

const NOTICES = new Set(['saved', 'checked']);
const LICENCES = new Set([1, 2, 99]);

/** The school admin's people page: each instructor's Zoom status and licence, and the school's settings. */
export function peoplePageModel(input: {
  schoolName: string;
  ltik: string;
  settings: Settings;
  people: PersonRow[];
  notice: unknown;
  translator?: Translator;
  /** The viewer's zone (their browser's, else the school's): every time on the page is in it. */
  timeZone: string;
}) {
  const translator = input.translator ?? translatorFor(undefined);
  const { t } = translator;
  const when = (instant: Date) => ({
    text: DateTime.fromJSDate(instant, { zone: input.timeZone })
      .setLocale(translator.locale)
      .toLocaleString({ ...DateTime.DATETIME_MED, timeZoneName: 'short' }),
    iso: instant.toISOString(),
  });
  return {
    title: t('admin.people.title'),
    t,
    lang: translator.language,
    schoolName: input.schoolName,
    ltik: input.ltik,
    settings: input.settings,
    notice:
      typeof input.notice === 'string' && NOTICES.has(input.notice)
        ? t(`admin.people.notices.${input.notice}`)
        : undefined,
    people: input.people.map((person) => {
      const outcome = shownOutcome(person);
      return {
        issuer: person.lmsIssuer,
        userId: person.lmsUserId,
        name: person.name || t('admin.people.noName'),
        email: person.email ?? t('admin.people.noEmail'),
        /** The status id (for tests and styles) and its words. */
        status: person.leaseOwner ? 'being set up' : person.status,
        statusText: t(`admin.people.statuses.${person.leaseOwner ? 'settingUp' : person.status}`),
        licence: person.licenceType
          ? LICENCES.has(person.licenceType)
            ? t(`admin.people.licences.${person.licenceType}`)
            : String(person.licenceType)
          : '—',
        lastChecked: person.lastCheckedAt ? when(person.lastCheckedAt) : undefined,
        outcome: outcome && !person.leaseOwner ? outcomeMessage(outcome, {}, translator).title : '',
      };
    }),
  };
}
