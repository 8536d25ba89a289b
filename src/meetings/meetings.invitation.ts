import { DateTime } from 'luxon';
import type { Translator } from '../shared/i18n';
import type { MeetingWithDetails } from './meetings.repo';
import type { Viewer } from './meetings.presenter';
import { formatDate, formatInstant, formatTime } from './meetings.time';
import { canonicalZone } from './meetings.zones';

/** An invitation lists at most this many of a series' next dates, then "and N more" (Zoom lists them all). */
export const INVITATION_DATES = 10;

/** Zoom's invitation indents a series' rule and dates under its "Time:" line. */
const INDENT = '        ';

/**
 * The invitation text staff copy, as Zoom's own (in the launch's language, times in the meeting's
 * zone, named): for a series, under the time, its rule with how it ends and its next dates.
 */
export function invitationText(
  meeting: MeetingWithDetails,
  viewer: Viewer,
  options: { hostName: string; next: Date },
): string {
  const { t, locale } = viewer.translator;
  const zone = meeting.timeZone;
  const time = `${formatInstant(options.next, zone, locale)} (${zoneName(zone, locale)})`;
  const series = meeting.recurrence ? seriesLines(meeting, viewer) : [];
  return [
    t('meetings.invitation', {
      host: options.hostName,
      topic: meeting.topic,
      time: [time, ...series.map((line) => INDENT + line)].join('\n'),
      joinUrl: meeting.joinUrl ?? '',
      meetingId: meeting.zoomMeetingId ?? '',
    }),
    meeting.passcode ? t('meetings.invitationPasscode', { passcode: meeting.passcode }) : undefined,
  ]
    .filter(Boolean)
    .join('\n');
}

/** A series' rule and end ("Every week on Monday, 4 occurrences"), then its next dates, in its zone. */
function seriesLines(meeting: MeetingWithDetails, viewer: Viewer): string[] {
  const { t, locale } = viewer.translator;
  const recurrence = meeting.recurrence;
  if (!recurrence) return [];
  const zone = meeting.timeZone;
  const ends = recurrence.end_date_time
    ? t('series.endsOn', { date: formatDate(new Date(recurrence.end_date_time), zone, locale) })
    : t('series.endsAfter', {
        count: recurrence.end_times ?? meeting.occurrences.filter((o) => o.status === 'available').length,
      });
  const upcoming = meeting.occurrences.filter(
    (o) => o.status === 'available' && o.startTime.getTime() + o.durationMinutes * 60_000 > viewer.now,
  );
  const shown = upcoming.slice(0, INVITATION_DATES).map((o) => formatInstant(o.startTime, zone, locale));
  const more = upcoming.length - shown.length;
  return [
    `${ruleText(meeting, viewer.translator)}, ${ends}`,
    ...shown,
    ...(more > 0 ? [t('series.andMore', { count: more })] : []),
  ];
}

/**
 * A series' rule and time ("Every week on Sunday, 8:00 PM"), or undefined for a single meeting. The
 * rule is Zoom's, so its weekdays and time are the meeting's zone's; when the viewer is in another
 * zone the time names it ("8:00 PM New York time"), rather than mixing a Madrid time with New York days.
 */
export function recurrenceText(meeting: MeetingWithDetails, viewer: Viewer): string | undefined {
  const { t, locale } = viewer.translator;
  if (!meeting.recurrence) return undefined;
  const zone = meeting.timeZone;
  const time = formatTime(meeting.startTime, zone, locale);
  const same = canonicalZone(zone) === canonicalZone(viewer.timeZone); // US/Eastern is New York
  const at = same ? time : t('series.atInZone', { time, zone: zoneName(zone, locale) });
  return `${ruleText(meeting, viewer.translator)}, ${at}`;
}

/** The rule alone ("Every 2 weeks on Monday, Wednesday"), in the meeting's zone. */
function ruleText(meeting: MeetingWithDetails, translator: Translator): string {
  const { t } = translator;
  const recurrence = meeting.recurrence!;
  const first = DateTime.fromJSDate(meeting.startTime, { zone: meeting.timeZone });
  const count = Math.max(1, recurrence.repeat_interval ?? 1);
  const weekday = (day: number | string) => t(`meetings.form.weekdays.${day}`);
  if (recurrence.type === 1) return count > 1 ? t('series.everyDays', { count }) : t('meetings.repeatsDaily');
  if (recurrence.type === 3) {
    // Like Zoom: a day some months lack (29–31) falls on the last day of those months.
    const day = recurrence.monthly_day ?? first.day;
    const key =
      count > 1
        ? day > 28
          ? 'series.everyMonthsLastDay'
          : 'series.everyMonths'
        : day > 28
          ? 'meetings.repeatsMonthlyLastDay'
          : 'meetings.repeatsMonthly';
    return t(key, { count, day });
  }
  // Zoom numbers weekdays 1 = Sunday … 7 = Saturday; without any, the series keeps its first's.
  const numbers = (recurrence.weekly_days ?? '').split(',').filter(Boolean);
  const days = (numbers.length > 0 ? numbers : [String((first.weekday % 7) + 1)]).map(weekday).join(', ');
  return count > 1 ? t('series.everyWeeks', { count, days }) : t('meetings.repeatsWeekly', { days });
}

/**
 * A zone as people name it: its city ("America/New_York" → "New York", as Zoom's invitation does),
 * or its offset for a zone without one ("Etc/GMT+5" → "GMT-5", "UTC").
 */
export function zoneName(zone: string, locale: string): string {
  const city = zone.startsWith('Etc/') ? undefined : zone.split('/').slice(1).at(-1);
  if (city) return city.replace(/_/g, ' ');
  return DateTime.now().setZone(zone).setLocale(locale).toFormat('ZZZZ') || zone;
}
