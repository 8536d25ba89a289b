import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import pg from 'pg';
import type request from 'supertest';
import { databaseKinds } from '../../support/db';
import {
  followRedirect,
  meetingRow,
  newIntent,
  plain,
  rows,
  settleJobs,
} from '../../support/meetings-fixtures';
import { createMeetingsHarness, meetingForm, type MeetingsHarness } from '../../support/meetings-harness';

/**
 * Zoom allows each host 100 meeting creates and updates a day, counted from 00:00 UTC (ZOOM-NOTES).
 * The tool counts them per host (zoom_host_usage), warns from the 80th and refuses the 101st itself.
 */
describe.each(databaseKinds('one'))("a host's daily meeting changes (%s)", (databaseKind) => {
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
  /** Stands for the host's earlier requests today (instead of sending them all). */
  const setUsage = (requests: number) =>
    rows(
      h,
      sql`insert into zoom_host_usage (school_id, host_zoom_user_id, day, requests)
          values (${host.schoolId}, ${host.zoomUserId}, ${today()}, ${requests})
          on conflict (school_id, host_zoom_user_id, day) do update set requests = excluded.requests`,
    );
  const writesSince = (since: number) =>
    h.zoom
      .requests({ since })
      .filter((r) => (r.method === 'POST' || r.method === 'PATCH') && /meetings/.test(r.path));
  const mark = () => h.zoom.requests().at(-1)?.seq ?? 0;
  /** Midnight UTC as a New York viewer reads it, e.g. "Tue, Mar 4, 2025, 7:00 PM EST". */
  const resetInNewYork = () =>
    plain(
      DateTime.utc()
        .startOf('day')
        .plus({ days: 1 })
        .setZone('America/New_York')
        .setLocale('en')
        .toLocaleString({ ...DateTime.DATETIME_MED_WITH_WEEKDAY, timeZoneName: 'short' }),
    );
  const edit = (page: Awaited<ReturnType<MeetingsHarness['page']>>, id: string, topic: string, query = '') =>
    h.post(page, `/meetings/${id}${query}`, meetingForm({ intent: newIntent(), topic }));

  it('each create and each update of a meeting counts one request of its host today (UTC); a delete counts none', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const before = await usage();

    const { response, id } = await h.schedule(page, { topic: 'Counted' });
    expect(response.status).toBe(303);
    expect(await usage()).toBe(before + 1);

    expect((await edit(page, id, 'Counted again')).status).toBe(303);
    expect(await usage()).toBe(before + 2);

    expect((await h.post(page, `/meetings/${id}/delete`, { scope: 'all' })).status).toBe(303);
    expect(await usage()).toBe(before + 2);
  });

  it("the 81st change of the day is made and the page warns with the count and the reset in the viewer's zone", async () => {
    const page = await h.page(h.lms.users.instructor.id);
    await setUsage(79);
    const { id } = await h.schedule(page, { topic: 'Near the limit' }); // the 80th

    const response = await edit(page, id, 'Near the limit, moved', '?tz=America/New_York'); // the 81st

    const shown = await followRedirect(h, response);
    expect(shown).toContain('The meeting “Near the limit, moved” is updated.');
    expect(shown).toContain(
      `You have made 81 of the 100 meeting changes Zoom allows you per day. The count starts again at ${resetInNewYork()}.`,
    );
    expect(await usage()).toBe(81);
    const zoomId = Number((await meetingRow(h, id)).zoom_meeting_id);
    expect(h.zoom.meetings(h.account.account_id).find((m) => m.id === zoomId)?.topic).toBe(
      'Near the limit, moved',
    );
  });

  it('the 101st change of the day is refused with the reset time in the viewer’s zone: nothing is sent to Zoom, nothing changes', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    await setUsage(98);
    const { id } = await h.schedule(page, { topic: 'At the limit' }); // the 99th
    expect((await edit(page, id, 'At the limit, edited')).status).toBe(303); // the 100th
    const meetingsBefore = await h.meetingRows();
    const rowBefore = await meetingRow(h, id);
    await settleJobs(h); // the students' registrant links of the meeting just scheduled
    const since = mark();

    const create = await h.post(
      page,
      '/meetings?tz=America/New_York',
      meetingForm({ intent: newIntent(), topic: 'One too many' }),
    );
    const update = await edit(page, id, 'One edit too many', '?tz=America/New_York');

    for (const refused of [create, update]) {
      expect(refused.status).toBe(429);
      expect(plain(refused.text)).toContain('Zoom’s daily limit for this host is reached');
      expect(plain(refused.text)).toContain(
        `Try again after ${resetInNewYork()}, when Zoom starts counting again.`,
      );
    }
    expect(writesSince(since)).toEqual([]);
    expect(await h.meetingRows()).toEqual(meetingsBefore);
    expect(await meetingRow(h, id)).toEqual(rowBefore);
    expect(await usage()).toBe(100);
  });

  if (databaseKind === 'postgres') {
    // The reservation is one conditional increment; a lock on `meetings` holds both requests between reservation and create.
    it('when two changes of a host arrive together at its 100th, only one is sent to Zoom and the other is refused', async () => {
      const page = await h.page(h.lms.users.instructor.id);
      await setUsage(99);
      const since = mark();
      const blocker = new pg.Client({ connectionString: h.database.url });
      await blocker.connect();
      let answers: request.Response[];
      try {
        await blocker.query('begin');
        await blocker.query('lock table meetings in share mode');
        let settled = 0;
        const sent = Promise.all(
          ['Together 1', 'Together 2'].map(async (topic) => {
            const answer = await h.post(page, '/meetings', meetingForm({ intent: newIntent(), topic }));
            settled += 1;
            return answer;
          }),
        );
        // Both held (or, once fixed, one held and the other already refused).
        await waitFor(async () => (await lockWaiters(blocker)) + settled >= 2);
        await blocker.query('rollback');
        answers = await sent;
      } finally {
        await blocker.end();
      }

      expect(answers.map((a) => a.status).sort()).toEqual([303, 429]);
      expect(writesSince(since)).toHaveLength(1);
      expect(await usage()).toBe(100);
    });
  }
});

/** Sessions of this database waiting for a lock. */
async function lockWaiters(blocker: pg.Client): Promise<number> {
  const { rows: found } = await blocker.query<{ n: string }>(
    `select count(distinct l.pid) as n from pg_locks l join pg_stat_activity a on a.pid = l.pid
     where not l.granted and a.datname = current_database()`,
  );
  return Number(found[0]?.n ?? 0);
}

async function waitFor(condition: () => Promise<boolean>): Promise<void> {
  for (let i = 0; i < 400; i += 1) {
    if (await condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
  throw new Error('the requests never got to Zoom nor were refused');
}
