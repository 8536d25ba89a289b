import { sql } from 'drizzle-orm';
import { databaseKinds } from '../../support/db';
import { occurrencesOf, rows } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';
import {
  classFixture,
  instancesOf,
  resultsOf,
  type ClassMeeting,
  type ResultRow,
  type Student,
} from './class-fixture';

/**
 * Issue 19: the sweep (`attendance.sweep`, docs "Sources"). A school whose Zoom app sends no events
 * still gets its held instances from Zoom's list of a meeting's ended instances 15 minutes after the
 * scheduled end, then Zoom's report and the same results as with webhooks; an instance the webhooks
 * ended is left alone; a series is swept again after its next occurrence; a refusal is logged once
 * and ends the job; a job naming another school reads nothing.
 */
const students: Student[] = [
  { id: 's-ana', name: 'Ana Sweep' },
  { id: 's-ben', name: 'Ben Sweep' },
  { id: 's-cy', name: 'Cy Sweep' },
  { id: 's-dee', name: 'Dee Sweep' },
  { id: 's-eve', name: 'Eve Sweep' },
];
const AFTER_END_MS = 15 * 60_000;
/** A job's run_at: the database adds the wait to its own clock (a few ms apart from ours). */
const expectAbout = (at: Date | string | undefined, expected: number) =>
  expect(Math.abs(new Date(String(at)).getTime() - expected)).toBeLessThan(1_000);

describe.each(databaseKinds())('attendance: the sweep of held instances (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  const logLines: string[] = [];
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind, logLines });
    try {
      h.built.jobs.register('attendance.grades', { handler: async () => undefined });
    } catch {
      // registered by the grades part
    }
  });
  afterAll(() => h.close());
  afterEach(() => h.zoom.clearFaults());

  const sweepJob = async (meetingId: string) =>
    (
      await rows<{ run_at: Date | string; status: string }>(
        h,
        sql`select run_at, status from background_jobs where kind = 'attendance.sweep' and key = ${meetingId}`,
      )
    )[0];
  /** The same class each time (60 minutes): present, late, left early, absent, back after a drop. */
  const play = async (meeting: ClassMeeting, links: Map<string, { joinUrl: string }>) => {
    const url = (id: string) => links.get(id)!.joinUrl;
    return h.zoom.playClass(meeting.zoomId, {
      end_at: 3600,
      attendees: [
        { join_url: url('s-ana'), join_at: 0 },
        { join_url: url('s-ben'), join_at: 700 },
        { join_url: url('s-cy'), join_at: 0, leave_at: 1200 },
        { join_url: url('s-eve'), join_at: 30, leave_at: 1000 },
        { join_url: url('s-eve'), join_at: 1100 },
      ],
    });
  };
  const comparable = (found: Map<string, ResultRow>, start: Date) =>
    students.map((s) => {
      const r = found.get(s.id);
      return {
        id: s.id,
        status: r?.status,
        seconds: r?.seconds,
        flags: r?.flags,
        joinedAfter: r?.first_join_at ? new Date(r.first_join_at).getTime() - start.getTime() : null,
      };
    });

  it('an app that sends no events: the sweep ends the instance, the report gives the webhooks’ results; an instance the webhooks ended is left alone', async () => {
    // With webhooks first: the results to match.
    const withEvents = await classFixture(h);
    const heard = await withEvents.schedule('Sweep, with webhooks', 60);
    const heardLinks = await withEvents.enrol(heard, students);
    await withEvents.startTime(heard);
    await play(heard, heardLinks);
    await withEvents.redeliver();
    await h.zoom.advanceClock(61);
    await withEvents.runJobs('attendance.finalize', 'attendance.report');
    await withEvents.runJobs('attendance.report');
    const [heardInstance] = await instancesOf(h, heard.id);
    expect(heardInstance).toMatchObject({ report_state: 'read' });
    const expected = comparable(await resultsOf(h, heard.id), heard.startsAt);
    expect(expected.map((r) => r.status)).toEqual(['present', 'late', 'absent', 'absent', 'present']);

    // The school's app now subscribes to no meeting event.
    const silent = await classFixture(h, { events: ['app_deauthorized'] });
    const meeting = await silent.schedule('Sweep, no events', 60);
    const job = await sweepJob(meeting.id);
    expectAbout(job?.run_at, meeting.startsAt.getTime() + 60 * 60_000 + AFTER_END_MS);
    const links = await silent.enrol(meeting, students);
    await silent.startTime(meeting);
    const played = await play(meeting, links);
    await silent.redeliver();
    expect(h.zoom.webhookDeliveries({ client_id: silent.clientId })).toEqual([]);
    expect(await instancesOf(h, meeting.id)).toEqual([]);

    const since = h.zoom.requests().at(-1)?.seq ?? 0;
    await silent.runJobs('attendance.sweep');
    const [instance] = await instancesOf(h, meeting.id);
    expect(instance).toMatchObject({ zoom_uuid: played.instance.uuid, report_state: 'pending' });
    // Zoom's times are whole seconds.
    const startedAt = Math.floor(played.instance.start_time / 1000) * 1000;
    expect(new Date(String(instance?.started_at)).getTime()).toBe(startedAt);
    // Zoom's list names no end: the start plus the scheduled length.
    expect(new Date(String(instance?.ended_at)).getTime()).toBe(startedAt + 60 * 60_000);
    expect(await sweepJob(meeting.id)).toBeUndefined();
    // The instance the webhooks ended is not touched (its meeting's sweep ran too).
    expect((await instancesOf(h, heard.id))[0]).toEqual(heardInstance);
    const listed = h.zoom.requests({ since }).filter((r) => r.path.includes('/past_meetings/'));
    expect(listed.map((r) => r.path)).toEqual(
      expect.arrayContaining([
        `/v2/past_meetings/${meeting.zoomId}/instances`,
        `/v2/past_meetings/${heard.zoomId}/instances`,
      ]),
    );
    const reportJobs = await rows<{ key: string }>(
      h,
      sql`select key from background_jobs where kind = 'attendance.report' and status = 'pending'`,
    );
    expect(reportJobs.map((j) => j.key)).toEqual([instance?.id]);

    await h.zoom.advanceClock(61);
    await silent.runJobs('attendance.report');
    await silent.runJobs('attendance.report');
    expect((await instancesOf(h, meeting.id))[0]).toMatchObject({ report_state: 'read' });
    expect(comparable(await resultsOf(h, meeting.id), meeting.startsAt)).toEqual(expected);
  });

  it('meeting.ended lost on an account without reports: the sweep ends it and results come from the participants’ webhooks', async () => {
    const fixture = await classFixture(h, {
      events: ['meeting.participant_joined', 'meeting.participant_left'],
    });
    const meeting = await fixture.schedule('Sweep, end lost', 60);
    const links = await fixture.enrol(meeting, students);
    await fixture.startTime(meeting);
    await play(meeting, links);
    await fixture.redeliver();
    const [open] = await instancesOf(h, meeting.id);
    expect(open).toMatchObject({ ended_at: null });
    h.zoom.injectFault({
      match: { method: 'GET', path: '^/v2/report/meetings/' },
      kind: 'refuse',
      status: 400,
      code: 200,
      message: `Only available for Paid or ZMP account: ${h.account.account_id}.`,
    });
    await fixture.runJobs('attendance.sweep');
    const [ended] = await instancesOf(h, meeting.id);
    expect(ended?.id).toBe(open?.id);
    expect(ended?.ended_at).not.toBeNull();
    await fixture.runJobs('attendance.report');
    expect((await instancesOf(h, meeting.id))[0]).toMatchObject({ report_state: 'unavailable' });
    const found = comparable(await resultsOf(h, meeting.id), meeting.startsAt);
    expect(found.map((r) => r.status)).toEqual(['present', 'late', 'absent', 'absent', 'present']);
    // Minutes from the webhooks' sessions, as finalize would have counted them.
    expect(found.map((r) => r.seconds)).toEqual([3600, 2900, 1200, 0, 3470]);
  });

  it('a series: swept after an occurrence, then due after the next one’s end', async () => {
    const fixture = await classFixture(h, { events: [] });
    const meeting = await fixture.schedule('Sweep series', 30, {
      repeats: 'daily',
      ends: 'after',
      endAfter: '3',
    });
    const occurrences = await occurrencesOf(h, meeting.id);
    expect(occurrences).toHaveLength(3);
    const due = (k: number) => new Date(occurrences[k]!.start).getTime() + 30 * 60_000 + AFTER_END_MS;
    expectAbout((await sweepJob(meeting.id))?.run_at, due(0));
    await fixture.startTime(meeting);
    const played = await h.zoom.playClass(meeting.zoomId, { end_at: 1800, attendees: [] });
    await fixture.runJobs('attendance.sweep');
    const [instance] = await instancesOf(h, meeting.id);
    expect(instance).toMatchObject({ zoom_uuid: played.instance.uuid, occurrence_id: occurrences[0]!.id });
    expect(instance?.ended_at).not.toBeNull();
    const next = await sweepJob(meeting.id);
    expect(next?.status).toBe('pending');
    expectAbout(next?.run_at, due(1));
  });

  it('a refusal (no scope) is logged once and ends the job; a job naming another school reads nothing', async () => {
    const fixture = await classFixture(h, { events: [] });
    const meeting = await fixture.schedule('Sweep refused', 30);
    h.zoom.injectFault({
      match: { method: 'GET', path: '^/v2/past_meetings/' },
      kind: 'refuse',
      status: 400,
      code: 4711,
      message: 'Invalid access token, does not contain scopes:[meeting:read:list_past_instances:admin].',
    });
    await fixture.startTime(meeting);
    await h.zoom.playClass(meeting.zoomId, { end_at: 1800, attendees: [] });
    const logged = logLines.length;
    await fixture.runJobs('attendance.sweep');
    h.zoom.clearFaults();
    expect(await sweepJob(meeting.id)).toBeUndefined();
    expect(await instancesOf(h, meeting.id)).toEqual([]);
    const refusals = logLines.slice(logged).filter((l) => l.includes('attendance sweep refused'));
    expect(refusals.length).toBeGreaterThanOrEqual(1);
    expect(refusals.filter((l) => l.includes(meeting.id))).toHaveLength(1);

    // Another school's job naming this meeting: the meeting is not theirs, Zoom is not asked.
    const [other] = await rows<{ id: string }>(
      h,
      sql`insert into schools (name) values (${`Other school ${databaseKind}`}) returning id`,
    );
    const since = h.zoom.requests().at(-1)?.seq ?? 0;
    await h.built.jobs.enqueue('attendance.sweep', `other:${meeting.id}`, {
      schoolId: other!.id,
      meetingId: meeting.id,
    });
    await fixture.runJobs('attendance.sweep');
    expect(h.zoom.requests({ since }).filter((r) => r.path.includes('/past_meetings/'))).toEqual([]);
    expect(await instancesOf(h, meeting.id)).toEqual([]);
  });
});
