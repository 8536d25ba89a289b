import { DateTime } from 'luxon';
import { courseCalendar, courseOfRef, feedPath, signatureMatches } from '../../../src/meetings/meetings.ics';
import type { CourseRow, MeetingWithDetails } from '../../../src/meetings/meetings.repo';
import { timeZones } from '../../../src/meetings/meetings.time';
import { readFeed } from '../../support/ical';
import { parseIcs, prop } from '../../support/meetings-fixtures';

/** The calendar feed's text and URL, without a server. */
const SCHOOL = '6f1c2d3e-4b5a-4c7d-8e9f-0a1b2c3d4e5f';
const course: CourseRow = {
  schoolId: SCHOOL,
  lmsIssuer: 'https://lms.example.edu',
  contextId: '2',
  title: 'Biology',
  feedVersion: 1,
  reconciledAt: null,
  clientId: null,
  deploymentId: null,
  membershipsUrl: null,
  lineItemsUrl: null,
  agsScopes: [],
  copiedFromContextId: null,
  copyOfferState: null,
  lastLaunchAt: null,
  endsAt: null,
  createdAt: new Date('2030-01-01T00:00:00Z'),
};
const occurrence = (id: string, start: string) => ({
  meetingId: 'm1',
  occurrenceId: id,
  startTime: new Date(start),
  durationMinutes: 60,
  status: 'available',
});
const series = {
  id: '0b7a4c1e-2d3f-4a5b-8c6d-7e8f9a0b1c2d',
  state: 'scheduled',
  topic: 'Weekly seminar',
  timeZone: 'America/New_York',
  startTime: new Date('2030-03-04T14:00:00Z'),
  durationMinutes: 60,
  recurrence: { type: 2, repeat_interval: 1, weekly_days: '2', end_times: 2 },
  joinUrl: 'https://zoom.example/j/85746065432?pwd=abc',
  occurrences: [occurrence('1', '2030-03-04T14:00:00Z'), occurrence('2', '2030-03-11T13:00:00Z')],
  recordings: [],
  version: 0,
  updatedAt: new Date('2030-01-02T03:04:05Z'),
} as unknown as MeetingWithDetails;

/** A series in `zone` at 09:00 local on 15 January and 15 July 2030 (winter and summer in either hemisphere). */
function seriesIn(zone: string): { meeting: MeetingWithDetails; starts: Date[] } {
  const starts = [1, 7].map((month) =>
    DateTime.fromObject({ year: 2030, month, day: 15, hour: 9 }, { zone }).toJSDate(),
  );
  const meeting = {
    ...series,
    id: `0b7a4c1e-2d3f-4a5b-8c6d-${String(Math.abs(hash(zone)))
      .padStart(12, '0')
      .slice(0, 12)}`,
    topic: zone,
    timeZone: zone,
    startTime: starts[0],
    recurrence: { type: 3, repeat_interval: 1, monthly_day: 15, end_times: 2 },
    occurrences: starts.map((start, i) => occurrence(String(i + 1), start.toISOString())),
  } as unknown as MeetingWithDetails;
  return { meeting, starts };
}
const hash = (text: string) => [...text].reduce((h, c) => (h * 31 + c.charCodeAt(0)) | 0, 7);

describe('the course calendar (RFC 5545)', () => {
  const zone = process.env.TZ;
  afterEach(() => {
    if (zone === undefined) delete process.env.TZ;
    else process.env.TZ = zone;
  });

  it("writes each occurrence at its wall time in the meeting's zone, whatever the server's own zone", () => {
    for (const serverZone of ['UTC', 'Asia/Tokyo', 'America/Los_Angeles']) {
      process.env.TZ = serverZone;
      const calendar = parseIcs(courseCalendar(course, [series], 'https://tool.example'));
      const events = calendar.children.filter((c) => c.name === 'VEVENT');
      expect([serverZone, events.map((e) => prop(e, 'DTSTART')?.value)]).toEqual([
        serverZone,
        ['20300304T090000', '20300311T090000'],
      ]);
      expect(events.map((e) => prop(e, 'DTSTART')?.params.TZID)).toEqual([
        'America/New_York',
        'America/New_York',
      ]);
    }
  });

  it('ends every content line, the last one included, with CRLF', () => {
    const text = courseCalendar(course, [series], 'https://tool.example');
    expect(text.endsWith('END:VCALENDAR\r\n')).toBe(true);
    expect(text.replace(/\r\n/g, '')).not.toMatch(/[\r\n]/);
  });

  it('names the course in the URL and signs it over the feed version', () => {
    const key = Buffer.alloc(32, 1);
    const [, , ref, file] = feedPath(key, course).split('/') as [string, string, string, string];
    expect(courseOfRef(ref)).toEqual({ schoolId: SCHOOL, lmsIssuer: course.lmsIssuer, contextId: '2' });
    const signature = file.replace(/\.ics$/, '');
    expect(signatureMatches(key, course, signature)).toBe(true);
    expect(signatureMatches(key, { ...course, feedVersion: 2 }, signature)).toBe(false);
    expect(signatureMatches(Buffer.alloc(32, 2), course, signature)).toBe(false);
  });

  it('a ref that does not name a school by its id names no course', () => {
    const ref = (parts: unknown) => Buffer.from(JSON.stringify(parts)).toString('base64url');
    expect(courseOfRef(ref(['x', 'y', 'z']))).toBeUndefined();
    expect(courseOfRef(ref([SCHOOL, 'y']))).toBeUndefined();
    expect(courseOfRef('not base64 json')).toBeUndefined();
  });
});

describe('the course calendar as a calendar app reads it (ical.js)', () => {
  it('every zone the form offers: each TZID has its VTIMEZONE and each event is at its instant, winter and summer', () => {
    const failures: string[] = [];
    for (const zone of timeZones()) {
      const { meeting, starts } = seriesIn(zone);
      const feed = readFeed(courseCalendar(course, [meeting], 'https://tool.example'));
      if (feed.zonesMissing.length > 0)
        failures.push(`${zone}: no VTIMEZONE for ${feed.zonesMissing.join(', ')}`);
      const got = feed.events.map((e) => [e.start.toISOString(), e.end.getTime() - e.start.getTime()]);
      const want = starts.map((start) => [start.toISOString(), 60 * 60_000]);
      if (JSON.stringify(got) !== JSON.stringify(want))
        failures.push(`${zone}: ${JSON.stringify(got)} instead of ${JSON.stringify(want)}`);
    }
    expect(failures).toEqual([]);
    expect(timeZones().length).toBeGreaterThan(400);
  });

  it.each([
    ['America/Buenos_Aires', 'America/Argentina/Buenos_Aires'],
    ['Asia/Saigon', 'Asia/Ho_Chi_Minh'],
    ['America/Indianapolis', 'America/Indiana/Indianapolis'],
    ['Asia/Calcutta', 'Asia/Kolkata'],
    ['America/New_York', 'America/New_York'],
    ['US/Eastern', 'America/New_York'],
  ])("a zone stored by its alias %s is named by the tz database's name %s", (stored, named) => {
    const { meeting } = seriesIn(stored);
    const feed = readFeed(courseCalendar(course, [meeting], 'https://tool.example'));
    expect([feed.zones, feed.events.map((e) => e.tzid)]).toEqual([[named], [named, named]]);
  });

  it('SEQUENCE is the meeting’s version, DTSTAMP and LAST-MODIFIED its last change', () => {
    const changed = {
      ...series,
      version: 3,
      updatedAt: new Date('2030-02-01T10:20:30Z'),
    } as unknown as MeetingWithDetails;
    const feed = readFeed(courseCalendar(course, [changed], 'https://tool.example'));
    expect(
      feed.events.map((e) => [e.sequence, e.stamp?.toISOString(), e.lastModified?.toISOString()]),
    ).toEqual([
      [3, '2030-02-01T10:20:30.000Z', '2030-02-01T10:20:30.000Z'],
      [3, '2030-02-01T10:20:30.000Z', '2030-02-01T10:20:30.000Z'],
    ]);
  });
});
