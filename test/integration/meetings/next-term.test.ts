import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import request from 'supertest';
import type { LmsCourse, LmsProfileName } from '../../../src/sandbox/lms';
import { databaseKinds } from '../../support/db';
import { newIntent, plain, rows } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness, type Page } from '../../support/meetings-harness';

const CARD = 'Bring its class meetings over?';

/**
 * Next term: a course the LMS copied (the copy's launches name the earlier course in
 * `$Context.id.history`, and on Canvas `$Canvas.course.previousContextIds.recursive`) starts empty;
 * its instructor is offered the earlier course's series and brings them over with new dates, each
 * a new Zoom meeting. Nothing else of the earlier course crosses. Moodle (restore) and Canvas
 * (course copy) on both databases.
 */
describe.each(
  databaseKinds('both').flatMap((kind) =>
    (['moodle', 'canvas'] as LmsProfileName[]).map((profile) => [kind, profile] as const),
  ),
)('next term (%s, %s)', (databaseKind, profile) => {
  let h: MeetingsHarness;
  let seriesId: string;
  let singleId: string;
  let deletedId: string;

  const instructor = () => h.lms.users.instructor.id;
  const learner = () => h.lms.users.learner.id;
  const launchIn = (userId: string, course: LmsCourse) => h.page(userId, h.lms, '', { courseId: course.id });
  const courseRow = async (course: LmsCourse) =>
    (await rows(h, sql`select * from courses where context_id = ${course.contextId}`))[0];
  const meetingsIn = (course: LmsCourse) =>
    rows(h, sql`select * from meetings where context_id = ${course.contextId} order by start_time`);
  const get = (page: Page, path: string) =>
    request(h.app)
      .get(`/lti${path}?ltik=${encodeURIComponent(page.ltik)}`)
      .accept('html');

  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind, profile });
    // Last term: a weekly series (Monday and Wednesday), a single meeting, and one deleted.
    const page = await h.page(instructor());
    seriesId = (
      await h.schedule(page, {
        intent: newIntent(),
        topic: 'Weekly lecture',
        repeats: 'weekly',
        on: ['2', '4'],
        ends: 'after',
        endAfter: '10',
      })
    ).id;
    singleId = (await h.schedule(page, { intent: newIntent(), topic: 'Review session', date: '2030-03-06' }))
      .id;
    deletedId = (await h.schedule(page, { intent: newIntent(), topic: 'Cancelled talk' })).id;
    expect((await h.post(page, `/meetings/${deletedId}/delete`, { scope: 'all' })).status).toBe(303);
    // What the earlier course holds of its people and recordings (none of it may cross).
    const old = await courseRow(h.lms.course);
    await rows(
      h,
      sql`insert into course_people (school_id, lms_issuer, context_id, lms_user_id, name, is_student)
          values (${old?.school_id}, ${old?.lms_issuer}, ${old?.context_id}, 'last-term-student', 'Last Term', true)`,
    );
    await rows(
      h,
      sql`insert into meeting_recordings (meeting_id, zoom_uuid, play_url) values (${seriesId}, 'rec-uuid', 'https://zoom.example/rec/1')`,
    );
  });
  afterAll(() => h.close());

  it('a course nobody copied offers nothing (its launch carries no history)', async () => {
    const page = await h.page(instructor());
    expect(page.text).not.toContain(CARD);
    expect((await courseRow(h.lms.course))?.copy_offer_state).toBeNull();
    expect((await get(page, '/next-term')).status).toBe(404);
  });

  it('the copy’s launch names the earlier course, as this LMS substitutes it', () => {
    const copy = h.lms.copyCourse(h.lms.course.id);
    const claims = h.lms.claimsFor(instructor(), { nonce: 'n', courseId: copy.id });
    const custom = claims['https://purl.imsglobal.org/spec/lti/claim/custom'] as Record<string, string>;
    expect(custom.context_id_history).toBe(h.lms.course.contextId);
    if (profile === 'canvas') expect(custom.canvas_previous_context_ids).toBe(h.lms.course.contextId);
    else expect(custom.canvas_previous_context_ids).toBeUndefined();
  });

  it('a learner of the copy sees no offer, and may not open or post it', async () => {
    const copy = h.lms.copyCourse(h.lms.course.id);
    const page = await launchIn(learner(), copy);
    expect(page.text).not.toContain(CARD);
    expect((await get(page, '/next-term')).status).toBe(403);
    expect((await h.post(page, '/next-term', { pick: seriesId })).status).toBe(403);
    expect((await h.post(page, '/next-term/dismiss')).status).toBe(403);
    expect((await courseRow(copy))?.copy_offer_state ?? null).toBeNull();
  });

  it('without a launch the page answers 401', async () => {
    expect((await request(h.app).get('/lti/next-term').accept('html')).status).toBe(401);
  });

  it('the copy’s instructor brings two series over with new dates: new Zoom meetings, the pattern kept, nothing else', async () => {
    const copy = h.lms.copyCourse(h.lms.course.id);
    const page = await launchIn(instructor(), copy);
    expect(plain(page.text)).toContain(`This course was copied from ${h.lms.course.title}. ${CARD}`);
    expect(await courseRow(copy)).toMatchObject({
      copied_from_context_id: h.lms.course.contextId,
      copy_offer_state: 'offered',
    });

    const offer = await get(page, '/next-term');
    expect(offer.status).toBe(200);
    expect(offer.text).toContain(`data-series="${seriesId}"`);
    expect(offer.text).toContain(`data-series="${singleId}"`);
    expect(offer.text).not.toContain(`data-series="${deletedId}"`);
    expect(offer.text).toContain('Weekly lecture');

    const response = await h.post(page, '/next-term', {
      pick: [seriesId, singleId],
      [`date-${seriesId}`]: '2031-01-06',
      [`count-${seriesId}`]: '12',
      [`date-${singleId}`]: '2031-01-08',
    });
    expect(response.status).toBe(303);
    expect(String(response.headers.location)).toContain('/lti/next-term/done');

    const old = await meetingsIn(h.lms.course);
    const brought = await meetingsIn(copy);
    expect(brought).toHaveLength(2);
    const [series, single] = brought;
    const oldSeries = old.find((m) => m.id === seriesId);
    expect(series).toMatchObject({
      topic: 'Weekly lecture',
      origin: 'copied',
      copied_from_meeting_id: seriesId,
      state: 'scheduled',
      duration_minutes: 60,
      time_zone: 'America/New_York',
      host_lms_user_id: h.lms.findUser(instructor())?.id === instructor() ? expect.any(String) : undefined,
    });
    expect(series?.recurrence).toMatchObject({ type: 2, weekly_days: '2,4', end_times: 12 });
    expect(oldSeries?.recurrence).toMatchObject({ type: 2, weekly_days: '2,4', end_times: 10 });
    const local = DateTime.fromJSDate(new Date(String(series?.start_time)), { zone: 'America/New_York' });
    expect(local.toFormat('yyyy-MM-dd HH:mm')).toBe('2031-01-06 09:00');
    expect(single).toMatchObject({
      topic: 'Review session',
      origin: 'copied',
      copied_from_meeting_id: singleId,
    });
    expect(single?.recurrence).toBeNull();
    // Each a new Zoom meeting of the instructor, never last term's.
    const oldZoomIds = old.map((m) => m.zoom_meeting_id);
    for (const meeting of brought) {
      expect(meeting.zoom_meeting_id).toEqual(expect.any(String));
      expect(oldZoomIds).not.toContain(meeting.zoom_meeting_id);
      expect(meeting.host_zoom_user_id).toBe(oldSeries?.host_zoom_user_id);
      expect(meeting.join_url).not.toBe(oldSeries?.join_url);
    }
    expect((await courseRow(copy))?.copy_offer_state).toBe('done');

    // Nothing else crossed: no recordings, attendance, registrants or last term's people.
    const ids = brought.map((m) => String(m.id));
    const count = async (table: string) =>
      (
        await rows<{ n: number }>(
          h,
          sql`select count(*)::int as n from ${sql.identifier(table)} where meeting_id in (${sql.join(
            ids.map((id) => sql`${id}::uuid`),
            sql`, `,
          )})`,
        )
      )[0]?.n;
    expect(await count('meeting_recordings')).toBe(0);
    expect(await count('meeting_instances')).toBe(0);
    expect(await count('attendance_sessions')).toBe(0);
    expect(await count('meeting_registrants')).toBe(0);
    const people = await rows(
      h,
      sql`select lms_user_id from course_people where context_id = ${copy.contextId}`,
    );
    expect(people.map((p) => p.lms_user_id)).not.toContain('last-term-student');

    // The offer is over: no card, the page is gone, the course page lists the new meetings.
    const again = await launchIn(instructor(), copy);
    expect(again.text).not.toContain(CARD);
    expect(again.text).toContain('Weekly lecture');
    expect((await get(again, '/next-term')).status).toBe(404);
  });

  it('a repeated submit makes nothing twice', async () => {
    const copy = h.lms.copyCourse(h.lms.course.id);
    const page = await launchIn(instructor(), copy);
    const form = { pick: [singleId], [`date-${singleId}`]: '2031-02-05' };
    const first = h.post(page, '/next-term', form);
    const second = h.post(page, '/next-term', form);
    const statuses = (await Promise.all([first, second])).map((r) => r.status).sort();
    expect(statuses[0]).toBe(303);
    expect(await meetingsIn(copy)).toHaveLength(1);
  });

  it.each([
    ['nothing ticked', () => ({}), 'Tick at least one meeting'],
    [
      'a date in the past',
      () => ({ pick: [singleId], [`date-${singleId}`]: '2020-01-01' }),
      'The new date is in the past',
    ],
    ['no date', () => ({ pick: [singleId], [`date-${singleId}`]: '' }), 'Enter the new date'],
    [
      'a count over Zoom’s 50',
      () => ({ pick: [seriesId], [`date-${seriesId}`]: '2031-01-06', [`count-${seriesId}`]: '51' }),
      'from 1 to 50',
    ],
    [
      'a count of none',
      () => ({ pick: [seriesId], [`date-${seriesId}`]: '2031-01-06', [`count-${seriesId}`]: '0' }),
      'from 1 to 50',
    ],
  ])('%s is refused in words and nothing is scheduled', async (_name, fields, words) => {
    const copy = h.lms.copyCourse(h.lms.course.id);
    const page = await launchIn(instructor(), copy);
    const response = await h.post(page, '/next-term', fields());
    expect(response.status).toBe(400);
    expect(plain(response.text)).toContain(words);
    expect(await meetingsIn(copy)).toHaveLength(0);
    expect((await courseRow(copy))?.copy_offer_state).toBe('offered');
  });

  it('a meeting not of the earlier course is not found, and a form without its token is refused', async () => {
    const copy = h.lms.copyCourse(h.lms.course.id);
    const page = await launchIn(instructor(), copy);
    const stranger = '00000000-0000-4000-8000-000000000000';
    expect(
      (await h.post(page, '/next-term', { pick: stranger, [`date-${stranger}`]: '2031-01-06' })).status,
    ).toBe(404);
    expect(
      (
        await request(h.app)
          .post('/lti/next-term')
          .type('form')
          .send({ ltik: page.ltik, csrf: 'forged', pick: singleId, [`date-${singleId}`]: '2031-01-06' })
      ).status,
    ).toBe(403);
    expect(await meetingsIn(copy)).toHaveLength(0);
  });

  it('“No thanks” dismisses the offer for good', async () => {
    const copy = h.lms.copyCourse(h.lms.course.id);
    const page = await launchIn(instructor(), copy);
    expect(page.text).toContain(CARD);
    expect((await h.post(page, '/next-term/dismiss')).status).toBe(303);
    expect((await courseRow(copy))?.copy_offer_state).toBe('dismissed');
    expect((await launchIn(instructor(), copy)).text).not.toContain(CARD);
    expect((await get(page, '/next-term')).status).toBe(404);
    expect(await meetingsIn(copy)).toHaveLength(0);
  });

  it('a copied course that already holds a meeting is never offered', async () => {
    const copy = h.lms.copyCourse(h.lms.course.id);
    const old = await courseRow(h.lms.course);
    await rows(
      h,
      sql`insert into meetings (school_id, lms_issuer, context_id, intent_key, state, host_zoom_user_id, host_lms_user_id, scheduled_by, topic, start_time, duration_minutes, time_zone, settings)
          values (${old?.school_id}, ${old?.lms_issuer}, ${copy.contextId}, ${newIntent()}, 'scheduled', 'host', ${instructor()}, ${instructor()}, 'Already here', now(), 30, 'UTC', '{"waitingRoom":false,"joinBeforeHost":false,"autoRecording":"none","alternativeHosts":[]}'::jsonb)`,
    );
    const page = await launchIn(instructor(), copy);
    expect(page.text).not.toContain(CARD);
    expect((await courseRow(copy))?.copy_offer_state ?? null).toBeNull();
  });

  it('a copy of a course that never had meetings offers nothing; a copy of a copy offers the most recent course with meetings', async () => {
    const bare = h.lms.copyCourse('9001');
    expect((await launchIn(instructor(), bare)).text).not.toContain(CARD);

    const middle = h.lms.copyCourse(h.lms.course.id);
    const last = h.lms.copyCourse(middle.id);
    const page = await launchIn(instructor(), last);
    expect(page.text).toContain(CARD);
    expect((await courseRow(last))?.copied_from_context_id).toBe(h.lms.course.contextId);
  });

  it('another school’s course with the same context id is never offered', async () => {
    await h.addLms({ profile, school: `${profile} other school` });
    const [school] = await rows(h, sql`select id from schools where name = ${`${profile} other school`}`);
    // Our copy of a course that has no meetings here; another school (same issuer) holds meetings
    // in a course with the very context id the copy's history names.
    const copy = h.lms.copyCourse('7770');
    const context = h.lms.claimsFor(instructor(), { nonce: 'n', courseId: '7770' })[
      'https://purl.imsglobal.org/spec/lti/claim/context'
    ] as { id: string };
    for (const contextId of [context.id, h.lms.course.contextId]) {
      await rows(
        h,
        sql`insert into courses (school_id, lms_issuer, context_id, title) values (${school?.id}, ${h.lms.issuer}, ${contextId}, 'Theirs') on conflict do nothing`,
      );
      await rows(
        h,
        sql`insert into meetings (school_id, lms_issuer, context_id, intent_key, state, host_zoom_user_id, host_lms_user_id, scheduled_by, topic, start_time, duration_minutes, time_zone, settings)
            values (${school?.id}, ${h.lms.issuer}, ${contextId}, ${newIntent()}, 'scheduled', 'h', 'u', 'u', 'Their class', now(), 30, 'UTC', '{"waitingRoom":false,"joinBeforeHost":false,"autoRecording":"none","alternativeHosts":[]}'::jsonb)`,
      );
    }
    const page = await launchIn(instructor(), copy);
    expect(page.text).not.toContain(CARD);
    expect((await courseRow(copy))?.copy_offer_state ?? null).toBeNull();
    expect((await get(page, '/next-term')).status).toBe(404);
    // A copy of our own course is offered our series only, never theirs.
    const ours = await get(await launchIn(instructor(), h.lms.copyCourse(h.lms.course.id)), '/next-term');
    expect(ours.text).toContain(seriesId);
    expect(ours.text).not.toContain('Their class');
  });
});
