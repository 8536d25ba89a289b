import { DateTime } from 'luxon';
import type { Services } from '../services';
import { translatorFor, type Translator } from '../shared/i18n';
import type { Sandbox, SandboxSchool } from './sandbox';

/**
 * The sandbox home page's model: where to click (each course launch in English and in Spanish), and
 * what the simulated Zoom saw, in the viewer's language: times as the viewer's locale writes them,
 * a meeting's in its own zone (named), a webhook's as "2 minutes ago".
 */
export interface SandboxHomeModel {
  toolUrl: string;
  zoomUrl: string;
  zoomIsSimulated: boolean;
  /** The same page in the other language. */
  otherLanguage: { lang: 'en' | 'es'; href: string };
  schools: Array<{
    key: string;
    name: string;
    productName: string;
    lmsUrl: string;
    /**
     * The LMS's course page, framing the tool, as each person of the course: first in the page's
     * language, then in the other (the launch's `launch_presentation.locale`).
     */
    open: Array<{
      who: Who;
      name: string;
      launches: Array<{ lang: 'en' | 'es'; label: string; href: string }>;
    }>;
    zoom: {
      accountId: string;
      adminEmail: string;
      /** The tool's view of the school's connection (none, connected, reconnect_required…). */
      connection: string;
      connectionText: string;
      users: Array<{ email: string; text: string }>;
      meetings: Array<{ id: number; topic: string; start: string; status: string }>;
    };
  }>;
  webhooks: Array<{ at: string; atIso: string; event: string; account: string; status: string; ok: boolean }>;
}

type Who = 'instructor' | 'student' | 'administrator';

const LATEST_WEBHOOKS = 15;

function accountOfDelivery(body: string): string {
  try {
    const parsed = JSON.parse(body) as { payload?: { account_id?: unknown } };
    return typeof parsed.payload?.account_id === 'string' ? parsed.payload.account_id : '';
  } catch {
    return '';
  }
}

/** A meeting's start as the viewer's locale writes it, in the meeting's own zone, named. */
export function meetingStart(startTime: number | null, zone: string, translator: Translator): string {
  if (startTime === null) return translator.t('chrome.sandboxHome.noFixedTime');
  const at = DateTime.fromMillis(startTime, { zone: zone || 'UTC' });
  const shown = at.isValid ? at : DateTime.fromMillis(startTime, { zone: 'UTC' });
  return `${shown.setLocale(translator.locale).toLocaleString(DateTime.DATETIME_MED_WITH_WEEKDAY)} (${shown.zoneName})`;
}

/** "2 minutes ago" / "hace 2 minutos". */
function ago(iso: string, now: number, translator: Translator): string {
  const at = DateTime.fromISO(iso);
  return at.isValid
    ? (at.setLocale(translator.locale).toRelative({ base: DateTime.fromMillis(now) }) ?? iso)
    : iso;
}

function launchesFor(school: SandboxSchool, userId: string, who: Who, translator: Translator) {
  const { language } = translator;
  const other = language === 'es' ? 'en' : 'es';
  return ([language, other] as const).map((lang) => ({
    lang,
    // The link's words are in its own language: the launch opens in that language.
    label: inLanguage(translator, lang).t('chrome.sandboxHome.open', {
      who: inLanguage(translator, lang).t(`chrome.sandboxHome.who.${who}`),
    }),
    href: school.lms.coursePageUrl(userId, { locale: lang }),
  }));
}

function inLanguage(translator: Translator, lang: 'en' | 'es'): Translator {
  return lang === translator.language ? translator : translatorFor(lang);
}

async function schoolModel(
  sandbox: Sandbox,
  services: Services,
  school: SandboxSchool,
  translator: Translator,
) {
  const { t } = translator;
  const { lms, spec, zoomAccount } = school;
  const connection = school.schoolId ? (await services.zoom.connect.view(school.schoolId)).status : 'none';
  const people: Array<[Who, { id: string; name: string }]> = [
    ['instructor', lms.users.instructor],
    ['student', lms.users.learner],
    ['administrator', lms.users.admin],
  ];
  const connectionKey = `chrome.sandboxHome.connectionState.${connection}`;
  return {
    key: spec.key,
    name: spec.name,
    productName: spec.productName,
    lmsUrl: lms.baseUrl,
    open: people.map(([who, user]) => ({
      who,
      name: user.name,
      launches: launchesFor(school, user.id, who, translator),
    })),
    zoom: {
      accountId: zoomAccount.accountId,
      adminEmail: zoomAccount.adminEmail,
      connection,
      connectionText: translator.has(connectionKey) ? t(connectionKey) : connection.replace(/_/g, ' '),
      users: sandbox.zoom
        .users(zoomAccount.accountId)
        .filter((user) => user.email !== zoomAccount.adminEmail)
        .map((user) => ({
          email: user.email,
          text: [
            t(`chrome.sandboxHome.userStatus.${user.status}`),
            t(user.type === 2 ? 'chrome.sandboxHome.licensed' : 'chrome.sandboxHome.basic'),
          ].join(' · '),
        })),
      meetings: sandbox.zoom.meetings(zoomAccount.accountId).map((meeting) => ({
        id: meeting.id,
        topic: meeting.topic,
        start: meetingStart(meeting.start_time, meeting.timezone, translator),
        status: t(`chrome.sandboxHome.meetingStatus.${meeting.status}`),
      })),
    },
  };
}

export async function sandboxHome(
  sandbox: Sandbox,
  services: Services,
  translator: Translator,
  now: number = Date.now(),
): Promise<SandboxHomeModel> {
  const { t } = translator;
  const accounts = new Map(sandbox.schools.map((school) => [school.zoomAccount.accountId, school.spec.name]));
  const other = translator.language === 'es' ? 'en' : 'es';
  return {
    toolUrl: sandbox.config.publicUrl,
    zoomUrl: sandbox.zoom.baseUrl,
    zoomIsSimulated: sandbox.zoomIsSimulated,
    otherLanguage: { lang: other, href: `/sandbox?lang=${other}` },
    schools: await Promise.all(
      sandbox.schools.map((school) => schoolModel(sandbox, services, school, translator)),
    ),
    webhooks: sandbox.zoom
      .webhookDeliveries()
      .slice(-LATEST_WEBHOOKS)
      .reverse()
      .map((attempt) => {
        const account = accountOfDelivery(attempt.body);
        return {
          at: ago(attempt.at, now, translator),
          atIso: attempt.at,
          event: attempt.event,
          account: accounts.get(account) ?? (account || t('chrome.sandboxHome.theApp')),
          status:
            attempt.status === null
              ? (attempt.error ?? t('chrome.sandboxHome.noAnswer'))
              : String(attempt.status),
          ok: attempt.ok,
        };
      }),
  };
}
