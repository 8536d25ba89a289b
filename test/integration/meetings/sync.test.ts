import request from 'supertest';
import { sql } from 'drizzle-orm';
import { databaseKinds } from '../../support/db';
import {
  connectWebhooks,
  coursePage,
  listedMeetings,
  meetingItem,
  meetingRow,
  occurrencesOf,
  rows,
  settleJobs,
  zoomAdmin,
} from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness, type Page } from '../../support/meetings-harness';

/**
 * Zoom's webhooks (ZOOM-NOTES "Webhooks") keep the course's meetings as Zoom has them. The school's
 * own S2S app sends them from the simulator to the school's endpoint; Zoom retries resend the same
 * body, which changes nothing the second time.
 */
describe.each(databaseKinds('one'))("Zoom's webhooks about the course's meetings (%s)", (databaseKind) => {
  let h: MeetingsHarness;
  let hooks: Awaited<ReturnType<typeof connectWebhooks>>;
  let admin: Awaited<ReturnType<typeof zoomAdmin>>;
  let instructor: Page;
  let student: Page;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    hooks = await connectWebhooks(h);
    admin = await zoomAdmin(h);
    instructor = await h.page(h.lms.users.instructor.id);
    student = await h.page(h.lms.users.learner.id);
  });
  afterAll(() => h.close());

  /** Schedules from the instructor's page; our id and Zoom's. */
  const schedule = async (fields: Record<string, string | string[]>) => {
    const { response, id } = await h.schedule(await h.page(h.lms.users.instructor.id), fields);
    if (response.status !== 303) throw new Error(`schedule answered ${response.status}`);
    await settleJobs(h);
    return { id, zoomId: String((await meetingRow(h, id)).zoom_meeting_id) };
  };
  /** Lets Zoom's deliveries arrive and the work they asked for run. */
  const settle = async () => {
    await h.zoom.flushWebhooks();
    await settleJobs(h);
  };
  /** Zoom retries a delivery the tool already took: it is a duplicate and the row stays as it was. */
  const expectRetryChangesNothing = async (event: string, id: string) => {
    const before = await meetingRow(h, id);
    const answer = await hooks.retry(hooks.last(event));
    expect(answer.status).toBe(200);
    expect(answer.body).toEqual({ received: true, duplicate: true });
    await settleJobs(h);
    expect(await meetingRow(h, id)).toEqual(before);
  };

  it('meeting.updated: a topic and time changed in Zoom are shown in the course', async () => {
    const { id, zoomId } = await schedule({
      topic: 'Planned in the tool',
      date: '2030-04-01',
      startTime: '10:00',
    });

    await admin.patch(zoomId, {
      topic: 'Renamed in Zoom',
      start_time: '2030-04-02T11:00:00',
      timezone: 'America/New_York',
    });
    await settle();

    expect(await meetingRow(h, id)).toMatchObject({ topic: 'Renamed in Zoom', state: 'scheduled' });
    expect(new Date((await meetingRow(h, id)).start_time as string).toISOString()).toBe(
      '2030-04-02T15:00:00.000Z',
    );
    const item = meetingItem(await coursePage(h, student, '&tz=America/New_York'), id);
    expect(item).toContain('Renamed in Zoom');
    expect(item).toContain('Tue, Apr 2, 2030, 11:00 AM EDT');
    await expectRetryChangesNothing('meeting.updated', id);
  });

  it('meeting.deleted for the whole meeting: it is gone from the lists', async () => {
    const { id, zoomId } = await schedule({ topic: 'Cancelled in Zoom' });
    expect(listedMeetings(await coursePage(h, student))).toContain(id);

    await admin.remove(zoomId);
    await settle();

    expect((await meetingRow(h, id)).state).toBe('deleted');
    expect(listedMeetings(await coursePage(h, student))).not.toContain(id);
    expect(listedMeetings(await coursePage(h, instructor))).not.toContain(id);
    await expectRetryChangesNothing('meeting.deleted', id);
  });

  it('meeting.deleted for one occurrence: that occurrence is gone, the others stay', async () => {
    const { id, zoomId } = await schedule({
      topic: 'Series losing a week',
      repeats: 'weekly',
      on: ['2'],
      ends: 'after',
      endAfter: '4',
    });
    const [, second] = await occurrencesOf(h, id);

    await admin.remove(zoomId, second!.id);
    await settle();

    const left = (await occurrencesOf(h, id)).filter((o) => o.status === 'available');
    expect(left.map((o) => o.start)).toEqual([
      '2030-03-04T14:00:00.000Z',
      '2030-03-18T13:00:00.000Z',
      '2030-03-25T13:00:00.000Z',
    ]);
    const item = meetingItem(await coursePage(h, student), id);
    expect(item).toContain('3 occurrences left');
    await expectRetryChangesNothing('meeting.deleted', id);
  });

  it('meeting.started: the student sees the meeting in progress; meeting.ended: it moves to the past', async () => {
    const { id, zoomId } = await schedule({ topic: 'Live class' });

    h.zoom.startMeeting(zoomId);
    await settle();
    expect((await meetingRow(h, id)).state).toBe('started');
    expect(meetingItem(await coursePage(h, student), id)).toMatch(/class="badge live">In progress</);

    h.zoom.endMeeting(zoomId, { participants: 2, recording: false });
    await settle();
    expect((await meetingRow(h, id)).state).toBe('ended');
    const page = await coursePage(h, student);
    expect(page.indexOf(`data-meeting="${id}"`)).toBeGreaterThan(page.indexOf('Past meetings'));
    expect(meetingItem(page, id)).not.toContain('In progress');

    // Zoom retries both: nothing moves back to "in progress", nothing changes.
    await expectRetryChangesNothing('meeting.started', id);
    await expectRetryChangesNothing('meeting.ended', id);
  });

  it('meeting.ended of one class of a weekly series: the series stays upcoming, with its Join link', async () => {
    const { id, zoomId } = await schedule({
      topic: 'Weekly live',
      repeats: 'weekly',
      on: ['2'],
      ends: 'after',
      endAfter: '4',
    });
    h.zoom.startMeeting(zoomId);
    await settle();
    expect((await meetingRow(h, id)).state).toBe('started');

    h.zoom.endMeeting(zoomId, { participants: 2, recording: false });
    await settle();

    expect((await meetingRow(h, id)).state).toBe('scheduled');
    const page = await coursePage(h, student);
    expect(page.indexOf(`data-meeting="${id}"`)).toBeLessThan(page.indexOf('Past meetings'));
    expect(meetingItem(page, id)).toMatch(/class="button join"/);
    expect(meetingItem(page, id)).not.toContain('In progress');
  });

  // Zoom retries a failed delivery later with the same body: a late `meeting.started` after `meeting.ended` changes nothing.
  it('a meeting.started retried by Zoom after meeting.ended does not put the meeting back in progress', async () => {
    const { id, zoomId } = await schedule({ topic: 'Started late' });
    await hooks.reconnect('not the app secret token'); // the tool refuses Zoom's deliveries for a while
    h.zoom.startMeeting(zoomId);
    await h.zoom.flushWebhooks();
    const missed = hooks.deliveries('meeting.started').at(-1)!;
    expect(missed).toMatchObject({ ok: false, status: 401 });
    await hooks.reconnect(hooks.secret);
    h.zoom.endMeeting(zoomId, { participants: 1, recording: false });
    await settle();
    expect((await meetingRow(h, id)).state).toBe('ended');

    expect((await hooks.retry(missed)).body).toEqual({ received: true });
    await settleJobs(h);

    expect((await meetingRow(h, id)).state).toBe('ended');
    expect(meetingItem(await coursePage(h, student), id)).not.toContain('In progress');
  });

  /** Where a page's watch link of the meeting's recording sends (our link, never Zoom's on the page). */
  const watchedAt = async (html: string, id: string) => {
    const href = new RegExp(`href="(/lti/recordings/${id}/[A-Za-z0-9_-]+/watch\\?ltik=[^"]+)"`).exec(
      html,
    )?.[1];
    if (!href) return undefined;
    const res = await request(h.app).get(href.replace(/&amp;/g, '&')).accept('html');
    return res.status === 303 ? String(res.headers.location) : `refused ${res.status}`;
  };

  it('recording.completed: the instructor sees the recording; students only once "Show recordings to students" is saved', async () => {
    const { id, zoomId } = await schedule({ topic: 'Recorded lecture' });
    h.zoom.endMeeting(zoomId, { participants: 3, recording: true });
    await settle();
    const recording = JSON.parse(hooks.last('recording.completed').body).payload.object;
    const shareUrl = String(recording.share_url);
    // The account requires passcodes for shared recordings (Zoom's default): the link embeds it.
    const link = `${shareUrl}?pwd=${String(recording.recording_play_passcode)}`;
    expect(shareUrl).toMatch(new RegExp(`^${h.zoom.baseUrl}/rec/share/`));

    // Pages link to our watch link (a 303 to Zoom's link), never to Zoom's URL.
    expect(await watchedAt(meetingItem(await coursePage(h, instructor), id), id)).toBe(link);
    expect(meetingItem(await coursePage(h, student), id)).not.toContain(shareUrl);
    expect(await watchedAt(meetingItem(await coursePage(h, student), id), id)).toBeUndefined();

    const saved = await h.post(instructor, `/meetings/${id}/recordings`, { show: 'on' });
    expect(saved.status).toBe(303);
    expect(meetingItem(await coursePage(h, student), id)).not.toContain(shareUrl);
    expect(await watchedAt(meetingItem(await coursePage(h, student), id), id)).toBe(link);

    await expectRetryChangesNothing('recording.completed', id);
    const recordings = await rows(h, sql`select play_url from meeting_recordings where meeting_id = ${id}`);
    expect(recordings).toEqual([{ play_url: link }]);
  });

  // A weekly series stays upcoming; its recordings are listed once they are shown to students.
  it('recording.completed of one class of a weekly series: students see it once it is shown to them', async () => {
    const { id, zoomId } = await schedule({
      topic: 'Weekly recorded',
      repeats: 'weekly',
      on: ['2'],
      ends: 'after',
      endAfter: '4',
    });
    h.zoom.endMeeting(zoomId, { participants: 3, recording: true });
    await settle();
    const recording = JSON.parse(hooks.last('recording.completed').body).payload.object;
    const shareUrl = String(recording.share_url);
    // The account requires passcodes for shared recordings (Zoom's default): the link embeds it.
    const link = `${shareUrl}?pwd=${String(recording.recording_play_passcode)}`;
    expect((await h.post(instructor, `/meetings/${id}/recordings`, { show: 'on' })).status).toBe(303);

    expect(await watchedAt(meetingItem(await coursePage(h, instructor), id), id)).toBe(link);
    expect(await watchedAt(meetingItem(await coursePage(h, student), id), id)).toBe(link);
  });
});
