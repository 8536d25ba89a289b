import { translatorFor, type Translator } from '../shared/i18n';
import type { ConnectionView, SchoolAdmin } from './zoom.connect.service';

const NOTICES = new Set(['connected', 'disconnected', 'disconnected-locally']);
const REASONS = new Set([
  'app_deauthorized',
  'disconnected_by_admin',
  'missing_scopes',
  'zoom_invalid_grant',
  'zoom_invalid_client',
  'zoom_no_grant',
]);

/** The admin's Zoom connection page, in the launch's language (catalog `admin.connection`). */
export function connectionPageModel(
  view: ConnectionView,
  admin: SchoolAdmin & { schoolName: string },
  oauthAvailable: boolean,
  notice: unknown,
  translator: Translator = translatorFor(undefined),
) {
  const { t } = translator;
  return {
    title: t('admin.connection.title'),
    t,
    lang: translator.language,
    schoolName: admin.schoolName,
    ltik: admin.ltik,
    view,
    oauthAvailable,
    reason: view.lastError
      ? REASONS.has(view.lastError)
        ? t(`admin.connection.reasons.${view.lastError}`)
        : view.lastError
      : undefined,
    notice:
      typeof notice === 'string' && NOTICES.has(notice) ? t(`admin.connection.notices.${notice}`) : undefined,
  };
}
