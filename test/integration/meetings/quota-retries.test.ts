import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import { databaseKinds } from '../../support/db';
import { meetingRow, newIntent, plain, rows } from '../../support/meetings-fixtures';
import { createMeetingsHarness, meetingForm, type MeetingsHarness } from '../../support/meetings-harness';

/**
 * Issue 17, item 20 (a): the Zoom client sends an update again after a 5xx or a time-out (up to 3
 * retries), and Zoom may have counted each of those sends toward the host's 100 meeting creates
 * and updates a day. Each one counts here too; at the limit, a retry is not sent at all.
 */
describe.each(databaseKinds('one'))('what Zoom may count toward a host’s day (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let host: { schoolId: string; zoomUserId: string };
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    const [row] = await rows<{ school_id: string; zoom_user_id: string }>(
      h,
      sql`select school_id, zoom_user_id from zoom_users where lms_user_id = ${h.lms.users.instructor.id}`,
    );
    host = { schoolId: row!.school_id, zoomUserId: row!.zoom_user_id };
  });
  afterAll(() => h.close());

  const today = () => DateTime.utc().toISODate()!;
  const usage = async () => {
    const [row] = await rows<{ requests: number }>(
      h,
      sql`select requests from zoom_host_usage
          where school_id = ${host.schoolId} and host_zoom_user_id = ${host.zoomUserId} and day = ${today()}`,
    );
    return Number(row?.requests ?? 0);
  };
  const setUsage = (requests: number) =>
    rows(
      h,
      sql`update zoom_host_usage set requests = ${requests}
          where school_id = ${host.schoolId} and host_zoom_user_id = ${host.zoomUserId} and day = ${today()}`,
    );
  const patchesSince = (since: number) =>
    h.zoom.requests({ since }).filter((r) => r.method === 'PATCH' && /\/v2\/meetings\//.test(r.path));
  const mark = () => h.zoom.requests().at(-1)?.seq ?? 0;
  const scheduleOne = async (topic: string) => {
    const page = await h.page(h.lms.users.instructor.id);
    const { response, id } = await h.schedule(page, { topic });
    expect(response.status).toBe(303);
    return { page, id, zoomId: String((await meetingRow(h, id)).zoom_meeting_id) };
  };
  const failPatches = (zoomId: string, count: number) =>
    h.zoom.injectFault({
      match: { method: 'PATCH', path: `^/v2/meetings/${zoomId}$` },
      kind: 'status5xx',
      status: 503,
      count,
    });

  it('an edit Zoom answered 503 twice before applying it counts three requests, one per send', async () => {
    const { page, id, zoomId } = await scheduleOne('Sent three times');
    const before = await usage();
    const since = mark();
    failPatches(zoomId, 2);
    const response = await h.post(
      page,
      `/meetings/${id}`,
      meetingForm({ intent: newIntent(), topic: 'Applied at last' }),
    );
    expect(response.status).toBe(303);
    expect(patchesSince(since).map((r) => r.status)).toEqual([503, 503, 204]);
    expect(await usage()).toBe(before + 3);
    expect((await meetingRow(h, id)).topic).toBe('Applied at last');
  });

  it('at the limit, the retry is not sent: the edit is refused with the host’s daily limit', async () => {
    const { page, id, zoomId } = await scheduleOne('One request left');
    await setUsage(99);
    const since = mark();
    failPatches(zoomId, 1);
    const refused = await h.post(
      page,
      `/meetings/${id}`,
      meetingForm({ intent: newIntent(), topic: 'Not retried' }),
    );
    expect(refused.status).toBe(429);
    expect(plain(refused.text)).toMatch(/Zoom’s daily limit[^<]* for this host is reached/);
    expect(patchesSince(since).map((r) => r.status)).toEqual([503]);
    expect(await usage()).toBe(100);
    h.zoom.clearFaults();
  });
});
