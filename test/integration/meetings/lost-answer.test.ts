import { sql } from 'drizzle-orm';
import request from 'supertest';
import { CONFIRM_CREATE_ATTEMPTS } from '../../../src/meetings/meetings.sync';
import { databaseKinds } from '../../support/db';
import {
  coursePage,
  followRedirect,
  listedMeetings,
  meetingItem,
  meetingRow,
  rows,
  settleJobs,
} from '../../support/meetings-fixtures';
import { createMeetingsHarness, meetingForm, type MeetingsHarness } from '../../support/meetings-harness';

/**
 * Answers Zoom gave but the tool did not read: an edit Zoom applied whose read-back failed is
 * recorded as made (a retry would spend the host's daily quota again); a create whose answer was
 * lost is adopted only when the host's meeting matches it (not by topic alone); a create the
 * confirm job gave up on is shown to staff as failed, with Retry and Delete, and never to students.
 */
const CREATE = '^/v2/users/[^/]+/meetings$';

describe.each(databaseKinds('one'))('when Zoom’s answer is lost (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
  });
  afterAll(() => h.close());
  afterEach(() => h.zoom.clearFaults());

  const mark = () => h.zoom.requests().at(-1)?.seq ?? 0;
  /** Zoom's creates (POST), host listings (GET) and one-meeting calls since `seq`, in order. */
  const meetingCalls = (since: number) =>
    h.zoom
      .requests({ since })
      .filter((r) => new RegExp(CREATE).test(r.path) || /^\/v2\/meetings\/\d+$/.test(r.path))
      .map((r) => `${r.method} ${new RegExp(CREATE).test(r.path) ? 'host' : 'meeting'} ${r.status}`);
  const zoomMeetings = (topic: string) =>
    h.zoom.meetings(h.account.account_id).filter((m) => m.topic === topic);
  const hostRequests = async () => {
    const [usage] = await rows<{ n: number | string }>(
      h,
      sql`select coalesce(sum(requests), 0) as n from zoom_host_usage`,
    );
    return Number(usage?.n ?? 0);
  };
  /** The confirm job runs now, as its last try. */
  const runConfirmAsLastTry = async () => {
    await rows(
      h,
      sql`update background_jobs set run_at = now(), attempts = ${CONFIRM_CREATE_ATTEMPTS - 1} where kind = 'meetings.confirm-create'`,
    );
    await settleJobs(h);
  };
  /** A create that Zoom never confirmed and the confirm job gave up on (Zoom made it when `made`). */
  const failedCreate = async (topic: string, made: boolean) => {
    const page = await h.page(h.lms.users.instructor.id);
    if (made)
      h.zoom.injectFault({ match: { method: 'POST', path: CREATE }, kind: 'commit_then_drop', count: 1 });
    else
      h.zoom.injectFault({
        match: { method: 'POST', path: CREATE },
        kind: 'status5xx',
        status: 503,
        count: 2,
      });
    // The host's meetings cannot be listed, at the schedule nor at any try of the confirm job.
    h.zoom.injectFault({ match: { method: 'GET', path: CREATE }, kind: 'status5xx', status: 503 });
    const { id } = await h.schedule(page, { topic });
    expect((await meetingRow(h, id)).state).toBe('creating');
    await runConfirmAsLastTry();
    h.zoom.clearFaults();
    return { id, page };
  };

  it('an edit Zoom applied whose read-back failed is reported as made, records what was sent, and is read again later', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const { id } = await h.schedule(page, { topic: 'Edit, answer lost' });
    const row = await meetingRow(h, id);
    const zoomId = String(row.zoom_meeting_id);
    h.zoom.injectFault({
      match: { method: 'GET', path: `^/v2/meetings/${zoomId}$` },
      kind: 'status5xx',
      status: 503,
    });
    const usedBefore = await hostRequests();
    const since = mark();

    const response = await h.post(
      page,
      `/meetings/${id}`,
      meetingForm({
        intent: String(row.intent_key),
        topic: 'Moved, answer lost',
        date: '2030-03-06',
        startTime: '11:00',
      }),
    );

    expect(await followRedirect(h, response)).toContain('The meeting “Moved, answer lost” is updated.');
    expect(meetingCalls(since).filter((call) => call.startsWith('PATCH'))).toEqual(['PATCH meeting 204']);
    expect(await hostRequests()).toBe(usedBefore + 1);
    expect(zoomMeetings('Moved, answer lost')).toHaveLength(1);
    const recorded = await meetingRow(h, id);
    expect(recorded).toMatchObject({ topic: 'Moved, answer lost', state: 'scheduled' });
    expect(new Date(recorded.start_time as string).toISOString()).toBe('2030-03-06T16:00:00.000Z');

    // Zoom answers again: the read the edit asked for (a reconcile, a minute later) reads it.
    h.zoom.clearFaults();
    const reread = mark();
    await rows(h, sql`update background_jobs set run_at = now() where kind = 'meetings.reconcile'`);
    await settleJobs(h);
    expect(meetingCalls(reread)).toContain('GET meeting 200');
  });

  it('a lost create is not taken for a meeting of the same topic at another time: Zoom is asked again, and the other meeting is left alone', async () => {
    const host = h.zoom.users(h.account.account_id).find((u) => u.email === h.lms.users.instructor.email);
    const decoy = await zoomCreate(h, String(host?.id), {
      topic: 'Lookalike',
      type: 2,
      start_time: '2030-03-04T10:00:00',
      timezone: 'America/New_York',
      duration: 60,
    });
    const page = await h.page(h.lms.users.instructor.id);
    h.zoom.injectFault({ match: { method: 'POST', path: CREATE }, kind: 'status5xx', status: 500, count: 1 });
    const since = mark();

    const { id } = await h.schedule(page, { topic: 'Lookalike' }); // 09:00 in New York

    expect(meetingCalls(since).slice(0, 3)).toEqual(['POST host 500', 'GET host 200', 'POST host 201']);
    const row = await meetingRow(h, id);
    expect(row.zoom_meeting_id).not.toBe(decoy);
    expect(new Date(row.start_time as string).toISOString()).toBe('2030-03-04T14:00:00.000Z');
    expect(
      zoomMeetings('Lookalike')
        .map((m) => String(m.id))
        .sort(),
    ).toEqual([decoy, String(row.zoom_meeting_id)].sort());
  });

  it('a create the confirm job gave up on is failed: staff see it with Retry and Delete, students do not, and Retry makes it once', async () => {
    const { id, page } = await failedCreate('Gave up', false);

    expect((await meetingRow(h, id)).state).toBe('failed');
    const staffItem = meetingItem(await coursePage(h, page), id);
    expect(staffItem).toContain('Not scheduled');
    expect(staffItem).toContain(`/meetings/${id}/retry`);
    expect(staffItem).toContain(`/meetings/${id}/delete`);
    expect(staffItem).not.toContain('class="button join"');
    const studentPage = await coursePage(h, await h.page(h.lms.users.learner.id));
    expect(listedMeetings(studentPage)).not.toContain(id);
    const feedUrl = /href="([^"]+\.ics)"/.exec(studentPage)?.[1] ?? '';
    const feed = await request(h.app).get(new URL(feedUrl.replace(/&amp;/g, '&')).pathname);
    expect(feed.status).toBe(200);
    expect(feed.text).not.toContain('Gave up');
    expect(zoomMeetings('Gave up')).toEqual([]);

    const since = mark();
    const retried = await h.post(page, `/meetings/${id}/retry`);

    expect(await followRedirect(h, retried)).toContain('The meeting “Gave up” is scheduled.');
    expect(meetingCalls(since).filter((c) => c.includes('host'))).toEqual(['GET host 200', 'POST host 201']);
    const [made, ...others] = zoomMeetings('Gave up');
    expect(others).toEqual([]);
    expect(await meetingRow(h, id)).toMatchObject({ state: 'scheduled', zoom_meeting_id: String(made?.id) });
    expect((await h.post(page, `/meetings/${id}/retry`)).status).toBe(303); // a second click makes nothing
    expect(zoomMeetings('Gave up')).toHaveLength(1);
  });

  it('Retry of a failed create that Zoom did make adopts that meeting: nothing is made twice', async () => {
    const { id, page } = await failedCreate('Made after all', true);
    expect((await meetingRow(h, id)).state).toBe('failed');
    const since = mark();

    const retried = await h.post(page, `/meetings/${id}/retry`);

    expect(retried.status).toBe(303);
    expect(meetingCalls(since).filter((c) => c.startsWith('POST'))).toEqual([]);
    const [made, ...others] = zoomMeetings('Made after all');
    expect(others).toEqual([]);
    expect(await meetingRow(h, id)).toMatchObject({ state: 'scheduled', zoom_meeting_id: String(made?.id) });
  });

  it('Retry is refused without a launch (401), to a learner (403) and for another course’s meeting (404), asking nothing of Zoom', async () => {
    const { id } = await failedCreate('Not yours to retry', false);
    const since = mark();
    const learner = await h.page(h.lms.users.learner.id);
    const other = await h.page(h.lms.users.instructor.id, undefined, '', { courseId: 'other-course' });

    const anonymous = await request(h.app)
      .post(`/lti/meetings/${id}/retry`)
      .type('form')
      .accept('json')
      .send({});
    const fromLearner = await h.post(learner, `/meetings/${id}/retry`);
    const fromOtherCourse = await h.post(other, `/meetings/${id}/retry`);
    const unknown = await h.post(await h.page(h.lms.users.instructor.id), '/meetings/not-a-meeting/retry');

    expect([anonymous.status, fromLearner.status, fromOtherCourse.status, unknown.status]).toEqual([
      401, 403, 404, 404,
    ]);
    expect(h.zoom.requests({ since }).filter((r) => r.path.includes('/meetings'))).toEqual([]);
    expect((await meetingRow(h, id)).state).toBe('failed');
  });

  it('Delete of a failed create removes it from the course and asks nothing of Zoom', async () => {
    const { id, page } = await failedCreate('Given up, deleted', false);
    const since = mark();

    const deleted = await h.post(page, `/meetings/${id}/delete`, { scope: 'all' });

    expect(await followRedirect(h, deleted)).toContain('The meeting “Given up, deleted” is deleted.');
    expect((await meetingRow(h, id)).state).toBe('deleted');
    expect(h.zoom.requests({ since, method: 'DELETE' })).toEqual([]);
    expect(listedMeetings(await coursePage(h, page))).not.toContain(id);
  });
});

/** The host's Zoom admin makes a meeting in Zoom itself (not through the tool); its id. */
async function zoomCreate(
  h: MeetingsHarness,
  hostId: string,
  body: Record<string, unknown>,
): Promise<string> {
  const app = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
  const { access_token: token } = h.zoom.issueTokens(app.client_id, h.account.account_id);
  const response = await fetch(`${h.zoom.baseUrl}/v2/users/${hostId}/meetings`, {
    method: 'POST',
    headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
    body: JSON.stringify(body),
  });
  if (response.status !== 201) throw new Error(`create answered ${response.status}`);
  return String(((await response.json()) as { id: number | string }).id);
}
