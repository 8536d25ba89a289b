import { DateTime } from 'luxon';
import type * as repo from './attendance.pages.repo';

/** How the attendance pages say things: times in the viewer's zone, statuses, flags, rates, CSV cells. */
export type Status = 'present' | 'late' | 'absent' | 'excused';
export const STATUSES: readonly Status[] = ['present', 'late', 'absent', 'excused'];

export interface Viewer {
  timeZone: string;
  /** The locale for Intl (the launch's). */
  locale: string;
  t(key: string, values?: Record<string, unknown>): string;
}

export const effectiveStatus = (row: Pick<repo.ResultRow, 'status' | 'overrideStatus'>): Status =>
  row.overrideStatus ?? row.status;
export const attended = (status: Status) => status !== 'absent';

/** A student's row's HTML id (LMS user ids may hold any character). */
export const anchorOf = (lmsUserId: string) => `s-${Buffer.from(lmsUserId).toString('hex')}`;

/** "Mon, Dec 7, 2026, 9:00 AM EST" in the viewer's zone and language. */
export function whenText(instant: Date | null, viewer: Viewer): string {
  if (!instant) return '';
  return DateTime.fromJSDate(instant, { zone: viewer.timeZone })
    .setLocale(viewer.locale)
    .toLocaleString({ ...DateTime.DATETIME_MED_WITH_WEEKDAY, timeZoneName: 'short' });
}

export function timeText(instant: Date | string, viewer: Viewer): string {
  const date = typeof instant === 'string' ? new Date(instant) : instant;
  return DateTime.fromJSDate(date, { zone: viewer.timeZone })
    .setLocale(viewer.locale)
    .toLocaleString(DateTime.TIME_SIMPLE);
}

/** "Eastern Standard Time (America/New_York)". */
export function zoneText(viewer: Viewer, now: number): string {
  const name = DateTime.fromMillis(now, { zone: viewer.timeZone }).setLocale(viewer.locale).offsetNameLong;
  return name ? `${name} (${viewer.timeZone})` : viewer.timeZone;
}

/** A flag of a result (attendance.compute.ts: `name:<display name>`, `zoom_user:<display name>`) in words. */
export function flagText(flag: string, viewer: Viewer): string {
  const at = flag.indexOf(':');
  const code = (at < 0 ? flag : flag.slice(0, at)).toLowerCase();
  const detail = at < 0 ? '' : flag.slice(at + 1);
  if (code === 'name' && detail) return viewer.t('attendance.flags.name', { detail });
  if (code === 'zoom_user') return viewer.t('attendance.flags.zoomUser', { detail });
  return viewer.t('attendance.flags.other', { detail: flag });
}

export function instanceState(instance: repo.InstanceRow): 'final' | 'waiting' | 'inProgress' {
  if (instance.finalAt) return 'final';
  return instance.endedAt ? 'waiting' : 'inProgress';
}

/** Minutes of a union of intervals (results store the union already; guests' sessions are merged here). */
export function unionSeconds(intervals: Array<{ from: Date; to: Date }>): number {
  const sorted = [...intervals].sort((a, b) => a.from.getTime() - b.from.getTime());
  let total = 0;
  let end = -Infinity;
  for (const { from, to } of sorted) {
    const start = Math.max(from.getTime(), end);
    if (to.getTime() > start) total += to.getTime() - start;
    end = Math.max(end, to.getTime());
  }
  return Math.round(total / 1000);
}

/** Active students first, then by name in the viewer's language (the same order on every database). */
export function byName(people: repo.PersonRow[], viewer: Viewer): repo.PersonRow[] {
  const collator = new Intl.Collator(viewer.locale, { sensitivity: 'base', numeric: true });
  return [...people].sort(
    (a, b) =>
      Number(a.state === 'removed') - Number(b.state === 'removed') ||
      collator.compare(a.name || a.lmsUserId, b.name || b.lmsUserId) ||
      (a.lmsUserId < b.lmsUserId ? -1 : 1),
  );
}

export function rateOf(tally: { attended: number; held: number } | undefined) {
  if (!tally || tally.held === 0) return undefined;
  return { ...tally, percent: Math.round((tally.attended / tally.held) * 100) };
}

export function studentRow(person: repo.PersonRow, row: repo.ResultRow | undefined, viewer: Viewer) {
  const status = row ? effectiveStatus(row) : undefined;
  const intervals: Array<{ from: string; to: string }> = row?.intervals ?? [];
  return {
    userId: person.lmsUserId,
    anchor: anchorOf(person.lmsUserId),
    name: person.name || person.lmsUserId,
    removed: person.state === 'removed',
    computed: row !== undefined,
    status: status ?? 'none',
    statusText: viewer.t(`attendance.status.${status ?? 'none'}`),
    computedText: row ? viewer.t(`attendance.status.${row.status}`) : '',
    override: row?.overrideStatus
      ? { status: row.overrideStatus, reason: row.overrideReason ?? '' }
      : undefined,
    intervals: intervals.map((i) => ({ from: timeText(i.from, viewer), to: timeText(i.to, viewer) })),
    intervalsIso: intervals,
    firstJoinIso: row?.firstJoinAt?.toISOString(),
    minutes: row ? Math.round(row.seconds / 60) : 0,
    flags: (row?.flags ?? []).map((flag) => flagText(flag, viewer)),
  };
}

/** Sessions of people who are not on the roster, one entry per person (by Zoom's email, else name). */
export function groupSessions(sessions: repo.SessionRow[], viewer: Viewer) {
  const people = new Map<string, { name: string; email: string; sessions: repo.SessionRow[] }>();
  for (const s of sessions) {
    const key = s.email?.toLowerCase() || s.zoomAccountUserId || s.displayName || s.participantUuid;
    const person = people.get(key) ?? { name: s.displayName, email: s.email ?? '', sessions: [] };
    person.sessions.push(s);
    people.set(key, person);
  }
  return [...people.values()].map((person) => {
    const closed = person.sessions
      .filter((s) => s.joinedAt)
      .map((s) => ({ from: s.joinedAt as Date, to: s.leftAt }));
    return {
      name: person.name,
      email: person.email,
      intervals: closed.map((i) => ({
        from: timeText(i.from, viewer),
        to: i.to ? timeText(i.to, viewer) : undefined,
      })),
      minutes: Math.round(
        unionSeconds(closed.filter((i) => i.to).map((i) => ({ from: i.from, to: i.to as Date }))) / 60,
      ),
    };
  });
}

/** One CSV cell: a leading = + - @ (or tab, carriage return) gets a ' so no spreadsheet runs it; quoted when needed. */
export function csvCell(value: string): string {
  const safe = /^[=+\-@\t\r]/.test(value) ? `'${value}` : value;
  return /[",\r\n]/.test(safe) ? `"${safe.replace(/"/g, '""')}"` : safe;
}

/** True when another student of the list has the same name (the page then shows their LMS user ids). */
export function sharesName(people: repo.PersonRow[], person: repo.PersonRow): boolean {
  const name = (person.name || person.lmsUserId).trim().toLowerCase();
  return people.some(
    (other) =>
      other.lmsUserId !== person.lmsUserId && (other.name || other.lmsUserId).trim().toLowerCase() === name,
  );
}
