import { DateTime } from 'luxon';
import request from 'supertest';
import { databaseKinds } from '../../support/db';
import { coursePage, meetingItem, meetingRow, occurrencesOf, plain } from '../../support/meetings-fixtures';
import {
  createMeetingsHarness,
  meetingForm,
  type MeetingsHarness,
  type Page,
} from '../../support/meetings-harness';

/**
 * A weekly class keeps its local wall time across a daylight-saving change (ZOOM-NOTES: Zoom gets
 * the local time with the zone). New York springs forward on Sunday 2030-03-10, Madrid only on
 * 2030-03-31: a Monday 09:00 New York class is 14:00Z, then 13:00Z; 15:00, then 14:00 in Madrid.
 */
const SERIES = {
  topic: 'Spring forward seminar',
  date: '2030-03-04',
  startTime: '09:00',
  timeZone: 'America/New_York',
  repeats: 'weekly',
  on: ['2'], // Monday (Zoom counts from Sunday = 1)
  ends: 'after',
  endAfter: '4',
};
const INSTANTS = [
  '2030-03-04T14:00:00.000Z',
  '2030-03-11T13:00:00.000Z',
  '2030-03-18T13:00:00.000Z',
  '2030-03-25T13:00:00.000Z',
];

describe.each(databaseKinds('one'))('a weekly class across the March DST change (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let instructor: Page;
  let id: string;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    instructor = await h.page(h.lms.users.instructor.id);
    const scheduled = await h.schedule(instructor, SERIES);
    if (scheduled.response.status !== 303) throw new Error(`schedule answered ${scheduled.response.status}`);
    id = scheduled.id;
  });
  afterAll(() => h.close());

  /** The instructor's delete page lists every upcoming occurrence, in the viewer's zone. */
  const occurrenceChoices = async (tz: string) => {
    const response = await request(h.app)
      .get(
        `/lti/meetings/${id}/delete?ltik=${encodeURIComponent(instructor.ltik)}&tz=${encodeURIComponent(tz)}`,
      )
      .accept('html');
    return [...plain(response.text).matchAll(/<option value="\d+">([^<]+)<\/option>/g)].map((m) => m[1]);
  };

  it('every occurrence is stored at the instant of 09:00 in New York: 14:00Z before the change, 13:00Z after', async () => {
    expect(await occurrencesOf(h, id)).toEqual(
      INSTANTS.map((start) => ({ id: expect.any(String), start, status: 'available' })),
    );
    const row = await meetingRow(h, id);
    expect(new Date(row.start_time as string).toISOString()).toBe(INSTANTS[0]);
    expect(row.time_zone).toBe('America/New_York');
  });

  it('Zoom has the series in New York time with every occurrence at 09:00 local', () => {
    const [series] = h.zoom.meetings(h.account.account_id).filter((m) => m.topic === SERIES.topic);
    expect(series).toMatchObject({ type: 8, timezone: 'America/New_York' });
    const starts = series!.occurrences.map((o) => new Date(o.start_time).toISOString());
    expect(starts).toEqual(INSTANTS);
    for (const start of starts)
      expect(DateTime.fromISO(start, { zone: 'America/New_York' }).toFormat('EEE HH:mm')).toBe('Mon 09:00');
  });

  it("for a viewer in New York, the instructor's and the student's pages show the series at 9:00 AM", async () => {
    const student = await h.page(h.lms.users.learner.id);
    for (const page of [instructor, student]) {
      const item = meetingItem(await coursePage(h, page, '&tz=America/New_York'), id);
      expect(item).toContain('Mon, Mar 4, 2030, 9:00 AM EST');
      expect(item).toContain('Every week on Monday, 9:00 AM');
      expect(item).toContain('4 occurrences left');
    }
    expect(await occurrenceChoices('America/New_York')).toEqual([
      'Mon, Mar 4, 2030, 9:00 AM EST',
      'Mon, Mar 11, 2030, 9:00 AM EDT',
      'Mon, Mar 18, 2030, 9:00 AM EDT',
      'Mon, Mar 25, 2030, 9:00 AM EDT',
    ]);
  });

  it('for a viewer in Madrid, the occurrences show at 3:00 PM, then 2:00 PM once New York has changed', async () => {
    const item = meetingItem(await coursePage(h, instructor, '&tz=Europe/Madrid'), id);
    expect(item).toMatch(/Mon, Mar 4, 2030, 3:00 PM (GMT\+1|CET)/);
    expect(
      (await occurrenceChoices('Europe/Madrid')).map((when) => when?.replace(/ (GMT\+1|CET)$/, '')),
    ).toEqual([
      'Mon, Mar 4, 2030, 3:00 PM',
      'Mon, Mar 11, 2030, 2:00 PM',
      'Mon, Mar 18, 2030, 2:00 PM',
      'Mon, Mar 25, 2030, 2:00 PM',
    ]);
  });

  // Each occurrence of a series is listed in the viewer's zone ("Next occurrences").
  it("for a viewer in New York, the student's page lists each occurrence of the series at 9:00 AM", async () => {
    const student = await h.page(h.lms.users.learner.id);
    const item = meetingItem(await coursePage(h, student, '&tz=America/New_York'), id);
    expect(item).toContain('Next occurrences');
    for (const day of ['Mar 4', 'Mar 11', 'Mar 18', 'Mar 25'])
      expect(item).toMatch(new RegExp(`Mon, ${day}, 2030, 9:00 AM E[SD]T`));
  });

  it('a time zone Zoom does not know (an offset, or the server\'s "local") is refused by the form, and Zoom is not asked', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const since = h.zoom.requests().at(-1)?.seq ?? 0;

    for (const timeZone of ['UTC+5', 'local']) {
      const response = await h.post(page, '/meetings', meetingForm({ intent: page.intent, timeZone }));
      expect([timeZone, response.status]).toEqual([timeZone, 400]);
      expect(response.text).toMatch(/id="e-timeZone">Choose a time zone from the list\.</);
    }
    expect(h.zoom.requests({ since, method: 'POST' })).toEqual([]);
  });

  it('a start time that does not exist (02:30 on the spring-forward night) is refused with the field error, and Zoom is not asked', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const since = h.zoom.requests().at(-1)?.seq ?? 0;
    const before = await h.meetingRows();

    const response = await h.post(
      page,
      '/meetings',
      meetingForm({ intent: page.intent, topic: 'Missing hour', date: '2030-03-10', startTime: '02:30' }),
    );

    expect(response.status).toBe(400);
    expect(response.text).toMatch(
      /id="e-startTime">Enter a start time that exists on that date in that time zone\.</,
    );
    expect(response.text).toMatch(/id="f-startTime"[^>]*aria-invalid="true"/);
    expect(h.zoom.requests({ since, method: 'POST' })).toEqual([]);
    expect(await h.meetingRows()).toEqual(before);
  });
});
