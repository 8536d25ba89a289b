import { sql } from 'drizzle-orm';
import { databaseKinds } from '../../support/db';
import {
  coursePage,
  meetingItem,
  meetingRow,
  rows,
  settleJobs,
  zoomAdmin,
} from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness, type Page } from '../../support/meetings-harness';

/**
 * A reconcile reads each meeting of the course from Zoom on its own: one Zoom will not read is
 * recorded on that meeting (staff see the error on the course page) and the others are still read.
 * Zoom's `status` (waiting/started) repairs a `meeting.started` or `meeting.ended` that never came;
 * a meeting started long ago with nothing to say it is live does not stay "In progress".
 * No webhooks are configured here: every change reaches the tool through a reconcile.
 */
describe.each(databaseKinds('one'))('reconciling when Zoom fails or events are lost (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let instructor: Page;
  let student: Page;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    instructor = await h.page(h.lms.users.instructor.id);
    student = await h.page(h.lms.users.learner.id);
  });
  afterAll(() => h.close());
  afterEach(() => h.zoom.clearFaults());

  const schedule = async (fields: Record<string, string | string[]>) => {
    const { response, id } = await h.schedule(await h.page(h.lms.users.instructor.id), fields);
    if (response.status !== 303) throw new Error(`schedule answered ${response.status}`);
    await settleJobs(h);
    return { id, zoomId: String((await meetingRow(h, id)).zoom_meeting_id) };
  };
  /** An instructor's visit after the last reconcile is older than 5 minutes: the job runs. */
  const reconcile = async () => {
    await rows(
      h,
      sql`update courses set reconciled_at = now() - interval '6 minutes' where context_id = ${h.lms.course.contextId}`,
    );
    await coursePage(h, instructor);
    await settleJobs(h);
  };
  const past = (html: string) => html.slice(html.indexOf('id="past-heading"'));
  const upcoming = (html: string) => html.slice(0, html.indexOf('id="past-heading"'));

  it('one meeting Zoom will not read (a persistent 400) does not stop the others: a meeting renamed in Zoom is read and updated, and staff see what failed', async () => {
    const broken = await schedule({ topic: 'Unreadable', date: '2030-05-01' });
    const renamed = await schedule({ topic: 'Before the rename', date: '2030-05-02' });
    await (await zoomAdmin(h)).patch(renamed.zoomId, { topic: 'Renamed in Zoom' });
    h.zoom.injectFault({
      match: { method: 'GET', path: `^/v2/meetings/${broken.zoomId}$` },
      kind: 'status5xx',
      status: 400,
    });
    const since = h.zoom.requests().at(-1)?.seq ?? 0;

    await reconcile();

    expect((await meetingRow(h, renamed.id)).topic).toBe('Renamed in Zoom');
    expect(h.zoom.requests({ since, method: 'GET', path: `/v2/meetings/${renamed.zoomId}` })).toHaveLength(1);
    // The job succeeded (a finished job's row is deleted; a failing one stays, pending a retry or failed).
    expect(await rows(h, sql`select status from background_jobs where kind = 'meetings.reconcile'`)).toEqual(
      [],
    );
    const failed = await meetingRow(h, broken.id);
    expect(failed).toMatchObject({
      topic: 'Unreadable',
      reconcile_error: expect.stringContaining('HTTP 400'),
    });
    expect(failed.reconcile_error_at).not.toBeNull();

    const staffItem = meetingItem(await coursePage(h, instructor), broken.id);
    expect(staffItem).toMatch(
      /class="muted reconcile-error">Zoom could not be read about this meeting at .*\(HTTP 400/,
    );
    expect(meetingItem(await coursePage(h, instructor), renamed.id)).not.toContain('reconcile-error');
    expect(meetingItem(await coursePage(h, student), broken.id)).not.toContain('could not be read');

    // Once Zoom reads it again, the error is gone.
    h.zoom.clearFaults();
    await reconcile();
    expect((await meetingRow(h, broken.id)).reconcile_error).toBeNull();
    expect(meetingItem(await coursePage(h, instructor), broken.id)).not.toContain('reconcile-error');
  });

  it('a meeting.ended that never came: the reconcile reads that Zoom is waiting, and the meeting moves to the past', async () => {
    const { id, zoomId } = await schedule({ topic: 'Ended quietly' });
    h.zoom.startMeeting(zoomId);
    await rows(h, sql`update meetings set state = 'started' where id = ${id}`); // meeting.started came
    h.zoom.endMeeting(zoomId, { participants: 2, recording: false }); // meeting.ended was lost
    expect(meetingItem(await coursePage(h, student), id)).toContain('In progress');

    await reconcile();

    expect((await meetingRow(h, id)).state).toBe('ended');
    const page = await coursePage(h, student);
    expect(past(page)).toContain(`data-meeting="${id}"`);
    expect(meetingItem(page, id)).not.toContain('In progress');
  });

  it('a meeting.started that never came: the reconcile reads that Zoom has it started, and it shows in progress', async () => {
    const { id, zoomId } = await schedule({ topic: 'Started quietly' });
    h.zoom.startMeeting(zoomId);

    await reconcile();

    expect((await meetingRow(h, id)).state).toBe('started');
    expect(meetingItem(await coursePage(h, student), id)).toContain('In progress');
  });

  it('a class of a weekly series whose meeting.ended never came: the series is scheduled again, still upcoming', async () => {
    const { id, zoomId } = await schedule({
      topic: 'Weekly, ended quietly',
      repeats: 'weekly',
      on: ['2'],
      ends: 'after',
      endAfter: '4',
    });
    await rows(h, sql`update meetings set state = 'started' where id = ${id}`);

    await reconcile();

    expect((await meetingRow(h, id)).state).toBe('scheduled');
    expect(h.zoom.meetings(h.account.account_id).find((m) => String(m.id) === zoomId)?.status).not.toBe(
      'started',
    );
    const page = await coursePage(h, student);
    expect(upcoming(page)).toContain(`data-meeting="${id}"`);
    expect(meetingItem(page, id)).not.toContain('In progress');
  });

  it('a meeting started two days ago with no word since (Zoom not asked) is shown as past, not in progress', async () => {
    const { id } = await schedule({ topic: 'Started long ago' });
    await rows(
      h,
      sql`update meetings set state = 'started', start_time = now() - interval '2 days' where id = ${id}`,
    );

    const page = await coursePage(h, student); // students never ask Zoom

    expect(past(page)).toContain(`data-meeting="${id}"`);
    expect(meetingItem(page, id)).not.toContain('In progress');
  });

  it('a meeting started an hour ago, planned for two, is still in progress', async () => {
    const { id } = await schedule({ topic: 'Running now', duration: '120' });
    await rows(
      h,
      sql`update meetings set state = 'started', start_time = now() - interval '1 hour' where id = ${id}`,
    );

    const page = await coursePage(h, student);

    expect(upcoming(page)).toContain(`data-meeting="${id}"`);
    expect(meetingItem(page, id)).toContain('In progress');
  });
});
