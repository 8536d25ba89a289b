import { DateTime } from 'luxon';

/**
 * The occurrences of a Zoom recurring meeting with a fixed time (type 8), as Zoom computes them. One
 * function for the meeting form's 50-occurrence check and for the Zoom simulator, so the two cannot
 * count a series differently (they did: the form skipped months without the 31st, Zoom does not).
 *
 * In the meeting's zone, at the first start's wall time (09:00 stays 09:00 across a DST change):
 * - daily (type 1) every `repeat_interval` days;
 * - weekly (type 2) on `weekly_days` ("2,4", Sunday = 1; the first start's weekday when absent) of
 *   every `repeat_interval`-th week, weeks starting on Sunday;
 * - monthly (type 3) on `monthly_day`, **on the month's last day when the month is shorter** (the
 *   31st is 30 April and 28 or 29 February), or on the `monthly_week`-th (−1 = last)
 *   `monthly_week_day` of every `repeat_interval`-th month.
 * It ends after `end_times` occurrences or at the instant `end_date_time` (UTC), and never has more
 * than `max` (with neither, `defaultEndTimes`).
 */
export interface ZoomRecurrence {
  type: number;
  repeat_interval?: number;
  weekly_days?: string;
  monthly_day?: number;
  monthly_week?: number;
  monthly_week_day?: number;
  end_times?: number;
  end_date_time?: string;
}

export interface RecurrenceLimits {
  max: number;
  defaultEndTimes: number;
}

/** A calendar date, kept as a UTC midnight so adding days and months is plain calendar arithmetic. */
type Day = DateTime;

/** Zoom numbers weekdays 1 = Sunday … 7 = Saturday; luxon 1 = Monday … 7 = Sunday. */
const zoomWeekday = (day: Day) => (day.weekday % 7) + 1;

/** A series never has more candidate dates than this (a guard against a recurrence that yields none). */
const MAX_CANDIDATES = 20_000;

/** The starts of the series whose first start is `first` (in the meeting's zone), in order. */
export function seriesStarts(first: DateTime, r: ZoomRecurrence, limits: RecurrenceLimits): DateTime[] {
  const count = Math.min(r.end_times ?? (r.end_date_time ? limits.max : limits.defaultEndTimes), limits.max);
  const until = r.end_date_time ? DateTime.fromISO(r.end_date_time, { setZone: true }) : undefined;
  const starts: DateTime[] = [];
  let candidates = 0;
  for (const day of seriesDays(r, DateTime.utc(first.year, first.month, first.day))) {
    candidates += 1;
    if (starts.length >= count || candidates > MAX_CANDIDATES) break;
    const at = DateTime.fromObject(
      {
        year: day.year,
        month: day.month,
        day: day.day,
        hour: first.hour,
        minute: first.minute,
        second: first.second,
        millisecond: first.millisecond,
      },
      { zone: first.zone },
    );
    if (until && at > until) break;
    if (at >= first) starts.push(at);
  }
  return starts;
}

/** The calendar days the recurrence falls on, from the first start's day on (never before it). */
function* seriesDays(r: ZoomRecurrence, first: Day): Generator<Day> {
  const interval = Math.max(1, r.repeat_interval ?? 1);
  if (r.type === 1) {
    for (let k = 0; ; k += 1) yield first.plus({ days: k * interval });
  }
  if (r.type === 2) {
    const weekdays = r.weekly_days
      ? [...new Set(r.weekly_days.split(',').map((d) => Number(d.trim())))].sort((a, b) => a - b)
      : [zoomWeekday(first)];
    const sunday = first.minus({ days: zoomWeekday(first) - 1 });
    for (let k = 0; ; k += 1) {
      for (const weekday of weekdays) {
        const day = sunday.plus({ days: k * 7 * interval + (weekday - 1) });
        if (day >= first) yield day;
      }
    }
  }
  const firstMonth = first.startOf('month');
  for (let k = 0; ; k += 1) {
    const month = firstMonth.plus({ months: k * interval });
    const day = month.set({ day: monthlyDay(r, month, first.day) });
    if (day >= first) yield day;
  }
}

/** The day of `month` a monthly series falls on: its `monthly_day` (or the last day), or its nth weekday. */
function monthlyDay(r: ZoomRecurrence, month: Day, fallback: number): number {
  const last = month.daysInMonth ?? 28;
  if (r.monthly_week !== undefined && r.monthly_week_day !== undefined) {
    if (r.monthly_week === -1) {
      const lastWeekday = zoomWeekday(month.set({ day: last }));
      return last - ((lastWeekday - r.monthly_week_day + 7) % 7);
    }
    const firstWeekday = zoomWeekday(month);
    return 1 + ((r.monthly_week_day - firstWeekday + 7) % 7) + (r.monthly_week - 1) * 7;
  }
  return Math.min(r.monthly_day ?? fallback, last);
}
