import { DateTime } from 'luxon';
import { formView, meetingView, type Viewer } from '../../../src/meetings/meetings.presenter';
import type { MeetingWithDetails } from '../../../src/meetings/meetings.repo';
import { parseMeetingForm, type MeetingRequest } from '../../../src/meetings/meetings.schema';
import { seriesStartsUntil } from '../../../src/meetings/meetings.time';
import { occurrenceStarts } from '../../../src/sandbox/zoom/zoom-sim.recurrence';
import { translatorFor } from '../../../src/shared/i18n';

/**
 * A monthly series on the 28th–31st, counted as Zoom counts it (ZOOM-NOTES "Meetings"; our simulator
 * models it): a month without that day has its occurrence on its last day. The form's count (the
 * 50-occurrence check) and the simulator's occurrences must agree for the same recurrence, whether
 * the series ends after N occurrences or on a date.
 */
const NOW = Date.parse('2025-12-01T12:00:00Z');
const LIMITS = { max: 50, defaultEndTimes: 1 };

const form = (overrides: Record<string, string | string[]>) => ({
  intent: 'abcdefghijklmnopqrstuvwx',
  topic: 'Monthly review',
  startTime: '09:00',
  duration: '60',
  timeZone: 'America/New_York',
  repeats: 'monthly',
  ...overrides,
});

/** The local dates (`yyyy-MM-dd`) the simulator (as Zoom) gives the series the form asked for. */
function simulatorDates(request: MeetingRequest): string[] {
  const starts = occurrenceStarts(request.start.getTime(), request.timeZone, request.recurrence!, LIMITS);
  return starts.map((at) => DateTime.fromMillis(at, { zone: request.timeZone }).toISODate() ?? '');
}

function accepted(body: Record<string, string>): MeetingRequest {
  const parsed = parseMeetingForm(form(body), NOW);
  if (!parsed.ok) throw new Error(`refused: ${JSON.stringify(parsed.errors)}`);
  return parsed.value;
}

/** Ours: the count the form checks against the 50-occurrence limit, for a series ending on a date. */
function ourCount(date: string, zone: string, endDate: string): number {
  const start = DateTime.fromISO(`${date}T09:00`, { zone });
  return seriesStartsUntil(start, 'monthly', [], endDate, 1000).length;
}

const LEAP_2028 = (day: number) => {
  const last = (month: number) => Math.min(day, DateTime.local(2028, month).daysInMonth ?? 31);
  return Array.from({ length: 12 }, (_, i) => `2028-${String(i + 1).padStart(2, '0')}-${last(i + 1)}`);
};

describe('a monthly series on the 28th–31st, as Zoom counts it', () => {
  // 2028 is a leap year (29 February); 2027 is not.
  const cases: Array<{ start: string; endDate: string; dates: string[] }> = [
    { start: '2028-01-28', endDate: '2028-12-31', dates: LEAP_2028(28) },
    { start: '2028-01-29', endDate: '2028-12-31', dates: LEAP_2028(29) },
    { start: '2028-01-30', endDate: '2028-12-31', dates: LEAP_2028(30) },
    { start: '2028-01-31', endDate: '2028-12-31', dates: LEAP_2028(31) },
    { start: '2027-01-29', endDate: '2027-03-29', dates: ['2027-01-29', '2027-02-28', '2027-03-29'] },
    { start: '2027-01-30', endDate: '2027-03-29', dates: ['2027-01-30', '2027-02-28'] },
    { start: '2027-01-31', endDate: '2027-04-29', dates: ['2027-01-31', '2027-02-28', '2027-03-31'] },
    {
      start: '2027-01-31',
      endDate: '2027-04-30',
      dates: ['2027-01-31', '2027-02-28', '2027-03-31', '2027-04-30'],
    },
  ];

  it('the leap-year table is what it says (31 → 29 February, 30 April, 30 June…)', () => {
    expect(LEAP_2028(31)).toEqual([
      '2028-01-31',
      '2028-02-29',
      '2028-03-31',
      '2028-04-30',
      '2028-05-31',
      '2028-06-30',
      '2028-07-31',
      '2028-08-31',
      '2028-09-30',
      '2028-10-31',
      '2028-11-30',
      '2028-12-31',
    ]);
  });

  describe.each(['America/New_York', 'Asia/Tokyo', 'Pacific/Auckland'])('in %s', (timeZone) => {
    it.each(cases)(
      'from $start ending on $endDate: our count and the simulator agree on $dates.length',
      ({ start, endDate, dates }) => {
        const request = accepted({ date: start, timeZone, ends: 'date', endDate });

        expect(simulatorDates(request)).toEqual(dates);
        expect(ourCount(start, timeZone, endDate)).toBe(dates.length);
      },
    );

    it.each(cases)(
      'from $start ending after $dates.length occurrences: the simulator gives those dates',
      ({ start, dates }) => {
        const request = accepted({ date: start, timeZone, ends: 'after', endAfter: String(dates.length) });

        expect(request.recurrence).toMatchObject({ type: 3, monthly_day: Number(start.slice(8)) });
        expect(simulatorDates(request)).toEqual(dates);
      },
    );
  });

  it('January to December 2026 on the 31st is 12 occurrences, not 7', () => {
    expect(ourCount('2026-01-31', 'America/New_York', '2026-12-31')).toBe(12);
  });
});

describe('the 50-occurrence limit of a series ending on a date', () => {
  // From 31 January 2026 the 50th occurrence is 28 February 2030 (49 months later, clamped).
  const body = (endDate: string) => ({ date: '2026-01-31', ends: 'date', endDate });

  it.each(['2030-02-28', '2030-03-30'])(
    'ending on %s (50 occurrences) is accepted, as Zoom keeps them all',
    (end) => {
      const request = accepted(body(end));
      const dates = simulatorDates(request);
      expect([dates.length, dates.at(-1)]).toEqual([50, '2030-02-28']);
    },
  );

  it.each([
    { end: '2030-03-31', count: 51 },
    { end: '2031-12-31', count: 72 },
  ])(
    'ending on $end ($count occurrences) is refused, naming the count and the last date Zoom would keep',
    ({ end, count }) => {
      const parsed = parseMeetingForm(form(body(end)), NOW);

      expect(parsed).toEqual({
        ok: false,
        errors: {
          endDate: {
            key: 'too_many_occurrences_until',
            values: { count, last: new Date('2030-02-28T00:00:00Z') },
          },
        },
      });
    },
  );

  it('the same limit for a weekly series counts every chosen weekday (Monday and Wednesday, 25 weeks)', () => {
    const weekly = { date: '2026-01-05', repeats: 'weekly', on: ['2', '4'], ends: 'date' };
    expect(parseMeetingForm(form({ ...weekly, endDate: '2026-06-24' }), NOW).ok).toBe(true);
    const more = parseMeetingForm(form({ ...weekly, endDate: '2026-06-29' }), NOW);
    expect(more).toMatchObject({ ok: false, errors: { endDate: { values: { count: 51 } } } });
  });

  it('the refusal is shown in the viewer’s language with the count and the last date', () => {
    const parsed = parseMeetingForm(form(body('2031-12-31')), NOW);
    if (parsed.ok) throw new Error('accepted');
    const shown = (locale: string) =>
      formView({
        viewer: {
          timeZone: 'America/New_York',
          zoneFromBrowser: true,
          translator: translatorFor(locale),
          now: NOW,
        },
        errors: parsed.errors,
        candidates: [],
        intent: 'abcdefghijklmnopqrstuvwx',
      }).errors.endDate;

    expect(shown('en')).toBe(
      'This series would have 72 occurrences; Zoom keeps only the first 50, the last on February 28, 2030, and drops the rest. End it on February 28, 2030 or earlier.',
    );
    expect(shown('es')).toBe(
      'Esta serie tendría 72 sesiones; Zoom solo guarda las primeras 50, la última el 28 de febrero de 2030, y descarta el resto. Haz que termine el 28 de febrero de 2030 o antes.',
    );
  });

  it('a series ending after 51 occurrences is refused as before', () => {
    expect(parseMeetingForm(form({ date: '2026-01-31', ends: 'after', endAfter: '51' }), NOW)).toEqual({
      ok: false,
      errors: { endAfter: 'too_many_occurrences' },
    });
  });
});

describe('the rule text of a monthly series', () => {
  const viewer = (locale: string): Viewer => ({
    timeZone: 'America/New_York',
    zoneFromBrowser: true,
    translator: translatorFor(locale),
    now: NOW,
  });
  const monthly = (day: number) =>
    ({
      id: 'm1',
      state: 'scheduled',
      topic: 'Monthly review',
      timeZone: 'America/New_York',
      startTime: new Date(`2026-01-${day}T14:00:00Z`),
      durationMinutes: 60,
      recurrence: { type: 3, repeat_interval: 1, monthly_day: day, end_times: 3 },
      occurrences: [],
      recordings: [],
      settings: { waitingRoom: true, joinBeforeHost: false, autoRecording: 'none', alternativeHosts: [] },
    }) as unknown as MeetingWithDetails;
  const text = (day: number, locale: string) =>
    meetingView(monthly(day), viewer(locale), { viewerUserId: 'u', hostName: 'H', forStudent: false })
      .recurrenceText;

  it.each([
    { day: 28, en: 'Every month on day 28, 9:00 AM', es: 'Cada mes el día 28, 9:00' },
    {
      day: 29,
      en: 'Every month on day 29 (the last day in shorter months), 9:00 AM',
      es: 'Cada mes el día 29 (el último día en los meses más cortos), 9:00',
    },
    {
      day: 31,
      en: 'Every month on day 31 (the last day in shorter months), 9:00 AM',
      es: 'Cada mes el día 31 (el último día en los meses más cortos), 9:00',
    },
  ])('on day $day says which day shorter months use', ({ day, en, es }) => {
    expect([text(day, 'en'), text(day, 'es')]).toEqual([en, es]);
  });
});
