import { z } from 'zod';

/** Inputs of the OAuth endpoints and of the `/_sim/` control surface, as zod schemas. */

const param = z.string().optional();

export const authorizeQuerySchema = z.object({
  response_type: param,
  client_id: param,
  redirect_uri: param,
  state: param,
  code_challenge: param,
  code_challenge_method: z.enum(['S256', 'plain']).optional(),
});
export type AuthorizeQuery = z.infer<typeof authorizeQuerySchema>;

export const authorizeFormSchema = z.object({
  email: z.string().optional(),
  decision: z.enum(['approve', 'decline']).optional(),
});

export const tokenParamsSchema = z.object({
  grant_type: param,
  code: param,
  redirect_uri: param,
  code_verifier: param,
  refresh_token: param,
  account_id: param,
});
export type TokenParams = z.infer<typeof tokenParamsSchema>;

/** Keeps only single string values of a query or form (repeated parameters are dropped). */
export function singleValues(input: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (typeof input !== 'object' || input === null) return out;
  for (const [key, value] of Object.entries(input)) if (typeof value === 'string') out[key] = value;
  return out;
}

const domain = z
  .string()
  .min(1)
  .transform((d) => d.toLowerCase());

export const createAccountSchema = z.object({
  plan: z.enum(['free', 'pro', 'business']),
  licensed_seats: z.number().int().min(0).optional(),
  max_basic_users: z.number().int().min(0).optional(),
  managed_domain: domain.optional(),
  partner: z.boolean().optional(),
  sso: z.boolean().optional(),
  sso_only: z.boolean().optional(),
  blocked_domains: z.array(domain).optional(),
  allowed_domains: z.array(domain).optional(),
  admin_email: z.email().optional(),
  timezone: z.string().optional(),
});

export const createAppSchema = z
  .object({
    kind: z.enum(['oauth', 's2s']),
    name: z.string().trim().min(1).max(100).optional(),
    redirect_uri: z.url().optional(),
    account_id: z.string().min(1).optional(),
    webhook_url: z.url().optional(),
    scopes: z.union([z.array(z.string()), z.string()]).optional(),
    events: z.array(z.string()).optional(),
    published: z.boolean().optional(),
  })
  .refine((app) => app.kind !== 's2s' || app.account_id !== undefined, {
    message: 'account_id is required for an s2s app',
    path: ['account_id'],
  });

export const limitsSchema = z.object({
  enabled: z.boolean().optional(),
  scale: z.number().positive().optional(),
  meeting_requests_per_user_per_day: z.number().int().min(0).optional(),
});

export const accountSettingsSchema = z.object({
  require_passcode: z.boolean().optional(),
  recording_passcode: z.boolean().optional(),
});

export const advanceClockSchema = z.object({ seconds: z.number().min(0) });

export const faultSchema = z
  .object({
    match: z
      .object({
        method: z.string().optional(),
        path: z.string().optional(),
        account_id: z.string().optional(),
      })
      .optional(),
    kind: z.enum([
      'latency',
      'status5xx',
      'timeout',
      'commit_then_drop',
      'commit_then_delay',
      'revoke_tokens',
      'rate_limit',
      'refuse',
    ]),
    ms: z.number().int().min(0).optional(),
    /** status5xx: 500–599; refuse: any 4xx or 5xx. */
    status: z.number().int().min(400).max(599).optional(),
    code: z.number().int().optional(),
    message: z.string().max(500).optional(),
    errors: z.array(z.object({ field: z.string(), message: z.string() })).optional(),
    count: z.number().int().min(1).optional(),
    tokens: z.enum(['access', 'refresh', 'all']).optional(),
    category: z.enum(['Light', 'Medium', 'Heavy', 'Resource-intensive']).optional(),
  })
  .refine((f) => f.kind !== 'status5xx' || f.status === undefined || f.status >= 500, {
    path: ['status'],
    message: 'status5xx answers 500–599.',
  });

export const endMeetingSchema = z.object({
  participants: z
    .union([
      z.number().int().min(0).max(1000),
      z.array(z.object({ name: z.string().min(1), email: z.string().optional() })),
    ])
    .optional(),
  duration_minutes: z.number().int().min(1).optional(),
  recording: z.boolean().optional(),
});

export const accountRefSchema = z.object({ account_id: z.string().min(1) });
export const appScopesSchema = z.object({
  scopes: z.union([z.array(z.string().min(1)), z.string()]),
});
export const disableAppSchema = z.object({ disabled: z.boolean().default(true) });

export const requestFilterSchema = z.object({
  since: z
    .string()
    .optional()
    .transform((s) => (s !== undefined && /^\d+$/.test(s) ? Number(s) : s)),
  account_id: param,
  client_id: param,
  method: param,
  path: param,
});
