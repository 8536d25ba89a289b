import { addDays, daysInMonth, localParts, zonedToUtc, zoomWeekday } from './zoom-sim.time';
import type { SimRecurrence } from './zoom-sim.types';

/**
 * The occurrences of a recurring meeting with fixed time (type 8), computed like Zoom: in the
 * meeting's time zone at the start's local time of day. Daily every `repeat_interval` days; weekly
 * on `weekly_days` ("1,3,5", Sunday = 1) of every `repeat_interval`-th week (weeks start on
 * Sunday); monthly on `monthly_day` (clamped to the month's last day) or on the `monthly_week`-th
 * (−1 = last) `monthly_week_day` of every `repeat_interval`-th month. It ends after `end_times`
 * occurrences or at `end_date_time`, never beyond `max` occurrences.
 */
export interface RecurrenceLimits {
  max: number;
  defaultEndTimes: number;
}

type LocalDate = { year: number; month: number; day: number };

const cmp = (a: LocalDate, b: LocalDate) => a.year - b.year || a.month - b.month || a.day - b.day;

export function weeklyDays(r: SimRecurrence, fallback: number): number[] {
  if (!r.weekly_days) return [fallback];
  return [...new Set(r.weekly_days.split(',').map((d) => Number(d.trim())))].sort((a, b) => a - b);
}

function* candidates(r: SimRecurrence, first: LocalDate): Generator<LocalDate> {
  const interval = Math.max(1, r.repeat_interval ?? 1);
  if (r.type === 1) {
    for (let k = 0; ; k += 1) yield addDays(first, k * interval);
  }
  if (r.type === 2) {
    const days = weeklyDays(r, zoomWeekday(first.year, first.month, first.day));
    const weekStart = addDays(first, -(zoomWeekday(first.year, first.month, first.day) - 1));
    for (let k = 0; ; k += 1) {
      for (const day of days) {
        const date = addDays(weekStart, k * 7 * interval + (day - 1));
        if (cmp(date, first) >= 0) yield date;
      }
    }
  }
  for (let k = 0; ; k += 1) {
    const index = first.month - 1 + k * interval;
    const year = first.year + Math.floor(index / 12);
    const month = (index % 12) + 1;
    const date = { year, month, day: monthlyDay(r, year, month, first.day) };
    if (cmp(date, first) >= 0) yield date;
  }
}

function monthlyDay(r: SimRecurrence, year: number, month: number, fallback: number): number {
  const last = daysInMonth(year, month);
  if (r.monthly_week !== undefined && r.monthly_week_day !== undefined) {
    if (r.monthly_week === -1) {
      const lastWeekday = zoomWeekday(year, month, last);
      return last - ((lastWeekday - r.monthly_week_day + 7) % 7);
    }
    const firstWeekday = zoomWeekday(year, month, 1);
    return 1 + ((r.monthly_week_day - firstWeekday + 7) % 7) + (r.monthly_week - 1) * 7;
  }
  return Math.min(r.monthly_day ?? fallback, last);
}

/** Start instants (UTC ms) of the occurrences. */
export function occurrenceStarts(
  start: number,
  timeZone: string,
  r: SimRecurrence,
  limits: RecurrenceLimits,
): number[] {
  const local = localParts(start, timeZone);
  const first = { year: local.year, month: local.month, day: local.day };
  const count = Math.min(r.end_times ?? (r.end_date_time ? limits.max : limits.defaultEndTimes), limits.max);
  const until = r.end_date_time ? Date.parse(r.end_date_time) : Number.POSITIVE_INFINITY;
  const out: number[] = [];
  let guard = 0;
  for (const date of candidates(r, first)) {
    guard += 1;
    if (out.length >= count || guard > 20_000) break;
    const at = zonedToUtc(
      { ...date, hour: local.hour, minute: local.minute, second: local.second },
      timeZone,
    );
    if (at > until) break;
    if (at >= start) out.push(at);
  }
  return out;
}
