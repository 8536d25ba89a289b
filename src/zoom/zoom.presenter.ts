import type { ConnectionView, SchoolAdmin } from './zoom.connect.service';

const NOTICES: Record<string, string> = {
  connected: 'Zoom is connected.',
  disconnected: 'Zoom is disconnected: the tool’s access was revoked at Zoom and its tokens deleted.',
  'disconnected-locally':
    'Zoom is disconnected here and its tokens deleted. Zoom could not be told: remove the app in your Zoom account’s Marketplace settings too.',
};

const REASONS: Record<string, string> = {
  app_deauthorized: 'The app was removed from the Zoom account.',
  disconnected_by_admin: 'An administrator disconnected it.',
  missing_scopes: 'Zoom says the tool’s access lacks permissions it needs.',
  zoom_invalid_grant: 'Zoom no longer accepts the tool’s access (it was revoked, expired or replaced).',
  zoom_invalid_client: 'Zoom no longer accepts the app’s credentials.',
  zoom_no_grant: 'The stored access is incomplete.',
};

export function connectionPageModel(
  view: ConnectionView,
  admin: SchoolAdmin & { schoolName: string },
  oauthAvailable: boolean,
  notice: unknown,
) {
  return {
    title: 'Zoom connection',
    schoolName: admin.schoolName,
    ltik: admin.ltik,
    view,
    oauthAvailable,
    reason: view.lastError ? (REASONS[view.lastError] ?? view.lastError) : undefined,
    notice: typeof notice === 'string' ? NOTICES[notice] : undefined,
  };
}
