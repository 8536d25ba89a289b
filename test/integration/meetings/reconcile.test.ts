import { sql } from 'drizzle-orm';
import { databaseKinds } from '../../support/db';
import {
  coursePage,
  listedMeetings,
  meetingRow,
  rows,
  settleJobs,
  zoomAdmin,
} from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness, type Page } from '../../support/meetings-harness';

/**
 * Without webhooks (none configured here), an instructor's visit asks for a reconciliation with Zoom
 * (job `meetings.reconcile`): at most once every 5 minutes per course, however many pages load.
 */
describe.each(databaseKinds('one'))("reconciling a course's meetings with Zoom (%s)", (databaseKind) => {
  let h: MeetingsHarness;
  let instructor: Page;
  let ids: string[];
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    instructor = await h.page(h.lms.users.instructor.id);
    ids = [];
    for (const topic of ['Reconciled one', 'Reconciled two']) {
      const page = await h.page(h.lms.users.instructor.id);
      ids.push((await h.schedule(page, { topic })).id);
    }
    await settleJobs(h);
  });
  afterAll(() => h.close());

  const mark = () => h.zoom.requests().at(-1)?.seq ?? 0;
  /** Zoom was asked about one meeting (`GET /v2/meetings/{id}`) this many times since `seq`. */
  const meetingReads = (since: number) =>
    h.zoom.requests({ since, method: 'GET' }).filter((r) => /^\/v2\/meetings\/\d+$/.test(r.path)).length;
  /** The last reconciliation was longer ago than 5 minutes. */
  const makeDue = () =>
    rows(
      h,
      sql`update courses set reconciled_at = now() - interval '6 minutes' where context_id = ${h.lms.course.contextId}`,
    );
  const load = async (page: Page) => {
    const html = await coursePage(h, page);
    await settleJobs(h);
    return html;
  };

  it("an instructor's page loads ask Zoom about the course's meetings at most once every 5 minutes", async () => {
    await makeDue();
    const since = mark();

    await load(instructor);
    expect(meetingReads(since)).toBe(ids.length);
    await load(instructor);
    await load(instructor);
    expect(meetingReads(since)).toBe(ids.length);

    await makeDue();
    await load(instructor);
    expect(meetingReads(since)).toBe(2 * ids.length);
  });

  it('page loads arriving together ask Zoom once', async () => {
    await makeDue();
    const since = mark();

    await Promise.all([1, 2, 3, 4, 5].map(() => coursePage(h, instructor)));
    await settleJobs(h);

    expect(meetingReads(since)).toBe(ids.length);
  });

  it("a student's page loads never ask for a reconciliation", async () => {
    const student = await h.page(h.lms.users.learner.id);
    await makeDue();
    const since = mark();

    await load(student);
    await load(student);

    expect(meetingReads(since)).toBe(0);
  });

  it('a meeting deleted in Zoom (no webhook came) disappears from the course after the reconciliation', async () => {
    const [gone, kept] = ids as [string, string];
    const admin = await zoomAdmin(h);
    await admin.remove(String((await meetingRow(h, gone)).zoom_meeting_id));
    expect(listedMeetings(await load(instructor))).toContain(gone); // not yet reconciled

    await makeDue();
    await load(instructor); // asks for it; the job runs after this page
    const after = listedMeetings(await load(instructor));

    expect(after).not.toContain(gone);
    expect(after).toContain(kept);
    expect((await meetingRow(h, gone)).state).toBe('deleted');
  });

  it('a past meeting Zoom no longer knows (expired) stays in the past list', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const { id } = await h.schedule(page, { topic: 'Long ago' });
    const admin = await zoomAdmin(h);
    await admin.remove(String((await meetingRow(h, id)).zoom_meeting_id)); // as Zoom forgets old meetings
    await rows(h, sql`update meetings set start_time = now() - interval '3 days' where id = ${id}`);

    await makeDue();
    await load(instructor);
    const html = await load(instructor);

    expect((await meetingRow(h, id)).state).toBe('ended');
    expect(html.slice(html.indexOf('id="past-heading"'))).toContain(`data-meeting="${id}"`);
  });
});
