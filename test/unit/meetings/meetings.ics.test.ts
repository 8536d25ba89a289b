import { courseCalendar, courseOfRef, feedPath, signatureMatches } from '../../../src/meetings/meetings.ics';
import type { CourseRow, MeetingWithDetails } from '../../../src/meetings/meetings.repo';
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
} as unknown as MeetingWithDetails;

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
