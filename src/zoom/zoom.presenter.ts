import { translatorFor, type Translator } from '../shared/i18n';
import type { ConnectionView, SchoolAdmin } from './zoom.connect.service';
import { CONNECT_LINK_DEFAULT_DAYS } from './zoom.connect-links';
import { formatTime, type SelfCheckModel } from './zoom.selfcheck.presenter';

const NOTICES = new Set([
  'connected',
  'disconnected',
  'disconnected-locally',
  'link-created',
  'link-withdrawn',
]);
const REASONS = new Set([
  'app_deauthorized',
  'disconnected_by_admin',
  'missing_scopes',
  'zoom_invalid_grant',
  'zoom_invalid_client',
  'zoom_no_grant',
]);
const LINK_DAYS = [1, 7, 14, 30];

/** How the school creates its instructors' Zoom users (the provisioning settings, read-only here). */
export interface ProvisioningSettingsView {
  action: string;
  licence: string;
  whenNoSeat: string;
  provisionAdministrators?: boolean;
}

export interface ConnectionPageInput {
  view: ConnectionView;
  admin: SchoolAdmin & { schoolName: string; timeZone?: string };
  oauthAvailable: boolean;
  notice: unknown;
  translator?: Translator;
  settings?: ProvisioningSettingsView;
  link?: { url: string; expiresAt: Date };
  selfCheck?: SelfCheckModel;
  /** Form token for this page's forms (bound to the ltik). */
  csrf: string;
  /** The test cookie's value this page set: the self-check form sends it back to compare. */
  probe: string;
  /** The zone the viewer's browser sent, kept by the page's links and its self-check form. */
  tz?: string;
}

/** The admin's Zoom connection page, in the launch's language (catalog `admin.connection`). */
export function connectionPageModel(input: ConnectionPageInput) {
  const translator = input.translator ?? translatorFor(undefined);
  const { t } = translator;
  const { view, admin, notice, settings } = input;
  return {
    title: t('admin.connection.title'),
    t,
    lang: translator.language,
    schoolName: admin.schoolName,
    ltik: admin.ltik,
    csrf: input.csrf,
    probe: input.probe,
    // While Zoom's consent is open in its own window: where to ask, and the page to show once connected.
    statusUrl: `/lti/zoom/status?ltik=${encodeURIComponent(admin.ltik)}`,
    connectedUrl: `/lti/zoom?ltik=${encodeURIComponent(admin.ltik)}${
      input.tz ? `&tz=${encodeURIComponent(input.tz)}` : ''
    }&notice=connected`,
    tz: input.tz ?? '',
    view,
    oauthAvailable: input.oauthAvailable,
    reason: view.lastError
      ? REASONS.has(view.lastError)
        ? t(`admin.connection.reasons.${view.lastError}`)
        : view.lastError
      : undefined,
    notice:
      typeof notice === 'string' && NOTICES.has(notice) ? t(`admin.connection.notices.${notice}`) : undefined,
    settings: settings && {
      administrators: t(
        settings.provisionAdministrators ? 'admin.people.administratorsOn' : 'admin.people.administratorsOff',
      ),
      action: t(`admin.people.actions.${settings.action}`),
      licence: t(settings.licence === 'basic' ? 'admin.people.basic' : 'admin.people.licensedDefault'),
      whenNoSeat: t(
        settings.whenNoSeat === 'refuse' ? 'admin.people.noSeatRefuse' : 'admin.people.noSeatBasic',
      ),
    },
    link: input.link && {
      url: input.link.url,
      expires: formatTime(input.link.expiresAt, translator, admin.timeZone),
    },
    linkDays: LINK_DAYS.map((days) => ({
      value: days,
      label: t('admin.connectLink.days', { count: days }),
      selected: days === CONNECT_LINK_DEFAULT_DAYS,
    })),
    selfCheck: input.selfCheck,
  };
}

/** The confirmation before disconnecting: the school named, what stops and what keeps working. */
export function disconnectPageModel(input: {
  schoolName: string;
  ltik: string;
  csrf: string;
  translator: Translator;
}) {
  const { t, language } = input.translator;
  return {
    title: t('admin.connection.disconnectConfirm.title'),
    t,
    lang: language,
    schoolName: input.schoolName,
    ltik: input.ltik,
    csrf: input.csrf,
  };
}
