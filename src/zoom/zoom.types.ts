/** Shapes shared inside the zoom capability (connections, tokens, client, webhooks). */

export type ZoomPlan = 'free' | 'pro' | 'business';

/** Zoom's rate-limit categories (ZOOM-NOTES "Rate limits"). */
export type RateCategory = 'light' | 'medium' | 'heavy' | 'resource_intensive';

/** What the client needs to know about the connection it calls Zoom for. */
export interface ZoomConnectionRef {
  id: string;
  schoolId: string;
  zoomAccountId: string;
  /** The account's plan, for client-side pacing under its limits. */
  plan: ZoomPlan;
}

/**
 * Access tokens for a connection. Implementations refresh ahead of expiry, single-flight across
 * processes. `rejected` is the token Zoom just refused (401 code 124): a new one is fetched unless
 * someone already replaced it.
 */
export interface AccessTokenProvider {
  accessToken(connectionId: string, options?: { rejected?: string }): Promise<string>;
  /**
   * Zoom said the grant is dead (e.g. 4711 missing scopes): stop using it, ask an admin to reconnect.
   * `refused.token` is the token Zoom refused: a connection that holds another one by now is left alone.
   */
  markReconnectRequired(connectionId: string, reason: string, refused?: { token?: string }): Promise<void>;
}
