import request from 'supertest';
import { sql } from 'drizzle-orm';
import { meetingItem, meetingRow, plain, rows, settleJobs } from '../../support/meetings-fixtures';
import {
  afterImport,
  importPage,
  importSetup,
  profilesOn,
  snapshot,
  zoomMeeting,
  type ImportSetup,
} from './import-fixture';

/**
 * Issue 20 item 1: an instructor brings a meeting they already have in Zoom into the course (from
 * the list of their upcoming meetings no course holds, or by its ID or join link); who may.
 */
describe.each(profilesOn())('importing meetings from Zoom (%s, %s)', (profile, databaseKind) => {
  let s: ImportSetup;
  beforeAll(async () => {
    s = await importSetup(profile, databaseKind);
  }, 60_000);
  afterAll(() => s.h.close());
  const post = (fields: Record<string, string>, page = s.staff) => s.h.post(page, '/import', fields);

  it('shows staff a card linking to the import page, without asking Zoom; students see none', async () => {
    s.h.zoom.clearRequests();
    const page = await s.h.page(s.h.lms.users.instructor.id);
    expect(page.text).toContain('data-panel="import"');
    expect(plain(page.text)).toContain('Bring a meeting you already have in Zoom');
    expect(page.text).toMatch(/href="[^"]*\/lti\/import\?ltik=/);
    const listed = s.h.zoom.requests().filter((r) => /\/users\/[^/]+\/meetings/.test(r.path));
    expect(listed).toEqual([]);
    const learner = await s.h.page(s.h.lms.users.learner.id);
    expect(learner.text).not.toContain('data-panel="import"');
  });

  it('lists the instructor’s upcoming meetings no course holds: not past ones, not the course’s own', async () => {
    const single = await zoomMeeting(s.zoom, s.host, { topic: 'Seminar ahead' });
    const series = await zoomMeeting(s.zoom, s.host, {
      topic: 'Weekly lab',
      type: 8,
      recurrence: { type: 2, repeat_interval: 1, weekly_days: '3', end_times: 5 },
    });
    const past = await zoomMeeting(s.zoom, s.host, { topic: 'Long gone', start_time: '2021-01-04T10:00:00' });
    const { response, id } = await s.h.schedule(s.staff, { topic: 'Scheduled here' });
    expect(response.status).toBe(303);
    await settleJobs(s.h);
    const text = plain((await importPage(s.h, s.staff)).text);
    expect(text).toContain('Seminar ahead');
    expect(text).toContain('Weekly lab');
    expect(text).toContain('Recurring');
    expect(text).not.toContain('Long gone');
    expect(text).not.toContain('Scheduled here');
    expect(text).toContain(`data-zoom-meeting="${single.id}"`);
    expect(text).toContain(`data-zoom-meeting="${series.id}"`);
    expect(text).not.toContain(`data-zoom-meeting="${past.id}"`);
    expect(id).not.toBe('');
  });

  it('adds a listed single meeting: a scheduled row of origin imported, shown to students', async () => {
    const made = await zoomMeeting(s.zoom, s.host, { topic: 'Office hours' });
    const { id, text } = await afterImport(s.h, await post({ meeting: made.id }));
    expect(text).toContain('“Office hours” is now a meeting of this course.');
    expect(text).not.toContain(`data-zoom-meeting="${made.id}"`);
    const row = await meetingRow(s.h, id);
    expect(row).toMatchObject({
      origin: 'imported',
      state: 'scheduled',
      zoom_meeting_id: made.id,
      zoom_uuid: made.uuid,
      host_zoom_user_id: s.host,
      topic: 'Office hours',
      duration_minutes: 45,
      time_zone: 'America/New_York',
    });
    expect(row.join_url).toBe(made.joinUrl);
    expect(row.scheduled_by).toBe(row.host_lms_user_id);
    expect(new Date(row.start_time as string).toISOString()).toBe('2030-05-06T14:00:00.000Z');
    const learner = await s.h.page(s.h.lms.users.learner.id);
    expect(meetingItem(learner.text, id)).toContain('Office hours');
  });

  it('adds a series with its occurrences', async () => {
    const made = await zoomMeeting(s.zoom, s.host, {
      topic: 'Tutorial series',
      type: 8,
      recurrence: { type: 2, repeat_interval: 1, weekly_days: '2', end_times: 4 },
    });
    const { id } = await afterImport(s.h, await post({ meeting: made.id }));
    const occurrences = await rows(s.h, sql`select * from meeting_occurrences where meeting_id = ${id}`);
    expect(occurrences).toHaveLength(4);
    expect((await meetingRow(s.h, id)).recurrence).toMatchObject({ type: 2, weekly_days: '2' });
  });

  it.each([
    ['the meeting ID', (m: { id: string }) => m.id],
    ['the ID as Zoom prints it', (m: { id: string }) => m.id.replace(/^(\d{3})(\d{4})(\d+)$/, '$1 $2 $3')],
    ['a zoom.us join link', (m: { id: string }) => `https://school.zoom.us/j/${m.id}?pwd=abcDEF123`],
    ['the simulator’s join link', (m: { joinUrl: string }) => ` ${m.joinUrl} `],
  ])('adds a meeting pasted as %s', async (_label, pasted) => {
    const made = await zoomMeeting(s.zoom, s.host, { topic: `Pasted ${_label}` });
    const { id } = await afterImport(s.h, await post({ meeting: pasted(made) }));
    expect(await meetingRow(s.h, id)).toMatchObject({ zoom_meeting_id: made.id, origin: 'imported' });
  });

  it('a second Add of the same meeting changes nothing and says it is already here', async () => {
    const made = await zoomMeeting(s.zoom, s.host, { topic: 'Twice' });
    const first = await afterImport(s.h, await post({ meeting: made.id }));
    const before = await snapshot(s.h);
    const second = await afterImport(s.h, await post({ meeting: made.id }));
    expect(second.id).toBe(first.id);
    expect(second.text).toContain('“Twice” was already a meeting of this course: nothing changed.');
    expect(await snapshot(s.h)).toBe(before);
  });

  describe('who may import', () => {
    it('refuses a learner (403) on the page and the form', async () => {
      const learner = await s.h.page(s.h.lms.users.learner.id);
      const made = await zoomMeeting(s.zoom, s.host, { topic: 'Not for students' });
      const before = await snapshot(s.h);
      expect((await importPage(s.h, learner)).status).toBe(403);
      expect((await post({ meeting: made.id }, learner)).status).toBe(403);
      expect(await snapshot(s.h)).toBe(before);
    });

    it('answers 401 without a launch', async () => {
      expect((await request(s.h.app).get('/lti/import').accept('json')).status).toBe(401);
      expect((await request(s.h.app).post('/lti/import').type('form').send({ meeting: '1' })).status).toBe(
        401,
      );
    });

    it('refuses a form without this session’s token (403)', async () => {
      const made = await zoomMeeting(s.zoom, s.host, { topic: 'Forged' });
      const before = await snapshot(s.h);
      const response = await s.h.post({ ...s.staff, csrf: 'forged' }, '/import', { meeting: made.id });
      expect(response.status).toBe(403);
      expect(await snapshot(s.h)).toBe(before);
    });

    it('refuses another school’s instructor: the meeting is not theirs to bring (nothing changed)', async () => {
      const made = await zoomMeeting(s.zoom, s.host, { topic: 'This school only' });
      const lms = await s.h.addLms({ profile: 'canvas', school: 'Other school' });
      const page = await s.h.page(lms.users.instructor.id, lms);
      const before = await snapshot(s.h);
      const response = await s.h.post(page, '/import', { meeting: made.id });
      expect([404, 409]).toContain(response.status);
      expect(plain(response.text)).not.toContain('This school only');
      expect(await snapshot(s.h)).toBe(before);
    });
  });
});
