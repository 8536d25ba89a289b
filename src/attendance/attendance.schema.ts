import { z } from 'zod';

/**
 * The attendance pages' forms, checked at the edge. A refused form answers which fields to fix, as
 * message keys (`attendance.errors.*`), and changes nothing.
 */
export type FieldErrors = Record<string, string>;
export type Parsed<T> = { ok: true; value: T } | { ok: false; errors: FieldErrors };

/** Our ids are uuids: anything else names no instance (404, never a database error). */
export const idSchema = z.string().uuid();

export const REASON_MAX = 500;

const overrideSchema = z.discriminatedUnion('action', [
  z.object({
    action: z.literal('set'),
    userId: z.string().min(1).max(255),
    status: z.enum(['present', 'excused'], { message: 'attendance.errors.status' }),
    reason: z
      .string()
      .trim()
      .min(1, { message: 'attendance.errors.reasonRequired' })
      .max(REASON_MAX, { message: 'attendance.errors.reasonTooLong' }),
  }),
  z.object({ action: z.literal('clear'), userId: z.string().min(1).max(255) }),
]);

export type OverrideInput = z.infer<typeof overrideSchema>;

/** The override form: mark a student excused or present with a reason, or clear their override. */
export function parseOverrideForm(body: unknown): Parsed<OverrideInput> {
  const input = (body ?? {}) as Record<string, unknown>;
  const parsed = overrideSchema.safeParse({
    action: input.action,
    userId: input.userId,
    status: input.status,
    reason: typeof input.reason === 'string' ? input.reason : '',
  });
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: fieldErrors(parsed.error) };
}

const whole = (min: number, max: number, key: string) =>
  z
    .string({ message: key })
    .trim()
    .regex(/^\d{1,3}$/, { message: key })
    .transform(Number)
    .pipe(z.number().int().min(min, { message: key }).max(max, { message: key }));

const settingsSchema = z.object({
  presentPercent: whole(1, 100, 'attendance.errors.presentPercent'),
  lateMinutes: whole(0, 120, 'attendance.errors.lateMinutes'),
  counted: z
    .array(z.string().uuid({ message: 'attendance.errors.counted' }), {
      message: 'attendance.errors.counted',
    })
    .max(1000, { message: 'attendance.errors.counted' }),
  gradeMode: z.enum(['off', 'course', 'meeting'], { message: 'attendance.errors.gradeMode' }),
});

export type SettingsInput = z.infer<typeof settingsSchema>;

/** The rules form; `counted` is the meetings whose box is ticked (none ticked: the field is absent). */
export function parseSettingsForm(body: unknown): Parsed<SettingsInput> {
  const input = (body ?? {}) as Record<string, unknown>;
  const counted = input.counted === undefined ? [] : [input.counted].flat();
  const parsed = settingsSchema.safeParse({ ...input, counted });
  if (parsed.success) return { ok: true, value: parsed.data };
  return { ok: false, errors: fieldErrors(parsed.error) };
}

function fieldErrors(error: z.ZodError): FieldErrors {
  const errors: FieldErrors = {};
  for (const issue of error.issues) {
    const field = String(issue.path[0] ?? 'form');
    errors[field] ??= issue.message.startsWith('attendance.errors.')
      ? issue.message
      : 'attendance.errors.form';
  }
  return errors;
}

/** The grades settings' two fixes after a refusal of the LMS. */
export const gradesFixSchema = z.object({ action: z.enum(['recreate', 'stop']) });
