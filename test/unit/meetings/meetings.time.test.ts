import { DateTime } from 'luxon';
import { parseMeetingForm } from '../../../src/meetings/meetings.schema';
import {
  seriesStartsUntil,
  fromZoomTime,
  isTimeZone,
  nextUtcMidnight,
  utcDay,
  wallTime,
  zoomLocalTime,
} from '../../../src/meetings/meetings.time';

/** Wall times and instants around New York's 2030 changes: spring forward 10 March, fall back 3 November. */
const NOW = Date.parse('2030-01-15T12:00:00Z');
const form = (overrides: Record<string, string | string[]>) => ({
  intent: 'abcdefghijklmnopqrstuvwx',
  topic: 'Class',
  date: '2030-03-04',
  startTime: '09:00',
  duration: '60',
  timeZone: 'America/New_York',
  repeats: 'never',
  ...overrides,
});

describe('meeting times (luxon)', () => {
  it('a wall time skipped by the spring-forward change (02:30 on 10 March in New York) does not exist', () => {
    const missing = wallTime('2030-03-10', '02:30', 'America/New_York');
    expect(missing.isValid).toBe(false);
    expect(wallTime('2030-03-10', '03:30', 'America/New_York').toUTC().toISO()).toBe(
      '2030-03-10T07:30:00.000Z',
    );
    expect(wallTime('2030-03-10', '01:59', 'America/New_York').toUTC().toISO()).toBe(
      '2030-03-10T06:59:00.000Z',
    );
  });

  it('a wall time repeated by the fall-back change (01:30 on 3 November) exists and is kept at 01:30 local', () => {
    const repeated = wallTime('2030-11-03', '01:30', 'America/New_York');
    expect(repeated.isValid).toBe(true);
    expect(repeated.toFormat('yyyy-MM-dd HH:mm')).toBe('2030-11-03 01:30');
    expect(['2030-11-03T05:30:00.000Z', '2030-11-03T06:30:00.000Z']).toContain(repeated.toUTC().toISO());
  });

  it('Zoom gets the local wall time of the zone, so 14:00Z and 13:00Z are both 09:00 in March', () => {
    expect(zoomLocalTime(new Date('2030-03-04T14:00:00Z'), 'America/New_York')).toBe('2030-03-04T09:00:00');
    expect(zoomLocalTime(new Date('2030-03-11T13:00:00Z'), 'America/New_York')).toBe('2030-03-11T09:00:00');
    expect(zoomLocalTime(new Date('2030-03-11T13:00:00Z'), 'Europe/Madrid')).toBe('2030-03-11T14:00:00');
  });

  it("Zoom's times (UTC with Z, or with an offset) are read as instants", () => {
    expect(fromZoomTime('2030-03-11T13:00:00Z').toISOString()).toBe('2030-03-11T13:00:00.000Z');
    expect(fromZoomTime('2030-03-11T09:00:00-04:00').toISOString()).toBe('2030-03-11T13:00:00.000Z');
  });

  it("the host's day and its reset are UTC's, whatever the zone", () => {
    const lateInNewYork = Date.parse('2030-03-11T03:30:00Z'); // 23:30 on 10 March in New York
    expect(utcDay(lateInNewYork)).toBe('2030-03-11');
    expect(nextUtcMidnight(lateInNewYork).toISOString()).toBe('2030-03-12T00:00:00.000Z');
    expect(nextUtcMidnight(Date.parse('2030-03-11T00:00:00Z')).toISOString()).toBe(
      '2030-03-12T00:00:00.000Z',
    );
  });

  it('a weekly series counts its Mondays across the change by local date', () => {
    const start = DateTime.fromISO('2030-03-04T09:00', { zone: 'America/New_York' });
    expect(seriesStartsUntil(start, 'weekly', [2], '2030-03-25', 50)).toHaveLength(4);
    expect(seriesStartsUntil(start, 'weekly', [2], '2030-03-24', 50)).toHaveLength(3);
  });
});

describe('time zones', () => {
  it("are IANA names (aliases included), never an offset or the server's own zone", () => {
    for (const zone of ['UTC', 'America/New_York', 'Europe/Madrid', 'Asia/Calcutta', 'US/Eastern'])
      expect([zone, isTimeZone(zone)]).toEqual([zone, true]);
    for (const zone of ['UTC+5', 'local', 'system', '+05:00', 'Mars/Olympus_Mons', ''])
      expect([zone, isTimeZone(zone)]).toEqual([zone, false]);
  });

  it('the form refuses a zone Zoom would refuse, as a time zone error', () => {
    expect(parseMeetingForm(form({ timeZone: 'UTC+5' }), NOW)).toEqual({
      ok: false,
      errors: { timeZone: 'zone_invalid' },
    });
  });
});

describe('the meeting form and DST', () => {
  it('refuses a start time that does not exist on that date in that zone, as a start time error', () => {
    expect(parseMeetingForm(form({ date: '2030-03-10', startTime: '02:30' }), NOW)).toEqual({
      ok: false,
      errors: { startTime: 'time_invalid' },
    });
  });

  it('accepts the same wall time in a zone without the change that night', () => {
    const parsed = parseMeetingForm(
      form({ date: '2030-03-10', startTime: '02:30', timeZone: 'Europe/Madrid' }),
      NOW,
    );
    expect(parsed.ok && parsed.value.start.toISOString()).toBe('2030-03-10T01:30:00.000Z');
  });

  it('a weekly series ending on a date ends at 23:59 local that day, after the change (EDT)', () => {
    const parsed = parseMeetingForm(
      form({ repeats: 'weekly', on: ['2'], ends: 'date', endDate: '2030-03-25' }),
      NOW,
    );
    expect(parsed).toMatchObject({
      ok: true,
      value: {
        start: new Date('2030-03-04T14:00:00Z'),
        timeZone: 'America/New_York',
        recurrence: { type: 2, repeat_interval: 1, weekly_days: '2', end_date_time: '2030-03-26T03:59:00Z' },
      },
    });
  });
});
