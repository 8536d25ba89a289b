import { DateTime } from 'luxon';
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

/**
 * "Add a school": its name, optionally its time zone, and whether a registration link is made at
 * once (a ticked box sends `yes`). Each field's problem is said next to it.
 */
export const addSchoolForm = z.object({
  name: z
    .string({ error: 'Give the school a name.' })
    .trim()
    .min(1, 'Give the school a name.')
    .max(200, 'A school name is at most 200 characters.'),
  timeZone: z
    .string()
    .trim()
    .refine(
      (zone) => zone === '' || zone === 'UTC' || DateTime.local().setZone(zone).isValid,
      'Give a time zone as its IANA name, e.g. America/New_York, or leave it empty for UTC.',
    )
    .default(''),
  link: z
    .string()
    .optional()
    .transform((value) => value === 'yes'),
  days: z.coerce
    .number({ error: 'Give a number of days from 1 to 90.' })
    .int('Give a number of days from 1 to 90.')
    .min(1, 'Give a number of days from 1 to 90.')
    .max(90, 'Give a number of days from 1 to 90.')
    .default(7),
});
export type AddSchoolForm = z.output<typeof addSchoolForm>;

/** The school page's retention form: days per kind, an empty field meaning "kept" (src/privacy checks the days). */
export const retentionForm = z.object({
  meetings: z.string().trim().max(10).default(''),
  attendance: z.string().trim().max(10).default(''),
  logs: z.string().trim().max(10).default(''),
});

/** The form as a retention change: a number sets the days, an empty field keeps that kind with no limit. */
export function retentionChangeOf(form: z.infer<typeof retentionForm>) {
  const kinds = ['meetings', 'attendance', 'logs'] as const;
  return {
    ...Object.fromEntries(kinds.filter((kind) => form[kind] !== '').map((kind) => [kind, form[kind]])),
    keep: kinds.filter((kind) => form[kind] === ''),
  };
}
