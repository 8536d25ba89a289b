import { DateTime } from 'luxon';
import { requestOf, suggestedDate } from '../../../src/meetings/meetings.nextterm';
import type { MeetingRow } from '../../../src/meetings/meetings.repo';

const course = { schoolId: 's', lmsIssuer: 'https://lms.example', contextId: '3' };

function meeting(overrides: Partial<MeetingRow> = {}): MeetingRow {
  return {
    id: '11111111-1111-4111-8111-111111111111',
    topic: 'Weekly lecture',
    // Monday 2030-03-04 09:00 in New York.
    startTime: DateTime.fromISO('2030-03-04T09:00', { zone: 'America/New_York' }).toJSDate(),
    durationMinutes: 75,
    timeZone: 'America/New_York',
    recurrence: { type: 2, repeat_interval: 1, weekly_days: '2,4', end_times: 10 },
    settings: {
      waitingRoom: true,
      joinBeforeHost: false,
      autoRecording: 'cloud',
      alternativeHosts: ['co@x.edu'],
    },
    passcode: 'old123',
    ...overrides,
  } as MeetingRow;
}

const at = (iso: string, zone = 'America/New_York') => DateTime.fromISO(iso, { zone }).toMillis();

describe('the suggested new first date: the same weekday in this week, or the next when it has passed', () => {
  it.each([
    ['on the Sunday before', '2031-01-05T12:00', '2031-01-06'],
    ['on the Monday before 9:00', '2031-01-06T08:00', '2031-01-06'],
    ['on the Monday after 9:00', '2031-01-06T10:00', '2031-01-13'],
    ['on the Friday', '2031-01-10T10:00', '2031-01-13'],
  ])('%s', (_name, now, expected) => {
    expect(suggestedDate(meeting(), at(now))).toBe(expected);
  });

  it('in the meeting’s own zone, whatever the server’s', () => {
    const tokyo = meeting({
      startTime: DateTime.fromISO('2030-03-05T08:00', { zone: 'Asia/Tokyo' }).toJSDate(),
      timeZone: 'Asia/Tokyo',
    });
    // Monday 20:00 UTC is already Tuesday 05:00 in Tokyo: Tuesday 08:00 is still ahead.
    expect(suggestedDate(tokyo, at('2031-01-06T20:00', 'UTC'))).toBe('2031-01-07');
  });
});

describe('the request that schedules a copy', () => {
  it('keeps the weekdays, wall time, length, zone and settings; moves the dates; counts as asked', () => {
    const request = requestOf(course, meeting(), { meetingId: 'x', date: '2031-01-06', count: 12 });
    expect(
      DateTime.fromJSDate(request.start, { zone: 'America/New_York' }).toFormat('yyyy-MM-dd HH:mm'),
    ).toBe('2031-01-06 09:00');
    expect(request).toMatchObject({
      topic: 'Weekly lecture',
      durationMinutes: 75,
      timeZone: 'America/New_York',
      recurrence: { type: 2, repeat_interval: 1, weekly_days: '2,4', end_times: 12 },
      settings: { waitingRoom: true, autoRecording: 'cloud', alternativeHosts: ['co@x.edu'] },
      passcode: undefined,
    });
  });

  it('a series that ended on a date ends after a count instead (its old end date would be last term’s)', () => {
    const ended = meeting({
      recurrence: { type: 1, repeat_interval: 1, end_date_time: '2030-05-01T03:59:00Z' },
    });
    const request = requestOf(course, ended, { meetingId: 'x', date: '2031-01-06', count: 20 });
    expect(request.recurrence).toEqual({ type: 1, repeat_interval: 1, end_times: 20 });
  });

  it('a monthly series falls on the new first date’s day of the month', () => {
    const monthly = meeting({ recurrence: { type: 3, repeat_interval: 1, monthly_day: 4, end_times: 5 } });
    expect(requestOf(course, monthly, { meetingId: 'x', date: '2031-01-15', count: 5 }).recurrence).toEqual({
      type: 3,
      repeat_interval: 1,
      monthly_day: 15,
      end_times: 5,
    });
  });

  it('a single meeting stays single', () => {
    const single = meeting({ recurrence: null });
    expect(
      requestOf(course, single, { meetingId: 'x', date: '2031-01-08', count: undefined }).recurrence,
    ).toBe(undefined);
  });

  it('one intent per earlier meeting and course (a repeat finds the copy made), valid as a form’s', () => {
    const a = requestOf(course, meeting(), { meetingId: 'x', date: '2031-01-06', count: 3 });
    const b = requestOf(course, meeting(), { meetingId: 'x', date: '2031-02-06', count: 4 });
    const other = requestOf({ ...course, contextId: '4' }, meeting(), {
      meetingId: 'x',
      date: '2031-01-06',
      count: 3,
    });
    expect(a.intent).toBe(b.intent);
    expect(other.intent).not.toBe(a.intent);
    expect(a.intent).toMatch(/^[A-Za-z0-9_-]{16,64}$/);
  });
});
