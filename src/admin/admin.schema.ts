import { z } from 'zod';

/** The console's forms and path parameters, and the CLI's operator name. */

export const DEFAULT_OPERATOR = 'operator';

export const operatorName = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^[a-z0-9._-]{1,64}$/, 'must be 1–64 letters, digits, dots, dashes or underscores');

export const loginForm = z.object({
  username: z.string().trim().toLowerCase().max(64).default(DEFAULT_OPERATOR),
  password: z.string().max(4096),
});
export type LoginForm = z.infer<typeof loginForm>;

export const schoolParams = z.object({ schoolId: z.string().uuid() });

export const registrationParams = z.object({
  schoolId: z.string().uuid(),
  registrationId: z.string().uuid(),
});

export const registrationAction = z.enum(['activate', 'deactivate', 'accept-new', 'refuse-new']);
export type RegistrationAction = z.infer<typeof registrationAction>;

export const deploymentForm = z.object({
  deploymentId: z.string().min(1).max(255),
  action: z.enum(['approve', 'deactivate']),
});
export type DeploymentForm = z.infer<typeof deploymentForm>;

export const inviteForm = z.object({
  days: z.coerce.number().int().min(1).max(90).default(7),
});
