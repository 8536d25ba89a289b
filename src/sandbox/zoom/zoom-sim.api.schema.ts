import { z } from 'zod';
import { zoomErrors, type FieldError } from './zoom-sim.errors';

/**
 * Request bodies of the Zoom API endpoints the simulator serves, checked the way Zoom checks them:
 * a failure answers code 300 "Validation Failed." with one `errors[]` entry per bad field.
 */
const PASSWORD = /^[a-zA-Z0-9@\-_*]{1,10}$/;

export const userCreateSchema = z.object({
  action: z.enum(['create', 'autoCreate', 'custCreate', 'ssoCreate']),
  user_info: z.object({
    email: z.email().max(128),
    type: z.union([z.literal(1), z.literal(2), z.literal(99)]),
    first_name: z.string().max(64).optional(),
    last_name: z.string().max(64).optional(),
    display_name: z.string().max(128).optional(),
    password: z.string().min(8).max(32).optional(),
  }),
});
export type UserCreateBody = z.infer<typeof userCreateSchema>;

export const userUpdateSchema = z.looseObject({
  first_name: z.string().max(64).optional(),
  last_name: z.string().max(64).optional(),
  display_name: z.string().max(128).optional(),
  type: z.union([z.literal(1), z.literal(2), z.literal(99)]).optional(),
  timezone: z.string().optional(),
  language: z.string().optional(),
  dept: z.string().optional(),
});
export type UserUpdateBody = z.infer<typeof userUpdateSchema>;

/** `PUT /users/{userId}/status`. */
export const userStatusSchema = z.object({ action: z.enum(['activate', 'deactivate']) });

/** `DELETE /users/{userId}` query: `action` (default disassociate) and the transfer of meetings. */
export const userDeleteQuerySchema = z.looseObject({
  action: z.enum(['disassociate', 'delete']).default('disassociate'),
  transfer_email: z.string().optional(),
  transfer_meeting: z.enum(['true', 'false']).optional(),
});

const recurrenceSchema = z
  .object({
    type: z.union([z.literal(1), z.literal(2), z.literal(3)]),
    repeat_interval: z.number().int().min(1).optional(),
    weekly_days: z
      .union([z.string(), z.number().int()])
      .transform(String)
      .refine((s) => s.split(',').every((d) => /^[1-7]$/.test(d.trim())), 'Invalid field.')
      .optional(),
    monthly_day: z.number().int().min(1).max(31).optional(),
    monthly_week: z.union([z.literal(-1), z.literal(1), z.literal(2), z.literal(3), z.literal(4)]).optional(),
    monthly_week_day: z.number().int().min(1).max(7).optional(),
    end_times: z.number().int().min(1).optional(),
    end_date_time: z.iso.datetime().optional(),
  })
  .superRefine((r, issue) => {
    const max = r.type === 1 ? 90 : r.type === 2 ? 12 : 3;
    if (r.repeat_interval !== undefined && r.repeat_interval > max) {
      issue.addIssue({ code: 'custom', path: ['repeat_interval'], message: 'Invalid field.' });
    }
    if (r.end_times !== undefined && r.end_date_time !== undefined) {
      issue.addIssue({
        code: 'custom',
        path: ['end_date_time'],
        message: 'end_times and end_date_time cannot be used together.',
      });
    }
  });

const settingsSchema = z.looseObject({
  host_video: z.boolean().optional(),
  participant_video: z.boolean().optional(),
  join_before_host: z.boolean().optional(),
  mute_upon_entry: z.boolean().optional(),
  watermark: z.boolean().optional(),
  use_pmi: z.boolean().optional(),
  waiting_room: z.boolean().optional(),
  approval_type: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  audio: z.enum(['both', 'telephony', 'voip', 'thirdParty']).optional(),
  auto_recording: z.enum(['local', 'cloud', 'none']).optional(),
  alternative_hosts: z.string().optional(),
  enforce_login: z.boolean().optional(),
  enforce_login_domains: z.string().optional(),
});

const meetingFields = {
  topic: z.string().max(200).optional(),
  type: z.union([z.literal(1), z.literal(2), z.literal(3), z.literal(8)]).optional(),
  start_time: z.string().optional(),
  duration: z.number().int().min(0).optional(),
  timezone: z.string().optional(),
  password: z
    .string()
    .regex(
      PASSWORD,
      'Password may only contain the following characters: [a-z A-Z 0-9 @ - _ *]. Max of 10 characters.',
    )
    .optional(),
  agenda: z.string().max(2000).optional(),
  schedule_for: z.string().optional(),
  recurrence: recurrenceSchema.optional(),
  settings: settingsSchema.optional(),
  tracking_fields: z.array(z.object({ field: z.string(), value: z.string() })).optional(),
  default_password: z.boolean().optional(),
  pre_schedule: z.boolean().optional(),
};

export const meetingCreateSchema = z.looseObject(meetingFields);
export type MeetingCreateBody = z.infer<typeof meetingCreateSchema>;
/** An update may send an empty `password`: the meeting's passcode is removed (unless the account requires one). */
export const meetingUpdateSchema = z.looseObject({
  ...meetingFields,
  password: z.union([z.literal(''), meetingFields.password.unwrap()]).optional(),
});
export type MeetingUpdateBody = z.infer<typeof meetingUpdateSchema>;

/** Parses or throws Zoom's 300 with `errors[{field, message}]`. */
export function parseBody<T>(schema: z.ZodType<T>, body: unknown, prefix = ''): T {
  const parsed = schema.safeParse(body ?? {});
  if (parsed.success) return parsed.data;
  const errors: FieldError[] = parsed.error.issues.map((issue) => ({
    field: prefix + (issue.path.length ? issue.path.map(String).join('.') : 'body'),
    message:
      issue.code === 'custom' || ('format' in issue && issue.format === 'regex')
        ? issue.message
        : 'Invalid field.',
  }));
  throw zoomErrors.validation(errors);
}
