import { occurrenceStarts } from '../../../../src/sandbox/zoom/zoom-sim.recurrence';
import {
  localParts,
  parseStartTime,
  zonedToUtc,
  zoomWeekday,
} from '../../../../src/sandbox/zoom/zoom-sim.time';

const iso = (ms: number[]) => ms.map((m) => new Date(m).toISOString().replace('.000Z', 'Z'));
const limits = { max: 50, defaultEndTimes: 1 };

describe('time zones', () => {
  it('reads start_time with Z as UTC and without as local time in the zone', () => {
    expect(parseStartTime('2030-01-15T10:00:00Z', 'Asia/Tokyo')).toBe(Date.parse('2030-01-15T10:00:00Z'));
    expect(parseStartTime('2030-01-15T10:00:00', 'Asia/Tokyo')).toBe(Date.parse('2030-01-15T01:00:00Z'));
    expect(parseStartTime('2030-01-15T10:00:00+02:00', 'UTC')).toBe(Date.parse('2030-01-15T08:00:00Z'));
    expect(parseStartTime('2030-13-15T10:00:00', 'UTC')).toBeNull();
    expect(parseStartTime('next tuesday', 'UTC')).toBeNull();
  });

  it('round-trips wall-clock times, picking the later instant in a DST gap', () => {
    const at = zonedToUtc({ year: 2030, month: 6, day: 1, hour: 8, minute: 30, second: 0 }, 'Europe/London');
    expect(new Date(at).toISOString()).toBe('2030-06-01T07:30:00.000Z');
    expect(localParts(at, 'Europe/London')).toMatchObject({ hour: 8, minute: 30 });
    // 2030-03-31 01:30 does not exist in London (clocks jump 01:00 → 02:00).
    const gap = zonedToUtc(
      { year: 2030, month: 3, day: 31, hour: 1, minute: 30, second: 0 },
      'Europe/London',
    );
    expect(localParts(gap, 'Europe/London').hour).toBe(2);
  });

  it('numbers weekdays like Zoom: Sunday = 1', () => {
    expect(zoomWeekday(2030, 1, 6)).toBe(1); // Sunday
    expect(zoomWeekday(2030, 1, 12)).toBe(7); // Saturday
  });
});

describe('occurrences of recurring meetings', () => {
  it('repeats weekly every second week on the given days', () => {
    const starts = occurrenceStarts(
      Date.parse('2030-01-07T10:00:00Z'),
      'UTC',
      { type: 2, repeat_interval: 2, weekly_days: '2,6', end_times: 4 },
      limits,
    );
    expect(iso(starts)).toEqual([
      '2030-01-07T10:00:00Z',
      '2030-01-11T10:00:00Z',
      '2030-01-21T10:00:00Z',
      '2030-01-25T10:00:00Z',
    ]);
  });

  it('skips days of the first week before the start', () => {
    const starts = occurrenceStarts(
      Date.parse('2030-01-09T10:00:00Z'),
      'UTC',
      { type: 2, weekly_days: '2,4', end_times: 3 },
      limits,
    );
    expect(iso(starts)).toEqual(['2030-01-09T10:00:00Z', '2030-01-14T10:00:00Z', '2030-01-16T10:00:00Z']);
  });

  it('repeats monthly on the nth weekday, every three months', () => {
    const starts = occurrenceStarts(
      Date.parse('2030-01-01T09:00:00Z'),
      'UTC',
      { type: 3, repeat_interval: 3, monthly_week: 2, monthly_week_day: 3, end_times: 3 },
      limits,
    );
    // monthly_week_day 3 = Tuesday: 1 January 2030 is a Tuesday, 1 April and 1 July are Mondays.
    expect(iso(starts)).toEqual(['2030-01-08T09:00:00Z', '2030-04-09T09:00:00Z', '2030-07-09T09:00:00Z']);
  });

  it.each([
    { day: 28, feb: '2028-02-28' },
    { day: 29, feb: '2028-02-29' },
    { day: 30, feb: '2028-02-29' },
    { day: 31, feb: '2028-02-29' },
  ])(
    'repeats monthly on day $day on a shorter month’s last day ($feb), until end_date_time',
    ({ day, feb }) => {
      const starts = occurrenceStarts(
        Date.parse(`2028-01-${day}T09:00:00Z`),
        'UTC',
        { type: 3, monthly_day: day, end_date_time: '2028-04-30T09:00:00Z' },
        limits,
      );
      const april = `2028-04-${Math.min(day, 30)}`;
      expect(iso(starts)).toEqual(
        [`2028-01-${day}`, feb, `2028-03-${day}`, april]
          .filter((date) => date <= '2028-04-30')
          .map((date) => `${date}T09:00:00Z`),
      );
    },
  );

  it('defaults to one occurrence and never exceeds the maximum', () => {
    expect(occurrenceStarts(Date.parse('2030-01-01T09:00:00Z'), 'UTC', { type: 1 }, limits)).toHaveLength(1);
    const capped = occurrenceStarts(
      Date.parse('2030-01-01T09:00:00Z'),
      'UTC',
      { type: 1, end_date_time: '2031-01-01T00:00:00Z' },
      limits,
    );
    expect(capped).toHaveLength(50);
  });

  it('keeps the local time of day across DST in the meeting’s zone', () => {
    const starts = occurrenceStarts(
      Date.parse('2030-10-25T08:00:00Z'),
      'Europe/Paris',
      { type: 1, end_times: 3 },
      limits,
    );
    expect(iso(starts)).toEqual(['2030-10-25T08:00:00Z', '2030-10-26T08:00:00Z', '2030-10-27T09:00:00Z']);
  });
});
