import type { MeetingWithDetails } from './meetings.repo';
import type { Viewer } from './meetings.presenter';
import { formatInstant, formatTime } from './meetings.time';

/** The invitation text staff copy (Zoom's own invitation, in the launch's language). */
export function invitationText(
  meeting: MeetingWithDetails,
  viewer: Viewer,
  options: { hostName: string; next: Date },
): string {
  const { t, locale } = viewer.translator;
  return [
    t('meetings.invitation', {
      host: options.hostName,
      topic: meeting.topic,
      time: `${formatInstant(options.next, meeting.timeZone, locale)} (${meeting.timeZone})`,
      joinUrl: meeting.joinUrl ?? '',
      meetingId: meeting.zoomMeetingId ?? '',
    }),
    meeting.passcode ? t('meetings.invitationPasscode', { passcode: meeting.passcode }) : undefined,
  ]
    .filter(Boolean)
    .join('\n');
}

/** A series' rule ("Every week on Monday, 4:00 PM"), or undefined for a single meeting. */
export function recurrenceText(meeting: MeetingWithDetails, viewer: Viewer): string | undefined {
  const { t, locale } = viewer.translator;
  const recurrence = meeting.recurrence;
  if (!recurrence) return undefined;
  const at = formatTime(meeting.startTime, viewer.timeZone, locale);
  if (recurrence.type === 1) return `${t('meetings.repeatsDaily')}, ${at}`;
  if (recurrence.type === 3) {
    // Like Zoom: a day some months lack (29–31) falls on the last day of those months.
    const day = recurrence.monthly_day ?? 1;
    return `${t(day > 28 ? 'meetings.repeatsMonthlyLastDay' : 'meetings.repeatsMonthly', { day })}, ${at}`;
  }
  const days = (recurrence.weekly_days ?? '')
    .split(',')
    .filter(Boolean)
    .map((day) => t(`meetings.form.weekdays.${day}`))
    .join(', ');
  return `${t('meetings.repeatsWeekly', { days })}, ${at}`;
}

