import { z } from 'zod';
import { CONNECT_LINK_DEFAULT_DAYS, CONNECT_LINK_MAX_DAYS } from './zoom.connect-links';

/** Zoom's redirect back to us after consent (or refusal). */
export const callbackQuery = z.object({
  code: z.string().min(1).max(2048).optional(),
  state: z.string().min(1).max(512).optional(),
  error: z.string().max(200).optional(),
});

/** The school admin's Server-to-Server app, as typed into the connection page. */
export const s2sInput = z.object({
  accountId: z
    .string({ error: 'is required' })
    .trim()
    .regex(/^[A-Za-z0-9_-]{6,64}$/, 'must be the Account ID shown in your app’s credentials'),
  clientId: z
    .string({ error: 'is required' })
    .trim()
    .regex(/^[A-Za-z0-9_-]{6,128}$/, 'must be the Client ID shown in your app’s credentials'),
  clientSecret: z
    .string({ error: 'is required' })
    .trim()
    .min(8, 'must be the Client Secret shown in your app’s credentials')
    .max(256),
  webhookSecretToken: z
    .string()
    .trim()
    .max(256)
    .optional()
    .transform((value) => (value ? value : undefined)),
});
export type S2sInput = z.infer<typeof s2sInput>;

/**
 * What the tool needs Zoom to grant: read and write users and meetings at account level, in the
 * classic or the granular scope names.
 */
export const REQUIRED_SCOPES: { need: string; anyOf: string[] }[] = [
  { need: 'user:read:admin', anyOf: ['user:read:admin', 'user:read:user:admin'] },
  { need: 'user:write:admin', anyOf: ['user:write:admin', 'user:write:user:admin'] },
  { need: 'meeting:read:admin', anyOf: ['meeting:read:admin', 'meeting:read:meeting:admin'] },
  { need: 'meeting:write:admin', anyOf: ['meeting:write:admin', 'meeting:write:meeting:admin'] },
];

export function missingScopes(granted: string | undefined): string[] {
  const have = new Set((granted ?? '').split(/[\s,]+/).filter(Boolean));
  return REQUIRED_SCOPES.filter((scope) => !scope.anyOf.some((name) => have.has(name))).map(
    (scope) => scope.need,
  );
}

/** The admin's "Make a connect link" form: how many days it works (default 7, at most 30). */
export const connectLinkForm = z.object({
  days: z.preprocess(
    (value) => (value === undefined || value === '' ? CONNECT_LINK_DEFAULT_DAYS : value),
    z.coerce
      .number({ error: 'must be a number of days' })
      .int('must be a whole number of days')
      .min(1, 'must be at least 1 day')
      .max(CONNECT_LINK_MAX_DAYS, `must be at most ${CONNECT_LINK_MAX_DAYS} days`),
  ),
});

/** The self-check form: the test cookie's value the page set, to compare with the cookie that came back. */
export const selfCheckForm = z.object({ probe: z.string().max(64).optional() });

/** The disconnect form: it disconnects only with its confirmation (`confirm=yes`); without, it asks first. */
export const disconnectForm = z.object({
  confirm: z.literal('yes', { error: 'must be "yes" (sent by the confirmation page)' }).optional(),
});
