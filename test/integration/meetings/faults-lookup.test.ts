import { sql } from 'drizzle-orm';
import { databaseKinds } from '../../support/db';
import { followRedirect, rows, settleJobs } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';

/**
 * Found by the fault storm: after a create whose answer was lost, the tool looks on the host. When
 * that look-up fails too, Zoom may well have made the meeting: asking again would make it twice, and
 * dropping the intent (on a refusal of the second ask) would leave Zoom's meeting without its row.
 * The create is left to the confirm job instead.
 */
const CREATE = '^/v2/users/[^/]+/meetings$';

describe.each(databaseKinds('one'))(
  'when Zoom cannot be asked whether it made a meeting (%s)',
  (databaseKind) => {
    let h: MeetingsHarness;
    beforeAll(async () => {
      h = await createMeetingsHarness({ databaseKind });
    });
    afterAll(() => h.close());
    afterEach(() => h.zoom.clearFaults());

    const mark = () => h.zoom.requests().at(-1)?.seq ?? 0;
    const meetingCalls = (since: number) =>
      h.zoom
        .requests({ since })
        .filter((r) => new RegExp(CREATE).test(r.path))
        .map((r) => `${r.method} ${r.status}`);
    const zoomMeetings = (topic: string) =>
      h.zoom.meetings(h.account.account_id).filter((m) => m.topic === topic);
    const ourRows = (topic: string) =>
      rows<{ state: string; zoom_meeting_id: string | null }>(
        h,
        sql`select state, zoom_meeting_id from meetings where topic = ${topic}`,
      );

    it('the answer is lost and the host cannot be listed: nothing is asked again, and the confirm job adopts the one meeting', async () => {
      const page = await h.page(h.lms.users.instructor.id);
      h.zoom.injectFault({ match: { method: 'POST', path: CREATE }, kind: 'commit_then_drop', count: 1 });
      // The listing fails on every try the client makes (it retries a GET three times).
      h.zoom.injectFault({
        match: { method: 'GET', path: CREATE },
        kind: 'status5xx',
        status: 503,
        count: 4,
      });
      const since = mark();

      const { response } = await h.schedule(page, { topic: 'Unlisted' });

      expect(meetingCalls(since)).toEqual(['POST 0', 'GET 503', 'GET 503', 'GET 503', 'GET 503']);
      expect(await followRedirect(h, response)).toContain('Zoom did not confirm “Unlisted” yet.');
      expect(zoomMeetings('Unlisted')).toHaveLength(1);
      expect(await ourRows('Unlisted')).toEqual([{ state: 'creating', zoom_meeting_id: null }]);

      await rows(h, sql`update background_jobs set run_at = now() where kind = 'meetings.confirm-create'`);
      await settleJobs(h);

      const [made, ...others] = zoomMeetings('Unlisted');
      expect(others).toEqual([]);
      expect(await ourRows('Unlisted')).toEqual([{ state: 'scheduled', zoom_meeting_id: String(made?.id) }]);
    });

    it('the answer is lost and the look-up is refused (429): the intent stays for the confirm job, never dropped', async () => {
      const page = await h.page(h.lms.users.instructor.id);
      h.zoom.injectFault({ match: { method: 'POST', path: CREATE }, kind: 'commit_then_drop', count: 1 });
      h.zoom.injectFault({
        match: { method: 'GET', path: CREATE },
        kind: 'rate_limit',
        ms: 100_000,
        count: 1,
      });

      await h.schedule(page, { topic: 'Busy look-up' });

      expect(await ourRows('Busy look-up')).toEqual([{ state: 'creating', zoom_meeting_id: null }]);
      await rows(h, sql`update background_jobs set run_at = now() where kind = 'meetings.confirm-create'`);
      await settleJobs(h);
      const [made, ...others] = zoomMeetings('Busy look-up');
      expect(others).toEqual([]);
      expect(await ourRows('Busy look-up')).toEqual([
        { state: 'scheduled', zoom_meeting_id: String(made?.id) },
      ]);
    });
  },
);
