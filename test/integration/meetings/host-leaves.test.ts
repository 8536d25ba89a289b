import request from 'supertest';
import { sql } from 'drizzle-orm';
import { LMS_ROLES } from '../../../src/sandbox/lms';
import { drainJobs, meetingRow, plain, rows, zoomAdmin } from '../../support/meetings-fixtures';
import { databaseKinds } from '../../support/db';
import type { MeetingsHarness } from '../../support/meetings-harness';
import { emailOf, hostLeavesHarness, hostLeavesHelpers } from './host-leaves-fixture';

/**
 * Issue 20, item 2: when the host leaves. Each way a host is lost (Zoom's user.deactivated and
 * user.deleted, a 1001 for the host at a reconcile, dropped from the course's roster) leaves the
 * meetings `orphaned`, listed on the course page for its staff and on the school admin page; only
 * the course's active, licensed instructors may take them, a bad hand-over is refused in words, and
 * a meeting Zoom no longer has is made again on the same row. The tests run in order, each building
 * on the last. Hand-over by `schedule_for` and a recreation whose answer was lost: host-handover.test.ts.
 */
describe.each(databaseKinds())('meetings: when the host leaves (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let hooks: Awaited<ReturnType<typeof hostLeavesHarness>>['hooks'];

  beforeAll(async () => {
    ({ h, hooks } = await hostLeavesHarness(databaseKind, ['ana', 'carl', 'eve', 'basil']));
  }, 120_000);
  afterAll(() => h.close());

  const { courseKey, scheduleAs, hostOf, zoomUserId, handoverPage, adminPage } = hostLeavesHelpers(() => h);

  it('user.deactivated: the host’s live meetings lose their host (staff card, admin list); user.activated gives them back', async () => {
    const id = await scheduleAs(h.lms.users.instructor.id, 'Deactivated algebra');
    const host = await zoomUserId(h.lms.users.instructor.id);
    h.zoom.deactivateUser(host);
    await h.zoom.flushWebhooks();
    expect(hooks.last('user.deactivated').ok).toBe(true);
    expect(await hostOf(id)).toMatchObject({ state: 'orphaned', reason: 'deactivated' });
    expect(await rows(h, sql`select status from zoom_users where zoom_user_id = ${host}`)).toEqual([
      { status: 'inactive' },
    ]);
    const card = plain((await h.page('ana')).text);
    expect(card).toContain('Meetings without a host');
    expect(card).toContain('Deactivated algebra');
    expect(await adminPage()).toContain('Deactivated algebra');
    // The student's view is unchanged: no card, the meeting still listed.
    const student = plain((await h.page('stu')).text);
    expect(student).not.toContain('Meetings without a host');
    expect(student).toContain('Deactivated algebra');

    h.zoom.activateUser(host);
    await h.zoom.flushWebhooks();
    expect(await hostOf(id)).toMatchObject({ state: 'ok', reason: null, lostAt: null });
  });

  it('user.deleted: Zoom refuses the host change (the meeting is gone), so it is made again on the same row; students see the new link', async () => {
    const id = await scheduleAs('carl', 'Recreated chemistry');
    const before = await meetingRow(h, id);
    h.zoom.deleteUser(emailOf('carl'));
    await h.zoom.flushWebhooks();
    expect(hooks.last('user.deleted').ok).toBe(true);
    expect(await hostOf(id)).toMatchObject({ state: 'orphaned', reason: 'deleted' });
    expect(await rows(h, sql`select status from zoom_users where lms_user_id = 'carl'`)).toEqual([
      { status: 'deleted' },
    ]);
    expect(await adminPage()).toContain('Recreated chemistry');

    const page = await handoverPage('ana');
    expect(plain(page.text)).toContain('Recreated chemistry');
    const response = await h.post(page, '/handover', { to: 'ana', m: id });
    expect(response.status).toBe(303);
    expect(String(response.headers.location)).toContain('recreated=1');
    const after = await meetingRow(h, id);
    expect(after).toMatchObject({
      id,
      host_state: 'ok',
      host_lms_user_id: 'ana',
      topic: 'Recreated chemistry',
    });
    expect(after.zoom_meeting_id).not.toBe(before.zoom_meeting_id);
    expect(after.join_url).not.toBe(before.join_url);
    expect(after.link_changed_at).not.toBeNull();
    const zoom = h.zoom.meetings(h.account.account_id).filter((m) => m.topic === 'Recreated chemistry');
    expect(zoom).toHaveLength(1);
    expect(zoom[0]).toMatchObject({
      host_id: await zoomUserId('ana'),
      duration: before.duration_minutes,
      password: before.passcode,
    });
    expect(String(zoom[0]!.id)).toBe(after.zoom_meeting_id);

    // Students see that the link changed; their Join goes to the new meeting.
    const student = await h.page('stu');
    const card = plain(student.text);
    expect(card).toContain('The link of this class changed on');
    const join = new RegExp(`href="([^"]*/meetings/${id}/join[^"]*)"`).exec(student.text)?.[1];
    // A meeting that takes attendance is joined through the student's own (new) registrant link.
    expect(Boolean(join)).toBe((after.settings as { registration?: boolean }).registration === true);
    if (join) {
      await drainJobs(h);
      const joined = await request(h.app).get(join.replace(/&amp;/g, '&').replace(/^.*\/lti/, '/lti'));
      expect(joined.status).toBe(303);
      expect(String(joined.headers.location)).toContain(String(after.zoom_meeting_id));
    } else {
      expect(student.text).toContain(String(after.join_url));
    }

    // Never twice: the same submit again changes nothing and makes nothing in Zoom.
    const again = await h.post(page, '/handover', { to: 'ana', m: id });
    expect(again.status).toBe(303);
    expect((await meetingRow(h, id)).zoom_meeting_id).toBe(after.zoom_meeting_id);
    await drainJobs(h);
    expect(
      h.zoom.meetings(h.account.account_id).filter((m) => m.topic === 'Recreated chemistry'),
    ).toHaveLength(1);
  });

  it('a 1001 for the host at a reconcile: a meeting Zoom no longer finds whose host Zoom does not know is orphaned, not deleted', async () => {
    const id = await scheduleAs('eve', 'Reconciled physics');
    const other = await scheduleAs('ana', 'Deleted in Zoom');
    h.zoom.deleteUser(emailOf('eve'));
    await h.zoom.flushWebhooks();
    // Zoom's user.deleted was lost (as if never delivered): only the reconcile can tell.
    await rows(
      h,
      sql`update meetings set host_state = 'ok', host_lost_reason = null, host_lost_at = null where id = ${id}`,
    );
    await (await zoomAdmin(h)).remove(String((await meetingRow(h, other)).zoom_meeting_id));
    await h.built.meetings.sync.reconcile(await courseKey());
    expect(await hostOf(id)).toMatchObject({ state: 'orphaned', reason: 'not_found' });
    expect((await meetingRow(h, id)).state).toBe('scheduled');
    // The host is there: that meeting was deleted in Zoom, and is deleted here.
    expect(await meetingRow(h, other)).toMatchObject({ state: 'deleted', host_state: 'ok' });
    expect(plain((await h.page('ana')).text)).toContain('Reconciled physics');
    expect(await adminPage()).toContain('Reconciled physics');
  });

  it('dropped from the course: the roster marks the instructor removed and their meetings of the course lose their host', async () => {
    h.lms.addUser({
      id: 'finn',
      givenName: 'Finn',
      familyName: 'Teach',
      name: 'Finn Teach',
      email: emailOf('finn'),
      roles: [LMS_ROLES.membershipInstructor],
    });
    await h.activate('finn');
    const id = await scheduleAs('finn', 'Dropped biology');
    await drainJobs(h);
    h.lms.unenrollUser('finn');
    await h.built.attendance.roster.run(await courseKey());
    expect(await rows(h, sql`select state from course_people where lms_user_id = 'finn'`)).toEqual([
      { state: 'removed' },
    ]);
    expect(await hostOf(id)).toMatchObject({ state: 'orphaned', reason: 'dropped' });
    const card = plain((await h.page('ana')).text);
    expect(card).toContain('Dropped biology');
    expect(card).toContain('is no longer in this course');
    expect(await adminPage()).toContain('Dropped biology');
  });

  it('lists as candidates only the active, licensed instructors of this course', async () => {
    // Someone licensed and active, but an instructor of another course only.
    const key = await courseKey();
    await rows(
      h,
      sql`insert into course_people (school_id, lms_issuer, context_id, lms_user_id, name, roles, is_student)
          values (${key.schoolId}, ${key.lmsIssuer}, 'another-course', 'ana-elsewhere', 'Elsewhere Teach', '[]'::jsonb, false)`,
    );
    const page = await handoverPage('ana');
    expect(page.status).toBe(200);
    const options = [...page.text.matchAll(/<option value="([^"]+)"/g)].map((m) => m[1]);
    expect(options).toContain('ana');
    for (const refused of ['basil', 'carl', 'eve', 'finn', 'stu', 'ana-elsewhere'])
      expect(options).not.toContain(refused);
  });

  it('refuses in words: a target who is not eligible (422), a learner (403), no form token (403), no launch (401), another school’s meeting (404), bad input (400); nothing changes', async () => {
    const orphan = (
      await rows<{ id: string }>(
        h,
        sql`select id from meetings where host_state = 'orphaned' order by created_at limit 1`,
      )
    )[0]!.id;
    const before = await meetingRow(h, orphan);
    const page = await handoverPage('ana');
    const cases: Array<[string, Promise<request.Response>, number]> = [
      ['basic licence', h.post(page, '/handover', { to: 'basil', m: orphan }), 422],
      ['a student', h.post(page, '/handover', { to: 'stu', m: orphan }), 422],
      ['nobody', h.post(page, '/handover', { to: 'ghost', m: orphan }), 422],
      ['bad meeting id', h.post(page, '/handover', { to: 'ana', m: 'not-a-uuid' }), 400],
      ['no target', h.post(page, '/handover', { m: orphan }), 400],
      [
        'no form token',
        request(h.app).post('/lti/handover').type('form').send({ ltik: page.ltik, to: 'ana', m: orphan }),
        403,
      ],
      ['no launch', request(h.app).post('/lti/handover').type('form').send({ to: 'ana', m: orphan }), 401],
    ];
    for (const [, call, status] of cases) expect((await call).status).toBe(status);
    const refused = await h.post(page, '/handover', { to: 'basil', m: orphan });
    expect(plain(refused.text)).toContain('That person cannot host these meetings');

    const learner = await h.page('stu');
    expect((await h.post(learner, '/handover', { to: 'ana', m: orphan })).status).toBe(403);
    const { ltik } = await h.launch('stu');
    expect((await request(h.app).get(`/lti/handover?ltik=${encodeURIComponent(ltik)}`)).status).toBe(403);

    // Another school's meeting without a host: not found from this course.
    const other = await h.addLms({ profile: 'moodle', school: 'second school' });
    await h.launch(other.users.instructor.id, undefined, other);
    const [school] = await rows<{ id: string }>(h, sql`select id from schools where name = 'second school'`);
    const [foreign] = await rows<{ id: string }>(
      h,
      sql`insert into meetings (school_id, lms_issuer, context_id, intent_key, state, zoom_meeting_id, host_zoom_user_id,
            host_lms_user_id, scheduled_by, topic, start_time, duration_minutes, time_zone, settings, host_state, host_lost_reason)
          values (${school!.id}, ${other.issuer}, ${other.course.contextId}, 'foreign-intent', 'scheduled', '999000111',
            'zz', 'x', 'x', 'Foreign', now() + interval '2 days', 60, 'UTC',
            '{"waitingRoom":true,"joinBeforeHost":false,"autoRecording":"none","alternativeHosts":[]}'::jsonb, 'orphaned', 'deleted')
          returning id`,
    );
    expect((await h.post(page, '/handover', { to: 'ana', m: foreign!.id })).status).toBe(404);
    expect((await handoverPage('ana', `&m=${foreign!.id}`)).status).toBe(404);
    expect(plain(await adminPage())).not.toContain('Foreign');
    expect(await meetingRow(h, foreign!.id)).toMatchObject({ host_state: 'orphaned' });
    expect(await meetingRow(h, orphan)).toMatchObject({
      host_state: before.host_state,
      host_lms_user_id: before.host_lms_user_id,
      version: before.version,
    });
  });

  it('nothing is silently lost: every meeting without a host is on the course page and the admin page; all are handed over at once', async () => {
    const orphans = await rows<{ id: string; topic: string }>(
      h,
      sql`select id, topic from meetings where host_state = 'orphaned' and school_id = ${(await courseKey()).schoolId}`,
    );
    expect(orphans.length).toBeGreaterThanOrEqual(2);
    const card = plain((await h.page('ana')).text);
    const admin = await adminPage();
    for (const o of orphans) {
      expect(card).toContain(o.topic);
      expect(admin).toContain(o.topic);
    }
    const page = await handoverPage('ana');
    const response = await h.post(page, '/handover', { to: 'ana' });
    expect(response.status).toBe(303);
    await drainJobs(h);
    expect(
      await rows(
        h,
        sql`select id from meetings where host_state = 'orphaned' and school_id = ${(await courseKey()).schoolId}`,
      ),
    ).toEqual([]);
    const done = await request(h.app).get(String(response.headers.location).replace(/^.*\/lti/, '/lti'));
    expect(plain(done.text)).toContain('Every meeting of this course has a host.');
    expect(plain((await h.page('ana')).text)).not.toContain('Meetings without a host');
    expect(await adminPage()).toContain('Every meeting has a host.');
  });
});
