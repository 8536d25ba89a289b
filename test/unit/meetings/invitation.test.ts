import { DateTime } from 'luxon';
import { meetingView, type Viewer } from '../../../src/meetings/meetings.presenter';
import type { MeetingWithDetails } from '../../../src/meetings/meetings.repo';
import { translatorFor } from '../../../src/shared/i18n';
import { seriesStarts, type ZoomRecurrence } from '../../../src/shared/recurrence';

/**
 * A series' invitation gives, as Zoom's does, its rule and end and its next dates in the meeting's
 * zone; its "repeats" line says the rule in the meeting's zone, named when the viewer is elsewhere.
 */
const NOW = Date.parse('2026-01-01T00:00:00Z');

function series(first: string, zone: string, recurrence: ZoomRecurrence): MeetingWithDetails {
  const start = DateTime.fromISO(first, { zone });
  const starts = seriesStarts(start, recurrence, { max: 50, defaultEndTimes: 7 });
  return {
    id: 'm1',
    state: 'scheduled',
    topic: 'Biology',
    timeZone: zone,
    startTime: start.toJSDate(),
    durationMinutes: 60,
    joinUrl: 'https://zoom.example/j/123',
    zoomMeetingId: '123',
    passcode: null,
    recurrence,
    occurrences: starts.map((s, i) => ({
      meetingId: 'm1',
      occurrenceId: String(i + 1),
      startTime: s.toJSDate(),
      durationMinutes: 60,
      status: 'available',
    })),
    recordings: [],
    hostLmsUserId: 'host',
    settings: { waitingRoom: true, joinBeforeHost: false, autoRecording: 'none', alternativeHosts: [] },
  } as unknown as MeetingWithDetails;
}

const viewer = (locale: string, timeZone: string, now = NOW): Viewer => ({
  timeZone,
  zoneFromBrowser: true,
  translator: translatorFor(locale),
  now,
});

const view = (meeting: MeetingWithDetails, v: Viewer) =>
  meetingView(meeting, v, { viewerUserId: 'host', hostName: 'Ada', forStudent: false });

/** The invitation's "Time:" block: its first line and the indented lines under it. */
const timeBlock = (invitation: string) => {
  const lines = invitation.split('\n');
  const at = lines.findIndex((line) => /^(Time|Hora): /.test(line));
  const block = [lines[at]!];
  for (const line of lines.slice(at + 1)) {
    if (!line.startsWith('        ')) break;
    block.push(line.trim());
  }
  return block;
};

describe("a series' invitation", () => {
  it('a weekly series ending after 4 occurrences gives its rule and each date, in English and Spanish', () => {
    const weekly = series('2026-12-07T16:00', 'America/New_York', {
      type: 2,
      weekly_days: '2',
      end_times: 4,
    });

    expect(timeBlock(view(weekly, viewer('en', 'America/New_York')).invitation)).toEqual([
      'Time: Mon, Dec 7, 2026, 4:00 PM EST (New York)',
      'Every week on Monday, 4 occurrences',
      'Mon, Dec 7, 2026, 4:00 PM EST',
      'Mon, Dec 14, 2026, 4:00 PM EST',
      'Mon, Dec 21, 2026, 4:00 PM EST',
      'Mon, Dec 28, 2026, 4:00 PM EST',
    ]);
    expect(timeBlock(view(weekly, viewer('es', 'America/New_York')).invitation)).toEqual([
      'Hora: lun, 7 dic 2026, 16:00 GMT-5 (New York)',
      'Cada semana: lunes, 4 sesiones',
      'lun, 7 dic 2026, 16:00 GMT-5',
      'lun, 14 dic 2026, 16:00 GMT-5',
      'lun, 21 dic 2026, 16:00 GMT-5',
      'lun, 28 dic 2026, 16:00 GMT-5',
    ]);
  });

  it('a daily series ending on a date lists its next 10 dates, then how many more, in the meeting’s zone', () => {
    const daily = series('2026-03-02T09:00', 'Europe/Madrid', {
      type: 1,
      end_date_time: '2026-03-20T22:59:00Z',
    });
    // Seen from New York, four days in: the dates stay Madrid's.
    const now = Date.parse('2026-03-05T12:00:00Z');

    const block = (locale: string) =>
      timeBlock(view(daily, viewer(locale, 'America/New_York', now)).invitation);
    const [english, spanish] = [block('en'), block('es')];

    expect(english.slice(0, 3)).toEqual([
      'Time: Fri, Mar 6, 2026, 9:00 AM GMT+1 (Madrid)',
      'Every day, until March 20, 2026',
      'Fri, Mar 6, 2026, 9:00 AM GMT+1',
    ]);
    expect(english.slice(-2)).toEqual(['Sun, Mar 15, 2026, 9:00 AM GMT+1', 'and 5 more']);
    expect(english).toHaveLength(2 + 10 + 1);
    expect(spanish.slice(0, 3)).toEqual([
      'Hora: vie, 6 mar 2026, 9:00 CET (Madrid)',
      'Todos los días, hasta el 20 de marzo de 2026',
      'vie, 6 mar 2026, 9:00 CET',
    ]);
    expect(spanish.at(-1)).toBe('y 5 más');
  });

  it('a monthly series ending after 3 occurrences, and one ending on a date', () => {
    const afterThree = series('2026-01-15T10:00', 'America/New_York', {
      type: 3,
      monthly_day: 15,
      end_times: 3,
    });
    const untilMay = series('2026-01-31T10:00', 'America/New_York', {
      type: 3,
      monthly_day: 31,
      end_date_time: '2026-05-31T15:00:00Z',
    });
    const ny = (locale: string) => viewer(locale, 'America/New_York');

    expect(timeBlock(view(afterThree, ny('en')).invitation).slice(1)).toEqual([
      'Every month on day 15, 3 occurrences',
      'Thu, Jan 15, 2026, 10:00 AM EST',
      'Sun, Feb 15, 2026, 10:00 AM EST',
      'Sun, Mar 15, 2026, 10:00 AM EDT',
    ]);
    expect(timeBlock(view(afterThree, ny('es')).invitation)[1]).toBe('Cada mes el día 15, 3 sesiones');
    expect(timeBlock(view(untilMay, ny('en')).invitation).slice(1, 4)).toEqual([
      'Every month on day 31 (the last day in shorter months), until May 31, 2026',
      'Sat, Jan 31, 2026, 10:00 AM EST',
      'Sat, Feb 28, 2026, 10:00 AM EST',
    ]);
    expect(timeBlock(view(untilMay, ny('es')).invitation)[1]).toBe(
      'Cada mes el día 31 (el último día en los meses más cortos), hasta el 31 de mayo de 2026',
    );
  });

  it('a single meeting’s invitation has only its time', () => {
    const single = { ...series('2026-12-07T16:00', 'America/New_York', { type: 2 }), recurrence: null };
    expect(timeBlock(view(single, viewer('en', 'Europe/Madrid')).invitation)).toEqual([
      'Time: Mon, Dec 7, 2026, 4:00 PM EST (New York)',
    ]);
  });
});

describe("a series' repeats line", () => {
  // Sunday 20:00 in New York is Monday 02:00 in Madrid, and Monday 01:00 between the US clock
  // change (March 8, 2026) and Europe's (March 29).
  const sundays = series('2026-03-01T20:00', 'America/New_York', { type: 2, weekly_days: '1', end_times: 6 });

  it('seen from Madrid across the US clock change, it says Sunday 8:00 PM New York time', () => {
    for (const now of [NOW, Date.parse('2026-03-10T12:00:00Z')]) {
      expect(view(sundays, viewer('en', 'Europe/Madrid', now)).recurrenceText).toBe(
        'Every week on Sunday, 8:00 PM New York time',
      );
      expect(view(sundays, viewer('es', 'Europe/Madrid', now)).recurrenceText).toBe(
        'Cada semana: domingo, 20:00, hora de New York',
      );
    }
  });

  it('seen from the meeting’s own zone, it names no zone', () => {
    expect(view(sundays, viewer('en', 'America/New_York')).recurrenceText).toBe(
      'Every week on Sunday, 8:00 PM',
    );
    expect(view(sundays, viewer('es', 'America/New_York')).recurrenceText).toBe(
      'Cada semana: domingo, 20:00',
    );
    // An old name of the same zone (a browser's) is the same zone.
    expect(view(sundays, viewer('en', 'US/Eastern')).recurrenceText).toBe('Every week on Sunday, 8:00 PM');
  });

  it('says an interval', () => {
    const everyTwo = series('2026-03-02T09:00', 'America/New_York', {
      type: 2,
      repeat_interval: 2,
      weekly_days: '2,4',
      end_times: 4,
    });
    const ny = (locale: string) => viewer(locale, 'America/New_York');
    expect(view(everyTwo, ny('en')).recurrenceText).toBe('Every 2 weeks on Monday, Wednesday, 9:00 AM');
    expect(view(everyTwo, ny('es')).recurrenceText).toBe('Cada 2 semanas: lunes, miércoles, 9:00');
  });
});
