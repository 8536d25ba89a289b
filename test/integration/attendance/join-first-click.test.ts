import request from 'supertest';
import { sql } from 'drizzle-orm';
import { LMS_ROLES } from '../../../src/sandbox/lms';
import { databaseKinds } from '../../support/db';
import { drainJobs, meetingRow, rows, soonDate } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';

/**
 * Issue 19: the Join click of a student with no link yet (enrolled since the last roster read) asks
 * Zoom once, within 3 s; past that the page waits on our table ("Getting your own link…") and after
 * 20 s offers the meeting's own link. Another course's learner, no launch, a malformed id and a
 * deleted meeting get what they should.
 */
describe.each(databaseKinds())('attendance: the Join click (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let meetingId: string;
  let zoomId: string;
  let joinUrl: string;
  const learner = (id: string, name: string) => ({
    id,
    givenName: name,
    familyName: 'Late',
    name: `${name} Late`,
    email: `${id}@school.example`,
    roles: [LMS_ROLES.membershipLearner],
  });
  const join = (ltik: string, query = '') =>
    request(h.app).get(`/lti/meetings/${meetingId}/join?ltik=${encodeURIComponent(ltik)}${query}`);
  const registrant = async (userId: string) =>
    (
      await rows<{ email: string; state: string }>(
        h,
        sql`select email, state from meeting_registrants where meeting_id = ${meetingId} and lms_user_id = ${userId}`,
      )
    )[0];
  const atZoom = () =>
    h.zoom.meetings(h.account.account_id).find((m) => String(m.id) === zoomId)?.registrants ?? [];

  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    const { response, id } = await h.schedule(await h.page(h.lms.users.instructor.id), {
      topic: 'History',
      date: soonDate(),
    });
    expect(response.status).toBe(303);
    meetingId = id;
    await drainJobs(h);
    const row = await meetingRow(h, id);
    zoomId = String(row.zoom_meeting_id);
    joinUrl = String(row.join_url);
  }, 60_000);
  afterAll(() => h.close());

  it('gives a student enrolled since the roster was read their own link at the first click, within 3 s', async () => {
    h.lms.addUser(learner('late-1', 'Lena'));
    const page = await h.page('late-1');
    expect(await registrant('late-1')).toBeUndefined();
    const started = Date.now();
    const response = await join(page.ltik);
    expect(Date.now() - started).toBeLessThan(3_000);
    expect(response.status).toBe(303);
    const row = await registrant('late-1');
    expect(row?.state).toBe('ready');
    const own = atZoom().find((r) => r.email === row?.email);
    expect(String(response.headers.location)).toContain(`/w/${zoomId}?tk=${own?.token}`);
    const [person] = await rows<{ state: string; is_student: boolean }>(
      h,
      sql`select state, is_student from course_people where lms_user_id = 'late-1'`,
    );
    expect(person).toMatchObject({ state: 'active', is_student: true });
  });

  it('when Zoom is slow, waits on a page that reads only our table, then offers the meeting’s link after 20 s', async () => {
    h.lms.addUser(learner('late-2', 'Luis'));
    const page = await h.page('late-2', h.lms, '', { locale: 'es' });
    h.zoom.injectFault({
      kind: 'latency',
      ms: 4_000,
      match: { method: 'POST', path: `/v2/meetings/${zoomId}/registrants` },
      count: 1,
    });
    const started = Date.now();
    const first = await join(page.ltik);
    expect(Date.now() - started).toBeLessThan(3_800);
    expect(first.status).toBe(200);
    expect(first.text).toContain('Obteniendo tu enlace personal');
    expect(first.text).toContain('role="status"');
    expect(first.text).not.toContain(joinUrl);
    const since = Number(/since=(\d+)/.exec(first.text)?.[1]);
    expect(since).toBeGreaterThan(0);

    const before = h.zoom.requests().length;
    const waiting = await join(page.ltik, `&wait=1&since=${since}`);
    expect(waiting.status).toBe(200);
    expect(waiting.text).not.toContain(joinUrl);
    const later = await join(page.ltik, `&wait=1&since=${Date.now() - 21_000}`);
    expect(later.text).toContain(joinUrl.replace(/&/g, '&amp;'));
    expect(later.text).toContain('enlace general');
    const json = await join(page.ltik, `&wait=1&since=${since}&format=json`);
    expect(json.body).toEqual({ url: null, plain: false });
    expect(h.zoom.requests().length).toBe(before);

    // The POST Zoom was slow to answer lands; the next poll goes to their own link.
    for (let i = 0; i < 60 && (await registrant('late-2'))?.state !== 'ready'; i += 1)
      await new Promise((resolve) => setTimeout(resolve, 100));
    const done = await join(page.ltik, `&wait=1&since=${since}`);
    expect(done.status).toBe(303);
    expect(String(done.headers.location)).toContain(`/w/${zoomId}?tk=`);
    // One POST for Luis, answered late: never a second (the polls asked Zoom nothing).
    const posts = h.zoom.requests({ method: 'POST', path: `/v2/meetings/${zoomId}/registrants` });
    expect(posts.filter((r) => r.seq > before)).toEqual([]);
  }, 30_000);

  it('answers 404 to a learner of another course, and makes them nothing', async () => {
    const other = await h.page(h.lms.users.learner.id, h.lms, '', { courseId: 'another-course' });
    const response = await join(other.ltik);
    expect(response.status).toBe(404);
    expect(String(response.headers.location ?? '')).toBe('');
  });

  it('answers 403 to someone with no role in the course, and makes them nothing', async () => {
    h.lms.addUser({ ...learner('guest-1', 'Gus'), roles: [LMS_ROLES.systemUser] });
    const page = await h.page('guest-1');
    const response = await join(page.ltik);
    expect(response.status).toBe(403);
    expect(await registrant('guest-1')).toBeUndefined();
  });

  it('answers 401 without a launch and 404 to an id that is not one', async () => {
    expect((await request(h.app).get(`/lti/meetings/${meetingId}/join`)).status).toBe(401);
    const page = await h.page(h.lms.users.learner.id);
    const response = await request(h.app).get(
      `/lti/meetings/not-a-meeting/join?ltik=${encodeURIComponent(page.ltik)}`,
    );
    expect(response.status).toBe(404);
  });

  it('says a deleted meeting was deleted', async () => {
    const staff = await h.page(h.lms.users.instructor.id);
    const student = await h.page(h.lms.users.learner.id);
    const deleted = await h.post(staff, `/meetings/${meetingId}/delete`, { scope: 'all' });
    expect(deleted.status).toBe(303);
    const response = await join(student.ltik);
    expect(response.status).toBe(410);
    expect(response.text).toContain('The meeting “History” that this link opens was deleted.');
  });
});
