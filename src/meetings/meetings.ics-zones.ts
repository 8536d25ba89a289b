import tzNames from '@touch4it/ical-timezones/zones.js';
import { DateTime, IANAZone } from 'luxon';
import { runtimeName } from './meetings.zones';

/**
 * The time zones of the calendar feed (RFC 5545 §3.6.5: every TZID an event names needs its
 * VTIMEZONE in the same stream).
 *
 * Names: the form offers the runtime's zone names, which are CLDR's and keep the tz database's old
 * aliases (`Asia/Saigon`, `America/Buenos_Aires`); calendar apps know zones by the tz database's
 * names (`Asia/Ho_Chi_Minh`). ICU resolves a tz name to its CLDR name, so the tz names that
 * @touch4it/ical-timezones lists, resolved, give the way back. A zone it does not list (newer than
 * its data) keeps its own name.
 *
 * Definitions: written from the runtime's own zone data, the data luxon used for the events' wall
 * times, so the two cannot disagree. (The VTIMEZONEs @touch4it/ical-timezones ships are tzurl's
 * 2018 data: about 30 zones whose rules changed since, such as Mexico City, São Paulo, Tehran or
 * Cairo, were an hour off there, and zones made since were missing.) Each change of offset between
 * the feed's first and last event is its own observance with its own DTSTART, without RRULE.
 */

/** CLDR's name of a zone (the runtime's) → the tz database's. */
const TZ_NAME_OF: ReadonlyMap<string, string> = (() => {
  const names = new Map<string, string>();
  for (const file of Object.values(tzNames)) {
    const name = file.replace(/\.ics$/, '');
    const cldr = runtimeName(name);
    if (cldr && !names.has(cldr)) names.set(cldr, name);
  }
  return names;
})();

/** The tz database's name of a zone the runtime knows (`Asia/Saigon` → `Asia/Ho_Chi_Minh`). */
export function calendarZoneName(zone: string): string {
  const cldr = runtimeName(zone);
  return (cldr && TZ_NAME_OF.get(cldr)) ?? zone;
}

const DAY_MS = 24 * 60 * 60_000;
const MINUTE_MS = 60_000;

/**
 * A VTIMEZONE named `name` with `zone`'s offsets from `from` to `to`: the observance in force at
 * `from` (from 1970 on), then one per change of offset.
 */
export function vtimezone(name: string, zone: string, from: Date, to: Date): string {
  const tz = IANAZone.create(zone);
  const start = Math.floor((from.getTime() - DAY_MS) / MINUTE_MS) * MINUTE_MS;
  const lines = ['BEGIN:VTIMEZONE', `TZID:${name}`, `X-LIC-LOCATION:${name}`];
  const initial = tz.offset(start);
  lines.push(...observance(zone, start, initial, initial, '19700101T000000'));
  let before = initial;
  for (let day = start + DAY_MS; day <= to.getTime() + DAY_MS; day += DAY_MS) {
    if (tz.offset(day) === before) continue;
    const at = changeBetween(tz, day - DAY_MS, day);
    const after = tz.offset(at);
    const onset = DateTime.fromMillis(at, { zone: 'utc' }).plus({ minutes: before });
    lines.push(...observance(zone, at, before, after, onset.toFormat("yyyyMMdd'T'HHmmss")));
    before = after;
  }
  lines.push('END:VTIMEZONE');
  return `${lines.join('\r\n')}\r\n`;
}

/** The first minute in (low, high] with `high`'s offset. */
function changeBetween(tz: IANAZone, low: number, high: number): number {
  let [lo, hi] = [low, high];
  while (hi - lo > MINUTE_MS) {
    const mid = lo + Math.floor((hi - lo) / 2 / MINUTE_MS) * MINUTE_MS;
    if (tz.offset(mid) === tz.offset(high)) hi = mid;
    else lo = mid;
  }
  return hi;
}

function observance(zone: string, at: number, from: number, to: number, dtstart: string): string[] {
  const local = DateTime.fromMillis(at, { zone });
  const kind = local.isInDST ? 'DAYLIGHT' : 'STANDARD';
  return [
    `BEGIN:${kind}`,
    `DTSTART:${dtstart}`,
    `TZOFFSETFROM:${utcOffset(from)}`,
    `TZOFFSETTO:${utcOffset(to)}`,
    `TZNAME:${local.setLocale('en-US').toFormat('ZZZZ')}`,
    `END:${kind}`,
  ];
}

/** `+0530`, `-0300`: RFC 5545's UTC offset. */
function utcOffset(minutes: number): string {
  const sign = minutes < 0 ? '-' : '+';
  const abs = Math.abs(minutes);
  return `${sign}${String(Math.floor(abs / 60)).padStart(2, '0')}${String(abs % 60).padStart(2, '0')}`;
}
