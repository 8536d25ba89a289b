import request from 'supertest';
import { csrfToken } from '../../../src/shared/csrf';
import { databaseKinds } from '../../support/db';
import { readFeed } from '../../support/ical';
import {
  coursePage,
  followRedirect,
  newIntent,
  parseIcs,
  prop,
  type IcsComponent,
} from '../../support/meetings-fixtures';
import {
  createMeetingsHarness,
  meetingForm,
  type MeetingsHarness,
  type Page,
} from '../../support/meetings-harness';

/**
 * The course's calendar feed (RFC 5545): a signed public URL shown on the course page, one event per
 * occurrence in the meeting's own zone; an instructor can replace the URL, and the old one stops.
 */
const FEED_LINK = /<input id="calendar-address" type="text" readonly value="([^"]+)"/;

describe.each(databaseKinds('one'))("the course's calendar feed (%s)", (databaseKind) => {
  let h: MeetingsHarness;
  let instructor: Page;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    instructor = await h.page(h.lms.users.instructor.id);
    await h.schedule(instructor, {
      topic: 'Weekly seminar',
      repeats: 'weekly',
      on: ['2'],
      ends: 'after',
      endAfter: '4',
    });
  });
  afterAll(() => h.close());

  /** The feed's path as a page links it. */
  const feedOn = (html: string) => {
    const url = FEED_LINK.exec(html)?.[1];
    if (!url) throw new Error('no calendar link on the page');
    return new URL(url.replace(/&amp;/g, '&')).pathname;
  };
  const fetchFeed = (path: string) => request(h.app).get(path);
  const events = (calendar: IcsComponent) => calendar.children.filter((c) => c.name === 'VEVENT');

  it('the link on the page gives a valid iCalendar with each occurrence at 09:00 New York time, its VTIMEZONE and the join link', async () => {
    const path = feedOn(await coursePage(h, instructor));
    expect(feedOn(await coursePage(h, await h.page(h.lms.users.learner.id)))).toBe(path);

    const response = await fetchFeed(path);

    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toMatch(/^text\/calendar/);
    const calendar = parseIcs(response.text);
    expect(calendar.name).toBe('VCALENDAR');
    expect(prop(calendar, 'VERSION')?.value).toBe('2.0');
    expect(prop(calendar, 'PRODID')?.value).toBeTruthy();
    const zone = calendar.children.find((c) => c.name === 'VTIMEZONE');
    expect(prop(zone!, 'TZID')?.value).toBe('America/New_York');
    expect(zone!.children.map((c) => c.name).sort()).toEqual(
      expect.arrayContaining(['DAYLIGHT', 'STANDARD']),
    );

    const [row] = await h.meetingRows();
    const joinUrl = String(row?.join_url);
    const series = events(calendar).filter((e) => prop(e, 'SUMMARY')?.value === 'Weekly seminar');
    expect(series.map((e) => prop(e, 'DTSTART'))).toEqual(
      ['20300304', '20300311', '20300318', '20300325'].map((day) => ({
        name: 'DTSTART',
        params: { TZID: 'America/New_York' },
        value: `${day}T090000`,
      })),
    );
    expect(series.map((e) => prop(e, 'DTEND')?.value)).toEqual(
      ['20300304', '20300311', '20300318', '20300325'].map((day) => `${day}T100000`),
    );
    for (const event of series) {
      expect(prop(event, 'UID')?.value).toMatch(new RegExp(`^${String(row?.id)}-`));
      expect(prop(event, 'DTSTAMP')?.value).toMatch(/^\d{8}T\d{6}Z$/);
      expect(prop(event, 'URL')?.value).toBe(joinUrl);
      expect(prop(event, 'DESCRIPTION')?.value).toContain(joinUrl);
    }
    expect(new Set(series.map((e) => prop(e, 'UID')?.value)).size).toBe(4);
  });

  it('read by a calendar app (ical.js): every TZID has its VTIMEZONE, and after an edit the moved meeting has a higher SEQUENCE and the new time', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const path = feedOn(page.text);
    const fields = {
      topic: 'Office hours',
      date: '2030-03-05',
      startTime: '16:00',
      timeZone: 'America/Buenos_Aires',
      repeats: 'never',
    };
    const { id } = await h.schedule(page, fields);
    const officeHours = async () => {
      const feed = readFeed((await fetchFeed(path)).text);
      expect(feed.zonesMissing).toEqual([]);
      return feed.events.filter((e) => e.summary === 'Office hours');
    };
    const before = await officeHours();
    expect(before.map((e) => [e.uid, e.tzid, e.start.toISOString()])).toEqual([
      [`${id}-single@zoom-lti`, 'America/Argentina/Buenos_Aires', '2030-03-05T19:00:00.000Z'],
    ]);

    const edited = await h.post(
      page,
      `/meetings/${id}`,
      meetingForm({ ...fields, intent: newIntent(), startTime: '17:30' }),
    );
    expect(edited.status).toBe(303);

    const after = await officeHours();
    expect(after.map((e) => [e.uid, e.start.toISOString()])).toEqual([
      [`${id}-single@zoom-lti`, '2030-03-05T20:30:00.000Z'],
    ]);
    expect(after[0]!.sequence).toBeGreaterThan(before[0]!.sequence);
    expect(after[0]!.lastModified!.getTime()).toBeGreaterThanOrEqual(before[0]!.lastModified!.getTime());
    expect(after[0]!.stamp).toEqual(after[0]!.lastModified);
  });

  it("a tampered signature, another course's ref or an unknown course answers 404", async () => {
    const path = feedOn(await coursePage(h, instructor));
    const { ltik } = await h.launch(h.lms.users.instructor.id, { courseId: '99' });
    const other = feedOn(
      (
        await request(h.app)
          .get(`/lti/course?ltik=${encodeURIComponent(ltik)}`)
          .accept('html')
      ).text,
    );
    const [, , ref, signature] = path.split('/') as [string, string, string, string];
    const [, , otherRef, otherSignature] = other.split('/') as [string, string, string, string];
    const flipped = `${signature[0] === 'A' ? 'B' : 'A'}${signature.slice(1)}`;
    const nowhere = Buffer.from(JSON.stringify(['x', 'y', 'z'])).toString('base64url');
    expect((await fetchFeed(other)).status).toBe(200);

    for (const refused of [
      `/calendar/${ref}/${flipped}`,
      `/calendar/${otherRef}/${signature}`,
      `/calendar/${ref}/${otherSignature}`,
      `/calendar/${nowhere}/${signature}`,
    ])
      expect([refused, (await fetchFeed(refused)).status]).toEqual([refused, 404]);
  });

  it('after an instructor makes a new calendar link, the old link answers 404 and the new one works', async () => {
    const old = feedOn(await coursePage(h, instructor));

    const rotated = await h.post(instructor, '/meetings/feed');

    const page = await followRedirect(h, rotated);
    expect(page).toContain('A new calendar link was made; the old one no longer works.');
    const fresh = feedOn(page);
    expect(fresh).not.toBe(old);
    expect((await fetchFeed(old)).status).toBe(404);
    expect((await fetchFeed(fresh)).status).toBe(200);
  });

  it('a learner cannot make a new calendar link (403), and the link keeps working', async () => {
    const student = await h.page(h.lms.users.learner.id);
    const link = feedOn(student.text);

    const refused = await h.post(
      { ...student, csrf: csrfToken(h.built.keys.forms, student.ltik) },
      '/meetings/feed',
    );

    expect(refused.status).toBe(403);
    expect((await fetchFeed(link)).status).toBe(200);
  });

  it('without a launch, making a new calendar link is refused (401)', async () => {
    const response = await request(h.app)
      .post('/lti/meetings/feed')
      .type('form')
      .send({ csrf: instructor.csrf });
    expect(response.status).toBe(401);
  });
});
