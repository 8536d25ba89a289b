import { DateTime, IANAZone } from 'luxon';
import { seriesStarts, type ZoomRecurrence } from '../shared/recurrence';
import { canonicalZones } from './meetings.zones';

/**
 * Time zones and wall times, through luxon (no offset arithmetic by hand). Meetings are stored as a
 * UTC instant plus an IANA zone; Zoom receives the local wall time with the zone, so a weekly
 * 09:00 America/New_York class stays at 09:00 local across a DST change.
 */

/**
 * An IANA zone name, or an alias of one (`Asia/Calcutta`, which a browser or an older meeting may
 * send; `canonicalZone` gives its current name). luxon alone would also take 'local', 'system' and
 * 'UTC+5', which Zoom refuses.
 */
export function isTimeZone(zone: string): boolean {
  return zone === 'UTC' || IANAZone.isValidZone(zone);
}

/** Every zone the runtime knows, once, by the tz database's current name (`meetings.zones.ts`). */
export function timeZones(): readonly string[] {
  return canonicalZones();
}

/** A date (`yyyy-MM-dd`) and wall time (`HH:mm`) in a zone; invalid when the wall time does not exist. */
export function wallTime(date: string, time: string, zone: string): DateTime {
  const local = DateTime.fromISO(`${date}T${time}`, { zone });
  // A wall time skipped by a DST change (02:30 on a spring-forward night) moves; refuse it instead.
  if (local.isValid && local.toFormat("yyyy-MM-dd'T'HH:mm") !== `${date}T${time}`) {
    return DateTime.invalid('nonexistent wall time');
  }
  return local;
}

/** The local wall time Zoom expects with `timezone`: `yyyy-MM-ddTHH:mm:ss`, no offset. */
export function zoomLocalTime(instant: Date, zone: string): string {
  return DateTime.fromJSDate(instant, { zone }).toFormat("yyyy-MM-dd'T'HH:mm:ss");
}

/** Zoom's `start_time` (`…Z` UTC, or an offset) as an instant. */
export function fromZoomTime(value: string): Date {
  return DateTime.fromISO(value, { setZone: true }).toJSDate();
}

/** The UTC day of an instant, `yyyy-MM-dd` (Zoom's per-user limits reset at 00:00 UTC). */
export function utcDay(instant: number): string {
  return DateTime.fromMillis(instant, { zone: 'utc' }).toISODate() ?? '';
}

/** The next 00:00 UTC after an instant. */
export function nextUtcMidnight(instant: number): Date {
  return DateTime.fromMillis(instant, { zone: 'utc' }).startOf('day').plus({ days: 1 }).toJSDate();
}

/** An instant shown in a zone and locale: weekday, date and time, with the zone's short name. */
export function formatInstant(instant: Date, zone: string, locale: string): string {
  return DateTime.fromJSDate(instant, { zone })
    .setLocale(locale)
    .toLocaleString({ ...DateTime.DATETIME_MED_WITH_WEEKDAY, timeZoneName: 'short' });
}

/** Only the wall time, e.g. "9:00 AM" (for a series: "every Monday at 9:00 AM"). */
export function formatTime(instant: Date, zone: string, locale: string): string {
  return DateTime.fromJSDate(instant, { zone }).setLocale(locale).toLocaleString(DateTime.TIME_SIMPLE);
}

export function formatDate(instant: Date, zone: string, locale: string): string {
  return DateTime.fromJSDate(instant, { zone }).setLocale(locale).toLocaleString(DateTime.DATE_FULL);
}

/** "in 2 hours", "en 3 días": how long until an instant. */
export function relativeFrom(instant: Date, now: number, locale: string): string {
  return (
    DateTime.fromJSDate(instant)
      .setLocale(locale)
      .toRelative({ base: DateTime.fromMillis(now) }) ?? ''
  );
}

/** The form's values for an instant in a zone. */
export function formParts(instant: Date, zone: string): { date: string; time: string } {
  const local = DateTime.fromJSDate(instant, { zone });
  return { date: local.toFormat('yyyy-MM-dd'), time: local.toFormat('HH:mm') };
}

/**
 * The starts of a series from `start` until the end of `endDate` (23:59 local, in the start's zone),
 * as Zoom computes them (`src/shared/recurrence.ts`, which the Zoom simulator uses too): daily,
 * weekly on the given weekdays (Zoom's 1 = Sunday … 7 = Saturday) or monthly on the start's day of
 * the month, on the last day of a shorter month. At most `cap` of them.
 */
export function seriesStartsUntil(
  start: DateTime,
  repeats: 'daily' | 'weekly' | 'monthly',
  weekdays: number[],
  endDate: string,
  cap: number,
): DateTime[] {
  const recurrence: ZoomRecurrence = {
    type: repeats === 'daily' ? 1 : repeats === 'weekly' ? 2 : 3,
    repeat_interval: 1,
    weekly_days: repeats === 'weekly' ? weekdays.join(',') : undefined,
    monthly_day: repeats === 'monthly' ? start.day : undefined,
    end_date_time: seriesEnd(endDate, start.zoneName ?? 'UTC'),
  };
  return seriesStarts(start, recurrence, { max: cap, defaultEndTimes: cap });
}

/** Zoom's `end_date_time` of a series ending on a local date: 23:59 that day in the zone, in UTC. */
export function seriesEnd(endDate: string, zone: string): string {
  return wallTime(endDate, '23:59', zone).toUTC().toFormat("yyyy-MM-dd'T'HH:mm:ss'Z'");
}
