import request from 'supertest';
import { sql } from 'drizzle-orm';
import type { LmsProfileName } from '../../../src/sandbox/lms';
import { databaseKinds } from '../../support/db';
import {
  connectWebhooks,
  drainJobs,
  meetingItem,
  meetingRow,
  plain,
  rows,
  settleJobs,
  soonDate,
} from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness, type Page } from '../../support/meetings-harness';

type ZoomCall = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;

/** The school's Zoom account worked in Zoom itself (an admin's own S2S app), or another account's. */
async function zoomApi(h: MeetingsHarness, accountId = h.account.account_id): Promise<ZoomCall> {
  const app = await h.zoom.createApp({ kind: 's2s', account_id: accountId });
  const { access_token: token } = h.zoom.issueTokens(app.client_id, accountId);
  return async (method, path, body) => {
    const response = await fetch(`${h.zoom.baseUrl}/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
}

/** A meeting made in Zoom by (or for) `host`: a single one ahead unless told otherwise. */
async function zoomMeeting(zoom: ZoomCall, host: string, body: Record<string, unknown> = {}) {
  const made = await zoom('POST', `/users/${encodeURIComponent(host)}/meetings`, {
    topic: 'Made in Zoom',
    type: 2,
    start_time: '2030-05-06T10:00:00',
    timezone: 'America/New_York',
    duration: 45,
    ...body,
  });
  return { id: String(made.id), joinUrl: String(made.join_url), uuid: String(made.uuid) };
}

/** The Zoom user of an LMS user (by email: Canvas launches with an opaque LTI user id). */
const zoomUserIdOf = async (h: MeetingsHarness, lmsUserId: string) =>
  String(
    (
      await rows<{ zoom_user_id: string }>(
        h,
        sql`select zoom_user_id from zoom_users
            where lower(email) = lower(${h.lms.findUser(lmsUserId)?.email ?? ''}) and zoom_user_id is not null`,
      )
    )[0]?.zoom_user_id,
  );

const importPage = (h: MeetingsHarness, page: Page, query = '') =>
  request(h.app)
    .get(`/lti/import?ltik=${encodeURIComponent(page.ltik)}${query}`)
    .accept('html');

/** The import page after an Add (its 303 followed). */
const afterImport = async (h: MeetingsHarness, response: request.Response) => {
  expect(response.status).toBe(303);
  const location = String(response.headers.location);
  expect(location).toContain('/lti/import?');
  const id = new URL(location, 'http://x').searchParams.get('added') ?? '';
  return { id, text: plain((await request(h.app).get(location).accept('html')).text) };
};

/**
 * Issue 20 item 1: an instructor brings a meeting they already have in Zoom into the course (from
 * the list of their upcoming meetings no course holds, or by its ID or join link). Refusals say
 * why, in words, and change nothing; an imported meeting then behaves like one scheduled here.
 */
describe.each(
  (['moodle', 'canvas'] as LmsProfileName[]).flatMap((profile) =>
    databaseKinds('one').map((databaseKind) => [profile, databaseKind] as const),
  ),
)('importing meetings from Zoom (%s, %s)', (profile, databaseKind) => {
  let h: MeetingsHarness;
  let zoom: ZoomCall;
  let host: string;
  let hooks: Awaited<ReturnType<typeof connectWebhooks>>;
  let staff: Page;
  beforeAll(async () => {
    h = await createMeetingsHarness({ profile, databaseKind });
    hooks = await connectWebhooks(h);
    zoom = await zoomApi(h);
    host = await zoomUserIdOf(h, h.lms.users.instructor.id);
    staff = await h.page(h.lms.users.instructor.id);
  }, 60_000);
  afterAll(() => h.close());

  const snapshot = async () =>
    JSON.stringify([
      await h.meetingRows(),
      await rows(h, sql`select * from meeting_occurrences order by meeting_id, occurrence_id`),
    ]);
  const post = (fields: Record<string, string>, page = staff) => h.post(page, '/import', fields);

  it('shows staff a card linking to the import page, without asking Zoom; students see none', async () => {
    h.zoom.clearRequests();
    const page = await h.page(h.lms.users.instructor.id);
    expect(page.text).toContain('data-panel="import"');
    expect(plain(page.text)).toContain('Bring a meeting you already have in Zoom');
    expect(page.text).toMatch(/href="[^"]*\/lti\/import\?ltik=/);
    const listed = h.zoom.requests().filter((r) => /\/users\/[^/]+\/meetings/.test(r.path));
    expect(listed).toEqual([]);
    const learner = await h.page(h.lms.users.learner.id);
    expect(learner.text).not.toContain('data-panel="import"');
  });

  it('lists the instructor’s upcoming meetings no course holds: not past ones, not the course’s own', async () => {
    const single = await zoomMeeting(zoom, host, { topic: 'Seminar ahead' });
    const series = await zoomMeeting(zoom, host, {
      topic: 'Weekly lab',
      type: 8,
      recurrence: { type: 2, repeat_interval: 1, weekly_days: '3', end_times: 5 },
    });
    const past = await zoomMeeting(zoom, host, { topic: 'Long gone', start_time: '2021-01-04T10:00:00' });
    const { response, id } = await h.schedule(staff, { topic: 'Scheduled here' });
    expect(response.status).toBe(303);
    await settleJobs(h);
    const text = plain((await importPage(h, staff)).text);
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
    const made = await zoomMeeting(zoom, host, { topic: 'Office hours' });
    const { id, text } = await afterImport(h, await post({ meeting: made.id }));
    expect(text).toContain('“Office hours” is now a meeting of this course.');
    expect(text).not.toContain(`data-zoom-meeting="${made.id}"`);
    const row = await meetingRow(h, id);
    expect(row).toMatchObject({
      origin: 'imported',
      state: 'scheduled',
      zoom_meeting_id: made.id,
      zoom_uuid: made.uuid,
      host_zoom_user_id: host,
      topic: 'Office hours',
      duration_minutes: 45,
      time_zone: 'America/New_York',
    });
    expect(row.join_url).toBe(made.joinUrl);
    expect(row.scheduled_by).toBe(row.host_lms_user_id);
    expect(new Date(row.start_time as string).toISOString()).toBe('2030-05-06T14:00:00.000Z');
    const learner = await h.page(h.lms.users.learner.id);
    expect(meetingItem(learner.text, id)).toContain('Office hours');
  });

  it('adds a series with its occurrences', async () => {
    const made = await zoomMeeting(zoom, host, {
      topic: 'Tutorial series',
      type: 8,
      recurrence: { type: 2, repeat_interval: 1, weekly_days: '2', end_times: 4 },
    });
    const { id } = await afterImport(h, await post({ meeting: made.id }));
    const occurrences = await rows(h, sql`select * from meeting_occurrences where meeting_id = ${id}`);
    expect(occurrences).toHaveLength(4);
    expect((await meetingRow(h, id)).recurrence).toMatchObject({ type: 2, weekly_days: '2' });
  });

  it.each([
    ['the meeting ID', (m: { id: string }) => m.id],
    ['the ID as Zoom prints it', (m: { id: string }) => m.id.replace(/^(\d{3})(\d{4})(\d+)$/, '$1 $2 $3')],
    ['a zoom.us join link', (m: { id: string }) => `https://school.zoom.us/j/${m.id}?pwd=abcDEF123`],
    ['the simulator’s join link', (m: { joinUrl: string }) => ` ${m.joinUrl} `],
  ])('adds a meeting pasted as %s', async (_label, pasted) => {
    const made = await zoomMeeting(zoom, host, { topic: `Pasted ${_label}` });
    const { id } = await afterImport(h, await post({ meeting: pasted(made) }));
    expect(await meetingRow(h, id)).toMatchObject({ zoom_meeting_id: made.id, origin: 'imported' });
  });

  it('a second Add of the same meeting changes nothing and says it is already here', async () => {
    const made = await zoomMeeting(zoom, host, { topic: 'Twice' });
    const first = await afterImport(h, await post({ meeting: made.id }));
    const before = await snapshot();
    const second = await afterImport(h, await post({ meeting: made.id }));
    expect(second.id).toBe(first.id);
    expect(second.text).toContain('“Twice” was already a meeting of this course: nothing changed.');
    expect(await snapshot()).toBe(before);
  });

  describe('refusals, in words, with nothing changed', () => {
    let other: ZoomCall;
    let otherAdmin: string;
    beforeAll(async () => {
      const account = await h.zoom.createAccount({ plan: 'business' });
      other = await zoomApi(h, account.account_id);
      otherAdmin = account.admin_email;
      await h.activate(h.lms.users.ta.id);
    });

    const cases: Array<[string, () => Promise<string>, number, string]> = [
      ['garbage', async () => 'hello there', 400, 'That is not a Zoom meeting ID or join link.'],
      ['nothing', async () => '', 400, 'That is not a Zoom meeting ID or join link.'],
      ['too few digits', async () => '12345', 400, 'That is not a Zoom meeting ID or join link.'],
      ['a link of no meeting', async () => 'https://school.zoom.us/j/abc', 400, 'not a Zoom meeting ID'],
      ['a script', async () => 'javascript:alert(1)//12345678901', 400, 'not a Zoom meeting ID'],
      [
        'a meeting of another Zoom account',
        async () => (await zoomMeeting(other, otherAdmin, { topic: 'Theirs' })).id,
        404,
        'Your school’s Zoom account has no such meeting',
      ],
      ['a meeting that does not exist', async () => '99999999999', 404, 'has no such meeting'],
      [
        'a deleted meeting',
        async () => {
          const made = await zoomMeeting(zoom, host, { topic: 'Deleted in Zoom' });
          await zoom('DELETE', `/meetings/${made.id}`);
          return made.id;
        },
        404,
        'has no such meeting',
      ],
      [
        'a meeting that is over',
        async () => (await zoomMeeting(zoom, host, { start_time: '2022-02-01T10:00:00' })).id,
        409,
        'That meeting is over',
      ],
      [
        'a meeting with no fixed time',
        async () => (await zoomMeeting(zoom, host, { type: 3, start_time: undefined })).id,
        409,
        'no fixed time',
      ],
      [
        'a meeting the instructor is only an alternative host of',
        async () => {
          const ta = await zoomUserIdOf(h, h.lms.users.ta.id);
          const email = String(h.zoom.users(h.account.account_id).find((u) => u.id === host)?.email);
          return (
            await zoomMeeting(zoom, ta, { topic: 'Hosted by the TA', settings: { alternative_hosts: email } })
          ).id;
        },
        403,
        'You are not the host of that meeting',
      ],
      [
        'a meeting another course holds',
        async () => {
          const made = await zoomMeeting(zoom, host, { topic: 'Held elsewhere' });
          const [course] = await rows<{ school_id: string; lms_issuer: string }>(
            h,
            sql`select school_id, lms_issuer from courses limit 1`,
          );
          await rows(
            h,
            sql`insert into meetings (school_id, lms_issuer, context_id, intent_key, state, zoom_meeting_id,
                  host_zoom_user_id, host_lms_user_id, scheduled_by, topic, start_time, duration_minutes,
                  time_zone, settings)
                values (${course?.school_id}, ${course?.lms_issuer}, 'chemistry-202', ${`seed-${made.id}`},
                  'scheduled', ${made.id}, ${host}, ${h.lms.users.instructor.id}, ${h.lms.users.instructor.id},
                  'Held elsewhere', '2030-05-06T14:00:00Z', 45, 'America/New_York', '{}'::jsonb)`,
          );
          return made.id;
        },
        409,
        'Another course of your school already holds that meeting.',
      ],
    ];

    it.each(cases)('refuses %s', async (_label, input, status, words) => {
      const pasted = await input();
      const before = await snapshot();
      h.zoom.clearRequests();
      const response = await post({ meeting: pasted });
      expect(response.status).toBe(status);
      const text = plain(response.text);
      expect(text).toContain(words);
      expect(text).toContain('Nothing');
      expect(text).not.toContain('chemistry-202');
      expect(await snapshot()).toBe(before);
      expect(h.zoom.requests({ method: 'PATCH' })).toEqual([]);
    });

    it('refuses in Spanish for a Spanish launch', async () => {
      const es = await h.page(h.lms.users.instructor.id, h.lms, '', { locale: 'es' });
      const before = await snapshot();
      const response = await post({ meeting: 'nada' }, es);
      expect(response.status).toBe(400);
      expect(plain(response.text)).toContain(
        'Eso no es un ID ni un enlace de reunión de Zoom. No se añadió nada.',
      );
      expect(await snapshot()).toBe(before);
    });
  });

  describe('who may import', () => {
    it('refuses a learner (403) on the page and the form', async () => {
      const learner = await h.page(h.lms.users.learner.id);
      const made = await zoomMeeting(zoom, host, { topic: 'Not for students' });
      const before = await snapshot();
      expect((await importPage(h, learner)).status).toBe(403);
      expect((await post({ meeting: made.id }, learner)).status).toBe(403);
      expect(await snapshot()).toBe(before);
    });

    it('answers 401 without a launch', async () => {
      expect((await request(h.app).get('/lti/import').accept('json')).status).toBe(401);
      expect((await request(h.app).post('/lti/import').type('form').send({ meeting: '1' })).status).toBe(401);
    });

    it('refuses a form without this session’s token (403)', async () => {
      const made = await zoomMeeting(zoom, host, { topic: 'Forged' });
      const before = await snapshot();
      const response = await h.post({ ...staff, csrf: 'forged' }, '/import', { meeting: made.id });
      expect(response.status).toBe(403);
      expect(await snapshot()).toBe(before);
    });

    it('refuses another school’s instructor: the meeting is not theirs to bring (nothing changed)', async () => {
      const made = await zoomMeeting(zoom, host, { topic: 'This school only' });
      const lms = await h.addLms({ profile: 'canvas', school: 'Other school' });
      const page = await h.page(lms.users.instructor.id, lms);
      const before = await snapshot();
      const response = await h.post(page, '/import', { meeting: made.id });
      expect([404, 409]).toContain(response.status);
      expect(plain(response.text)).not.toContain('This school only');
      expect(await snapshot()).toBe(before);
    });
  });

  describe('an imported meeting behaves like the rest', () => {
    it('meeting.updated from Zoom changes the imported row', async () => {
      const made = await zoomMeeting(zoom, host, { topic: 'Before the webhook' });
      const { id } = await afterImport(h, await post({ meeting: made.id }));
      await zoom('PATCH', `/meetings/${made.id}`, { topic: 'Renamed in Zoom' });
      await h.zoom.flushWebhooks();
      await settleJobs(h);
      expect(await meetingRow(h, id)).toMatchObject({ topic: 'Renamed in Zoom', origin: 'imported' });
      expect(hooks.last('meeting.updated').ok).toBe(true);
    });

    it('takes attendance: registration turned on at Zoom as creates set it, and the students’ links made', async () => {
      // Links are made a week ahead: a class in two days has them now.
      const made = await zoomMeeting(zoom, host, {
        topic: 'With attendance',
        start_time: `${soonDate()}T10:00:00`,
      });
      h.zoom.clearRequests();
      const { id } = await afterImport(h, await post({ meeting: made.id }));
      const patch = h.zoom.requests({ method: 'PATCH', path: `/v2/meetings/${made.id}` });
      expect(patch.map((r) => r.status)).toEqual([204]);
      const atZoom = h.zoom.meetings(h.account.account_id).find((m) => String(m.id) === made.id);
      expect(atZoom?.settings).toMatchObject({
        approval_type: 0,
        registration_type: 1,
        registrants_confirmation_email: false,
        registrants_email_notification: false,
      });
      expect((await meetingRow(h, id)).settings).toMatchObject({ registration: true });
      await drainJobs(h);
      const made2 = await rows<{ state: string }>(
        h,
        sql`select state from meeting_registrants where meeting_id = ${id}`,
      );
      // The links job ran for it: the learner's own registrant link at Zoom.
      expect(made2.map((r) => r.state)).toEqual(['ready']);
      const registrants = h.zoom.requests({ method: 'POST', path: `/v2/meetings/${made.id}/registrants` });
      expect(registrants.length).toBeGreaterThan(0);
      const learner = await h.page(h.lms.users.learner.id);
      expect(meetingItem(learner.text, id)).toContain(`/lti/meetings/${id}/join?ltik=`);
    }, 60_000);

    it('with attendance off: no change asked of Zoom', async () => {
      await rows(
        h,
        sql`insert into attendance_settings (school_id, lms_issuer, context_id, enabled)
            select school_id, lms_issuer, context_id, false from courses
            on conflict (school_id, lms_issuer, context_id) do update set enabled = false`,
      );
      try {
        const made = await zoomMeeting(zoom, host, { topic: 'No attendance' });
        h.zoom.clearRequests();
        const { id } = await afterImport(h, await post({ meeting: made.id }));
        expect(h.zoom.requests({ method: 'PATCH' })).toEqual([]);
        expect((await meetingRow(h, id)).settings).not.toHaveProperty('registration');
      } finally {
        await rows(h, sql`update attendance_settings set enabled = true`);
      }
    });
  });

  it('follows the host’s meeting list across pages (300 a page)', async () => {
    h.zoom.setLimits(h.account.account_id, { enabled: false });
    try {
      for (let batch = 0; batch < 10; batch += 1)
        await Promise.all(
          Array.from({ length: 30 }, (_, i) =>
            zoomMeeting(zoom, host, {
              topic: `Filler ${batch * 30 + i}`,
              start_time: `2031-01-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00`,
            }),
          ),
        );
      const last = await zoomMeeting(zoom, host, {
        topic: 'On the second page',
        start_time: '2032-06-01T10:00:00',
      });
      h.zoom.clearRequests();
      const text = plain((await importPage(h, staff)).text);
      expect(text).toContain('On the second page');
      expect(text).toContain(`data-zoom-meeting="${last.id}"`);
      const pages = h.zoom.requests({ method: 'GET' }).filter((r) => /\/users\/[^/]+\/meetings/.test(r.path));
      expect(pages.length).toBeGreaterThanOrEqual(2);
      const { id } = await afterImport(h, await post({ meeting: last.id }));
      expect((await meetingRow(h, id)).topic).toBe('On the second page');
    } finally {
      h.zoom.setLimits(h.account.account_id, { enabled: true });
    }
  }, 120_000);
});
