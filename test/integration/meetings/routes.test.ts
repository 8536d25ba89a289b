import { sql } from 'drizzle-orm';
import request from 'supertest';
import { databaseKinds } from '../../support/db';
import {
  createMeetingsHarness,
  meetingForm,
  type MeetingsHarness,
  type Page,
} from '../../support/meetings-harness';

/**
 * Every meetings route: bad input (400, nothing changed), no launch (401), a learner trying any
 * change (403), another course's or school's meeting (404), and the happy path.
 */
describe.each(databaseKinds('one'))('meetings routes (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let instructor: Page;
  let learner: Page;
  let meetingId: string;
  let weeklyId: string;

  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    instructor = await h.page(h.lms.users.instructor.id);
    learner = await h.page(h.lms.users.learner.id);
    meetingId = (await h.schedule(instructor, { topic: 'Single class' })).id;
    instructor = await h.page(h.lms.users.instructor.id);
    weeklyId = (
      await h.schedule(instructor, {
        topic: 'Weekly class',
        repeats: 'weekly',
        on: ['2'],
        ends: 'after',
        endAfter: '4',
      })
    ).id;
  });
  afterAll(() => h.close());

  const meetingCount = async () => (await h.meetingRows()).length;
  const zoomMeetings = () => h.zoom.meetings(h.account.account_id).length;

  describe('POST /lti/meetings (schedule)', () => {
    it.each([
      ['a date in the past', { date: '2020-01-06' }, /The date and start time are in the past/],
      ['a duration of 0', { duration: '0' }, /duration from 1 to 1440 minutes/],
      ['a duration over 24 hours', { duration: '1441' }, /duration from 1 to 1440 minutes/],
      [
        'more than 50 occurrences',
        { repeats: 'daily', ends: 'after', endAfter: '51' },
        /at most 50 occurrences/,
      ],
      [
        'an end date more than 50 occurrences away',
        { repeats: 'daily', ends: 'date', endDate: '2030-06-30' },
        /would have 119 occurrences; Zoom keeps only the first 50/,
      ],
      ['a passcode longer than 10 characters', { passcode: 'abcdefghijk' }, /passcode can have at most 10/],
      ['a passcode outside [A-Za-z0-9@-_*]', { passcode: 'abc def' }, /passcode can have at most 10/],
      ['no topic', { topic: '  ' }, /Enter a topic/],
      ['an unknown time zone', { timeZone: 'Mars/Olympus' }, /Choose a time zone/],
      ['weekly without a weekday', { repeats: 'weekly', on: [] }, /at least one day of the week/],
    ])(
      'when the form has %s, it answers 400 with the form and its error, and changes nothing',
      async (_case, fields, message) => {
        const before = [await meetingCount(), zoomMeetings()];
        const page = await h.page(h.lms.users.instructor.id);
        const response = await h.post(page, '/meetings', meetingForm({ intent: page.intent, ...fields }));
        expect(response.status).toBe(400);
        expect(response.text).toMatch(message);
        expect(response.text).toContain('aria-invalid="true"');
        expect([await meetingCount(), zoomMeetings()]).toEqual(before);
      },
    );

    it('when there is no launch, it answers 401', async () => {
      const response = await request(h.app)
        .post('/lti/meetings')
        .type('form')
        .accept('json')
        .send(meetingForm());
      expect(response.status).toBe(401);
      expect(response.body.error.id).toBe('launch_required');
    });

    it('when a learner posts a meeting, it is refused (403) and nothing is created', async () => {
      const before = await meetingCount();
      const response = await h.post(
        learner,
        '/meetings',
        meetingForm({ intent: 'learner-intent-0000000001' }),
      );
      expect(response.status).toBe(403);
      expect(await meetingCount()).toBe(before);
    });

    it('when the form token is missing, it is refused (403) and nothing is created', async () => {
      const before = await meetingCount();
      const page = await h.page(h.lms.users.instructor.id);
      const response = await h.post(
        { ...page, csrf: 'forged' },
        '/meetings',
        meetingForm({ intent: page.intent }),
      );
      expect(response.status).toBe(403);
      expect(response.text).toContain('The form has expired');
      expect(await meetingCount()).toBe(before);
    });

    it('when the same form is sent twice, one meeting is created', async () => {
      const page = await h.page(h.lms.users.instructor.id);
      const first = await h.schedule(page, { topic: 'Sent twice' });
      const second = await h.schedule(page, { topic: 'Sent twice' });
      expect([first.response.status, second.response.status]).toEqual([303, 303]);
      expect(second.id).toBe(first.id);
      expect(h.zoom.meetings(h.account.account_id).filter((m) => m.topic === 'Sent twice')).toHaveLength(1);
    });
  });

  describe('GET and POST /lti/meetings/:id (edit)', () => {
    it('shows the edit form filled with the meeting', async () => {
      const page = await request(h.app).get(
        `/lti/meetings/${meetingId}/edit?ltik=${encodeURIComponent(instructor.ltik)}`,
      );
      expect(page.status).toBe(200);
      expect(page.text).toContain('value="Single class"');
      expect(page.text).toContain('Save changes');
    });

    it('saves a change in Zoom and in the course', async () => {
      const response = await h.post(
        instructor,
        `/meetings/${meetingId}`,
        meetingForm({ intent: 'x'.repeat(24), topic: 'Renamed class', duration: '90' }),
      );
      expect(response.status).toBe(303);
      const zoomMeeting = h.zoom.meetings(h.account.account_id).find((m) => m.topic === 'Renamed class');
      expect(zoomMeeting?.duration).toBe(90);
      const row = (await h.meetingRows()).find((r) => r.id === meetingId);
      expect(row).toMatchObject({ topic: 'Renamed class', duration_minutes: 90 });
    });

    it('when the edit is invalid, answers 400 with the form and changes nothing', async () => {
      const response = await h.post(
        instructor,
        `/meetings/${meetingId}`,
        meetingForm({ intent: 'x'.repeat(24), duration: '0' }),
      );
      expect(response.status).toBe(400);
      expect(response.text).toMatch(/duration from 1 to 1440 minutes/);
      expect((await h.meetingRows()).find((r) => r.id === meetingId)).toMatchObject({ duration_minutes: 90 });
    });

    it('when a learner asks for the edit form or posts an edit, it is refused (403)', async () => {
      const form = await request(h.app).get(
        `/lti/meetings/${meetingId}/edit?ltik=${encodeURIComponent(learner.ltik)}`,
      );
      expect(form.status).toBe(403);
      const posted = await h.post(
        learner,
        `/meetings/${meetingId}`,
        meetingForm({ intent: 'x'.repeat(24), topic: 'Hijacked' }),
      );
      expect(posted.status).toBe(403);
      expect((await h.meetingRows()).find((r) => r.id === meetingId)?.topic).not.toBe('Hijacked');
    });
  });

  describe('start', () => {
    it('sends the host to a fresh start_url (303) that is never stored', async () => {
      const response = await h.post(instructor, `/meetings/${meetingId}/start`);
      expect(response.status).toBe(303);
      expect(String(response.headers.location)).toMatch(new RegExp(`^${h.zoom.baseUrl}/s/\\d+\\?zak=`));
      expect(response.headers['cache-control']).toBe('no-store');
      expect(JSON.stringify(await h.meetingRows())).not.toContain('zak=');
    });

    it('when a learner tries to start, it is refused (403) and Zoom is not asked', async () => {
      h.zoom.clearRequests();
      const response = await h.post(learner, `/meetings/${meetingId}/start`);
      expect(response.status).toBe(403);
      expect(h.zoom.requests({ path: '/v2/meetings' })).toHaveLength(0);
    });
  });

  describe('recordings visibility', () => {
    it('an instructor shows the recordings of a meeting to students', async () => {
      expect((await h.post(instructor, `/meetings/${meetingId}/recordings`, { show: 'on' })).status).toBe(
        303,
      );
      expect((await h.meetingRows()).find((r) => r.id === meetingId)?.show_recordings).toBe(true);
    });

    it('when a learner posts it, it is refused (403)', async () => {
      expect((await h.post(learner, `/meetings/${meetingId}/recordings`, {})).status).toBe(403);
      expect((await h.meetingRows()).find((r) => r.id === meetingId)?.show_recordings).toBe(true);
    });
  });

  describe('delete', () => {
    it('asks which occurrences to delete for a recurring meeting', async () => {
      const page = await request(h.app).get(
        `/lti/meetings/${weeklyId}/delete?ltik=${encodeURIComponent(instructor.ltik)}`,
      );
      expect(page.status).toBe(200);
      expect(page.text).toContain('This occurrence');
      expect(page.text).toContain('All occurrences');
    });

    it('deletes one occurrence of a series in Zoom and in the course', async () => {
      const [first] =
        h.zoom.meetings(h.account.account_id).find((m) => m.topic === 'Weekly class')?.occurrences ?? [];
      const response = await h.post(instructor, `/meetings/${weeklyId}/delete`, {
        scope: 'occurrence',
        occurrenceId: String(first?.occurrence_id),
      });
      expect(response.status).toBe(303);
      const remaining = h.zoom
        .meetings(h.account.account_id)
        .find((m) => m.topic === 'Weekly class')?.occurrences;
      expect(remaining?.filter((o) => o.status === 'available')).toHaveLength(3);
    });

    it('when a learner deletes, it is refused (403) and the meeting stays', async () => {
      expect((await h.post(learner, `/meetings/${weeklyId}/delete`, { scope: 'all' })).status).toBe(403);
      expect((await h.meetingRows()).find((r) => r.id === weeklyId)?.state).toBe('scheduled');
    });

    it('deletes the whole series', async () => {
      expect((await h.post(instructor, `/meetings/${weeklyId}/delete`, { scope: 'all' })).status).toBe(303);
      expect((await h.meetingRows()).find((r) => r.id === weeklyId)?.state).toBe('deleted');
      expect(h.zoom.meetings(h.account.account_id).find((m) => m.topic === 'Weekly class')).toBeUndefined();
    });
  });

  describe('another course or school', () => {
    it.each([
      ['GET', '/meetings/:id/edit'],
      ['GET', '/meetings/:id/delete'],
      ['POST', '/meetings/:id'],
      ['POST', '/meetings/:id/delete'],
      ['POST', '/meetings/:id/start'],
      ['POST', '/meetings/:id/recordings'],
      ['POST', '/meetings/:id/pick'],
    ])('%s %s of another course’s meeting answers 404 and changes nothing', async (method, template) => {
      const path = (id: string) => template.replace(':id', id);
      await h.activate(h.lms.users.instructor.id);
      const other = await h.page(h.lms.users.instructor.id, undefined, '', { courseId: 'other-course' });
      const before = JSON.stringify(await h.meetingRows());
      const response =
        method === 'GET'
          ? await request(h.app)
              .get(`/lti${path(meetingId)}?ltik=${encodeURIComponent(other.ltik)}`)
              .accept('html')
          : await h.post(other, path(meetingId), meetingForm({ intent: 'y'.repeat(24), scope: 'all' }));
      expect(response.status).toBe(404);
      expect(JSON.stringify(await h.meetingRows())).toBe(before);
    });

    it('another school’s instructor cannot see or change this school’s meetings', async () => {
      const lms = await h.addLms({ profile: 'canvas', school: 'Other school' });
      const page = await h.page(lms.users.instructor.id, lms);
      expect(page.text).not.toContain('Renamed class');
      const response = await h.post(page, `/meetings/${meetingId}/delete`, { scope: 'all' });
      expect(response.status).toBe(404);
      expect((await h.meetingRows()).find((r) => r.id === meetingId)?.state).toBe('scheduled');
    });
  });

  describe('the course page', () => {
    it('shows a learner the meetings with Join links and no instructor action', async () => {
      const page = await h.page(h.lms.users.learner.id);
      expect(page.text).toContain('Renamed class');
      expect(page.text).toMatch(/class="button join" href="[^"]*\/lti\/meetings\/[0-9a-f-]{36}\/join\?ltik=/);
      expect(page.text).not.toContain('Schedule meeting');
      expect(page.text).not.toMatch(/meetings\/[0-9a-f-]+\/(start|edit|delete)/);
    });

    it('without a launch answers 401', async () => {
      expect((await request(h.app).get('/lti/course').accept('json')).status).toBe(401);
    });

    it('shows times in the school’s zone, or in the zone the viewer’s browser sends', async () => {
      await h.database.db.execute(
        sql`update schools set time_zone = 'America/Chicago' where name = 'moodle school'`,
      );
      // Changed behind the service's back: launches read schools from memory until told.
      h.built.tenants.forgetCached();
      // The zone as people read it, with its offset (Chicago's depends on the date: CST or CDT).
      expect((await h.page(h.lms.users.learner.id)).text).toMatch(
        /Times are shown in Chicago, United States · Central Time \(UTC−0[56]:00\)\./,
      );
      const zoned = await h.page(h.lms.users.learner.id, undefined, '&tz=Asia/Tokyo');
      expect(zoned.text).toContain('Times are shown in Tokyo, Japan · Japan Standard Time (UTC+09:00).');
      // A browser's old name for its zone (Chromium in India) is said by its current one.
      const aliased = await h.page(h.lms.users.learner.id, undefined, '&tz=Asia/Calcutta');
      expect(aliased.text).toContain('Times are shown in Kolkata, India · India Standard Time (UTC+05:30).');
      const bogus = await h.page(h.lms.users.learner.id, undefined, '&tz=Not/AZone');
      expect(bogus.text).toMatch(/Times are shown in Chicago, United States/);
    });

    it('speaks Spanish to a Spanish launch', async () => {
      const { login, idToken, state } = await h.authorize(h.lms.users.learner.id, undefined, {
        claims: (claims) => {
          claims['https://purl.imsglobal.org/spec/lti/claim/launch_presentation'] = { locale: 'es-MX' };
        },
      });
      const posted = await h.postLaunch({ id_token: idToken, state }, login.cookie);
      const page = await request(h.app).get(String(posted.headers.location)).accept('html');
      expect(page.text).toContain('<html lang="es">');
      expect(page.text).toContain('Próximas clases');
      expect(page.text).toContain('Unirse');
    });
  });

  describe('rotating the calendar link', () => {
    it('when a learner posts it, it is refused (403)', async () => {
      expect((await h.post(learner, '/meetings/feed')).status).toBe(403);
    });

    it('an instructor gets a new link', async () => {
      const before = /href="([^"]+\.ics)"/.exec((await h.page(h.lms.users.instructor.id)).text)?.[1];
      expect((await h.post(instructor, '/meetings/feed')).status).toBe(303);
      const after = /href="([^"]+\.ics)"/.exec((await h.page(h.lms.users.instructor.id)).text)?.[1];
      expect(after).toBeDefined();
      expect(after).not.toBe(before);
    });
  });
});
