import request from 'supertest';
import { sql } from 'drizzle-orm';
import { LMS_ROLES } from '../../../src/sandbox/lms';
import type { TestDatabaseKind } from '../../support/db';
import { connectWebhooks, meetingRow, plain, rows, soonDate } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness, type Page } from '../../support/meetings-harness';

/** When the host leaves (issue 20, item 2): what host-leaves and host-handover share. */

export const emailOf = (id: string) => `${id}@school.example`;

/** A harness with the given licensed instructors (Basil, if one, on a Basic licence) and a student, Stu. */
export async function hostLeavesHarness(databaseKind: TestDatabaseKind, staff: readonly string[]) {
  const h = await createMeetingsHarness({ databaseKind });
  for (const id of staff)
    h.lms.addUser({
      id,
      givenName: id[0]!.toUpperCase() + id.slice(1),
      familyName: 'Teach',
      name: `${id[0]!.toUpperCase() + id.slice(1)} Teach`,
      email: emailOf(id),
      roles: [LMS_ROLES.membershipInstructor],
    });
  h.lms.addUser({
    id: 'stu',
    givenName: 'Stu',
    familyName: 'Dent',
    name: 'Stu Dent',
    email: emailOf('stu'),
    roles: [LMS_ROLES.membershipLearner],
  });
  for (const id of staff) await h.activate(id);
  // Basil's Zoom user is Basic: he may not take meetings.
  await rows(h, sql`update zoom_users set licence_type = 1 where lms_user_id = 'basil'`);
  const hooks = await connectWebhooks(h);
  // The course's people from Names and Roles, as the roster job leaves them (hand-over candidates).
  const [course] = await rows<{ school_id: string }>(
    h,
    sql`select school_id from courses where context_id = ${h.lms.course.contextId} limit 1`,
  );
  await h.built.attendance.roster.run({
    schoolId: course!.school_id,
    lmsIssuer: h.lms.issuer,
    contextId: h.lms.course.contextId,
  });
  return { h, hooks };
}

/** The suites' helpers, on the harness their beforeAll made. */
export function hostLeavesHelpers(harness: () => MeetingsHarness) {
  const course = () => ({
    schoolId: '',
    lmsIssuer: harness().lms.issuer,
    contextId: harness().lms.course.contextId,
  });
  async function courseKey() {
    const h = harness();
    const [school] = await rows<{ school_id: string }>(
      h,
      sql`select school_id from courses where context_id = ${h.lms.course.contextId} limit 1`,
    );
    return { ...course(), schoolId: school!.school_id };
  }

  async function scheduleAs(userId: string, topic: string, extra: Record<string, string> = {}) {
    const h = harness();
    const page = await h.page(userId);
    const { response, id } = await h.schedule(page, { topic, date: soonDate(3), ...extra });
    expect(response.status).toBe(303);
    return id;
  }

  const hostOf = (id: string) =>
    meetingRow(harness(), id).then((row) => ({
      state: row.host_state,
      reason: row.host_lost_reason,
      lostAt: row.host_lost_at,
      zoomUser: row.host_zoom_user_id,
      lmsUser: row.host_lms_user_id,
    }));

  async function zoomUserId(lmsUserId: string): Promise<string> {
    const [row] = await rows<{ zoom_user_id: string }>(
      harness(),
      sql`select zoom_user_id from zoom_users where lms_user_id = ${lmsUserId}`,
    );
    return row!.zoom_user_id;
  }

  async function handoverPage(userId: string, query = ''): Promise<Page & { status: number }> {
    const h = harness();
    const { ltik } = await h.launch(userId);
    const response = await request(h.app)
      .get(`/lti/handover?ltik=${encodeURIComponent(ltik)}${query}`)
      .accept('html');
    return {
      ltik,
      text: response.text,
      csrf: /name="csrf" value="([^"]+)"/.exec(response.text)?.[1] ?? '',
      intent: '',
      status: response.status,
    };
  }

  async function adminPage(): Promise<string> {
    const h = harness();
    const ltik = await h.adminLtik();
    const response = await request(h.app)
      .get(`/lti/zoom?ltik=${encodeURIComponent(ltik)}`)
      .accept('html');
    expect(response.status).toBe(200);
    return plain(response.text);
  }

  return { courseKey, scheduleAs, hostOf, zoomUserId, handoverPage, adminPage };
}
