import type { Logger } from 'pino';
import { ZoomClient } from './zoom.client';
import type { AccountProbe } from './zoom.connect.service';
import type { ZoomPlan } from './zoom.types';

/**
 * Connect-time verification with a token not stored yet: one user lookup through the same client
 * (and so the same errors, pacing and response checks) as every other Zoom call.
 */
export function accountProbe(options: { apiUrl: string; logger: Logger; plan: ZoomPlan }): AccountProbe {
  return async (accessToken, userIdOrEmail) => {
    const client = new ZoomClient({
      apiUrl: options.apiUrl,
      logger: options.logger,
      tokens: {
        accessToken: async () => accessToken,
        markReconnectRequired: async () => undefined,
      },
    });
    const api = client.forConnection({
      id: 'connect-probe',
      schoolId: '',
      zoomAccountId: 'connect-probe',
      plan: options.plan,
    });
    const user = userIdOrEmail === 'me' ? await api.getMe() : await api.getUser(userIdOrEmail);
    return { accountId: user.account_id ?? undefined };
  };
}
