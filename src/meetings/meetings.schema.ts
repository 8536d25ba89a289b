import { z } from 'zod';
import type { MeetingRecurrence, MeetingSettings } from '../storage/storage.schema';
import type { DateTime } from 'luxon';
import { isTimeZone, seriesEnd, seriesStartsUntil, wallTime } from './meetings.time';
import { canonicalZone } from './meetings.zones';

/** Zoom: at most 10 characters of `[A-Za-z0-9@-_*]` (ZOOM-NOTES "Meetings"). */
export const PASSCODE = /^[A-Za-z0-9@\-_*]{1,10}$/;
/** Zoom refuses a series of more than 50 occurrences. */
export const MAX_OCCURRENCES = 50;
export const MAX_DURATION_MINUTES = 24 * 60;

const checkbox = z.preprocess((value) => value === 'on' || value === 'true' || value === true, z.boolean());
const list = z.preprocess(
  (value) => (value === undefined || value === '' ? [] : Array.isArray(value) ? value : [value]),
  z.array(z.string()),
);
const trimmed = z.preprocess((value) => (typeof value === 'string' ? value.trim() : value), z.string());

/**
 * The meeting form as posted (labels in the issue: Topic, Date, Start time, Duration (minutes), Time
 * zone, Repeats + On, Ends, Passcode, Waiting room, Allow participants to join before host, Record
 * automatically to the cloud, Alternative hosts). Messages are catalog keys (`meetings.errors.*`).
 */
export const meetingFormSchema = z.object({
  intent: z.string().regex(/^[A-Za-z0-9_-]{16,64}$/, 'intent'),
  topic: trimmed.pipe(z.string().min(1, 'topic_required').max(200, 'topic_too_long')),
  date: z.string().regex(/^\d{4}-\d{2}-\d{2}$/, 'date_invalid'),
  startTime: z.string().regex(/^\d{2}:\d{2}$/, 'time_invalid'),
  duration: z.coerce
    .number({ error: 'duration_invalid' })
    .int('duration_invalid')
    .min(1, 'duration_invalid')
    .max(MAX_DURATION_MINUTES, 'duration_invalid'),
  // An alias (a browser's `Asia/Calcutta`, an older meeting's) is taken by its current name.
  timeZone: z.string().refine(isTimeZone, 'zone_invalid').transform(canonicalZone),
  repeats: z.enum(['never', 'daily', 'weekly', 'monthly'], { error: 'repeats_invalid' }),
  on: list.pipe(z.array(z.enum(['1', '2', '3', '4', '5', '6', '7'], { error: 'weekday_invalid' }))),
  ends: z.enum(['date', 'after'], { error: 'ends_invalid' }).optional(),
  endDate: z.string().optional(),
  endAfter: z.string().optional(),
  passcode: trimmed.pipe(z.union([z.literal(''), z.string().regex(PASSCODE, 'passcode_invalid')])).optional(),
  waitingRoom: checkbox,
  joinBeforeHost: checkbox,
  autoRecord: checkbox,
  alternativeHosts: list.pipe(z.array(z.email({ error: 'alternative_host_invalid' }))),
  // Sections (meetings.sections.ts): the whole course unless "Only these sections" is chosen.
  audience: z.enum(['course', 'sections'], { error: 'sections_invalid' }).optional(),
  sections: list.pipe(z.array(z.string().min(1, 'sections_invalid').max(255, 'sections_invalid'))),
});

export type MeetingFormInput = z.input<typeof meetingFormSchema>;

/** A valid request to schedule (or edit) a meeting. */
export interface MeetingRequest {
  intent: string;
  topic: string;
  start: Date;
  durationMinutes: number;
  timeZone: string;
  recurrence: MeetingRecurrence | undefined;
  passcode: string | undefined;
  settings: MeetingSettings;
  /** The sections it is meant for (checked against the course's by meetings.sections.ts); empty or absent: the whole course. */
  sectionIds?: string[];
}

/** A catalog key (`meetings.errors.*`), or one with the values its message names. */
export type FieldError = string | { key: string; values: Record<string, string | number | Date> };

export type FieldErrors = Partial<Record<string, FieldError>>;

/** The form's values as posted (strings), to show it again with its errors. */
export type FormValues = Record<string, string | string[] | undefined>;

const topicLength = (body: unknown) => {
  const topic = (body as { topic?: unknown } | undefined)?.topic;
  return typeof topic === 'string' ? topic.trim().length : 0;
};

/**
 * Checks a posted form: a meeting request, or the errors per field (catalog keys). `now` decides
 * what is in the past; an edit may keep a start that has passed only if `allowPastStart`.
 */
export function parseMeetingForm(
  body: unknown,
  now: number,
  options: { allowPastStart?: boolean } = {},
): { ok: true; value: MeetingRequest } | { ok: false; errors: FieldErrors } {
  const parsed = meetingFormSchema.safeParse(body);
  if (!parsed.success) {
    const errors: FieldErrors = {};
    for (const issue of parsed.error.issues) errors[String(issue.path[0] ?? 'form')] ??= issue.message;
    // A topic too long says how long it is (a paste is refused whole, never cut).
    if (errors.topic === 'topic_too_long')
      errors.topic = { key: 'topic_too_long', values: { length: topicLength(body) } };
    return { ok: false, errors };
  }
  const form = parsed.data;
  const errors: FieldErrors = {};
  const start = wallTime(form.date, form.startTime, form.timeZone);
  if (!start.isValid) errors.startTime = 'time_invalid';
  else if (!options.allowPastStart && start.toMillis() < now) errors.date = 'date_past';

  let recurrence: MeetingRecurrence | undefined;
  if (form.repeats !== 'never' && start.isValid) {
    const type = form.repeats === 'daily' ? 1 : form.repeats === 'weekly' ? 2 : 3;
    const weekdays = form.on.map(Number);
    if (form.repeats === 'weekly' && weekdays.length === 0) errors.on = 'weekday_required';
    recurrence = { type, repeat_interval: 1 };
    if (form.repeats === 'weekly') recurrence.weekly_days = [...new Set(weekdays)].sort().join(',');
    if (form.repeats === 'monthly') recurrence.monthly_day = start.day;
    if (form.ends === 'after') {
      const times = Number(form.endAfter);
      if (!Number.isInteger(times) || times < 1) errors.endAfter = 'end_after_invalid';
      else if (times > MAX_OCCURRENCES) errors.endAfter = 'too_many_occurrences';
      else recurrence.end_times = times;
    } else if (form.ends === 'date') {
      if (!form.endDate || !/^\d{4}-\d{2}-\d{2}$/.test(form.endDate)) errors.endDate = 'end_date_invalid';
      else if (form.endDate < form.date) errors.endDate = 'end_date_before_start';
      else {
        const tooMany = tooManyOccurrences(start, form.repeats, weekdays, form.endDate);
        if (tooMany) errors.endDate = tooMany;
        else recurrence.end_date_time = seriesEnd(form.endDate, form.timeZone);
      }
    } else {
      errors.ends = 'ends_invalid';
    }
  }
  if (form.audience === 'sections' && form.sections.length === 0) errors.sections = 'sections_required';
  if (Object.keys(errors).length > 0) return { ok: false, errors };
  return {
    ok: true,
    value: {
      intent: form.intent,
      topic: form.topic,
      start: start.toJSDate(),
      durationMinutes: form.duration,
      timeZone: form.timeZone,
      recurrence,
      passcode: form.passcode || undefined,
      settings: {
        waitingRoom: form.waitingRoom,
        joinBeforeHost: form.joinBeforeHost,
        autoRecording: form.autoRecord ? 'cloud' : 'none',
        alternativeHosts: [...new Set(form.alternativeHosts.map((email) => email.toLowerCase()))],
      },
      sectionIds: form.audience === 'sections' ? [...new Set(form.sections)] : [],
    },
  };
}

/** Counting stops here: a longer series is refused as "more than 1,000 occurrences". */
const COUNT_CAP = 1000;

/**
 * A series ending on a date that Zoom would cut short (it keeps the first 50 occurrences and drops
 * the rest without a word): the refusal names the count and the last date Zoom would keep.
 */
function tooManyOccurrences(
  start: DateTime,
  repeats: 'daily' | 'weekly' | 'monthly',
  weekdays: number[],
  endDate: string,
): FieldError | undefined {
  const starts = seriesStartsUntil(start, repeats, weekdays, endDate, COUNT_CAP + 1);
  const lastKept = starts[MAX_OCCURRENCES - 1];
  if (starts.length <= MAX_OCCURRENCES || !lastKept) return undefined;
  // The local date, as a UTC midnight the catalog formats with `timeZone: UTC`.
  const last = new Date(Date.UTC(lastKept.year, lastKept.month - 1, lastKept.day));
  return starts.length > COUNT_CAP
    ? { key: 'too_many_occurrences_until_far', values: { count: COUNT_CAP, last } }
    : { key: 'too_many_occurrences_until', values: { count: starts.length, last } };
}

/** Delete: the whole series, or one occurrence of it. */
export const deleteFormSchema = z.object({
  scope: z.enum(['all', 'occurrence']).default('all'),
  occurrenceId: z
    .string()
    .regex(/^\d{1,20}$/)
    .optional(),
});

export const recordingsFormSchema = z.object({ show: checkbox });
