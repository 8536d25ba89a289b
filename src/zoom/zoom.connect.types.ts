/** The shapes of connecting a school's Zoom account, shared by the connect service, its routes and the self-check. */

/** Whoever connects Zoom for a school: its administrator from a launch, or the holder of a connect link. */
export interface ConnectStarter {
  schoolId: string;
  /** issuer + LMS user id: who connected (for a link: `connect-link|` + who made it). */
  userKey: string;
  email: string | undefined;
  /** The admin's session link: brings them back into the tool after Zoom's consent. */
  ltik?: string;
  /** The connect link this came through: it must still be the school's live one when Zoom is stored. */
  link?: { token: string; linkId: string };
}

/** The school administrator acting, from their launch. */
export interface SchoolAdmin extends ConnectStarter {
  ltik: string;
}

export interface ConnectionView {
  status: 'none' | 'connected' | 'reconnect_required' | 'disconnected';
  kind: 'oauth' | 's2s' | undefined;
  zoomAccountId: string | undefined;
  scopes: string[];
  lastError: string | undefined;
  connectedAt: Date | undefined;
  /** For schools on their own S2S app: where their app must send events. */
  webhookUrl: string | undefined;
}

/** Looks a user up with a bare access token (connect-time verification, before anything is stored). */
export type AccountProbe = (
  accessToken: string,
  userIdOrEmail: string,
) => Promise<{ accountId: string | undefined }>;

/** The first-party cookie that ties a consent round trip to the browser that started it. */
export interface BrowserBinding {
  cookieName: string;
  value: string;
  maxAgeMs: number;
}
