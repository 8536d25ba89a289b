import { sql } from 'drizzle-orm';
import request from 'supertest';
import type { LaunchOptions } from '../../../src/sandbox/lms';
import { rows } from '../../support/meetings-fixtures';
import type { MeetingsHarness } from '../../support/meetings-harness';

/**
 * The attendance pages' tests seed the tables the pages read (the RESULTS helper's computation and
 * the LINKS helper's registrants are built in parallel): a course's people, meetings, held
 * instances, results and sessions, written directly.
 */
export interface Course {
  schoolId: string;
  lmsIssuer: string;
  contextId: string;
  /** The LMS's course id (for launches into it). */
  courseId: string;
  hostZoomUserId: string;
}

/** The harness's school and issuer (its activated instructor's), and a course of its LMS. */
export async function courseOf(h: MeetingsHarness, courseId?: string): Promise<Course> {
  const [zoomUser] = await rows<{ school_id: string; lms_issuer: string; zoom_user_id: string }>(
    h,
    sql`select school_id, lms_issuer, zoom_user_id from zoom_users where lms_user_id = ${h.lms.users.instructor.id}`,
  );
  if (!zoomUser) throw new Error('the harness has no instructor Zoom user');
  const id = courseId ?? h.lms.course.id;
  return {
    schoolId: zoomUser.school_id,
    lmsIssuer: zoomUser.lms_issuer,
    // Moodle's context id is its course id (the harness's LMS is a Moodle).
    contextId: id === h.lms.course.id ? h.lms.course.contextId : id,
    courseId: id,
    hostZoomUserId: zoomUser.zoom_user_id,
  };
}

let seq = 0;

export async function seedMeeting(h: MeetingsHarness, course: Course, topic: string, start: string) {
  seq += 1;
  const [row] = await rows<{ id: string }>(
    h,
    sql`insert into meetings (school_id, lms_issuer, context_id, intent_key, state, zoom_meeting_id, host_zoom_user_id,
          host_lms_user_id, scheduled_by, topic, start_time, duration_minutes, time_zone, settings)
        values (${course.schoolId}, ${course.lmsIssuer}, ${course.contextId}, ${`seed-${Date.now()}-${seq}`}, 'ended',
          ${String(90_000_000_000 + Math.floor(Math.random() * 1e9))}, ${course.hostZoomUserId}, ${h.lms.users.instructor.id},
          ${h.lms.users.instructor.id}, ${topic}, ${start}, 60, 'America/New_York', '{}'::jsonb)
        returning id`,
  );
  return row!.id;
}

export async function seedInstance(
  h: MeetingsHarness,
  course: Course,
  meetingId: string,
  start: string,
  state: 'final' | 'waiting' | 'inProgress' = 'final',
) {
  const started = new Date(start);
  const ended = new Date(started.getTime() + 60 * 60_000).toISOString();
  const [row] = await rows<{ id: string }>(
    h,
    sql`insert into meeting_instances (school_id, meeting_id, zoom_uuid, scheduled_start, scheduled_minutes, started_at,
          ended_at, computed_at, final_at)
        values (${course.schoolId}, ${meetingId}, ${`uuid-${Date.now()}-${(seq += 1)}==`}, ${start}, 60, ${start},
          ${state === 'inProgress' ? null : ended}, ${state === 'inProgress' ? null : ended},
          ${state === 'final' ? ended : null})
        returning id`,
  );
  return row!.id;
}

export async function seedPeople(
  h: MeetingsHarness,
  course: Course,
  people: Array<{ id: string; name: string; state?: 'active' | 'removed'; student?: boolean }>,
) {
  for (const p of people)
    await rows(
      h,
      sql`insert into course_people (school_id, lms_issuer, context_id, lms_user_id, name, is_student, state)
          values (${course.schoolId}, ${course.lmsIssuer}, ${course.contextId}, ${p.id}, ${p.name}, ${p.student ?? true},
            ${p.state ?? 'active'})
          on conflict do nothing`,
    );
}

export interface ResultSeed {
  status: 'present' | 'late' | 'absent';
  seconds?: number;
  intervals?: Array<{ from: string; to: string }>;
  flags?: string[];
  override?: { status: 'present' | 'excused'; reason: string };
}

export async function seedResult(
  h: MeetingsHarness,
  course: Course,
  instanceId: string,
  userId: string,
  seed: ResultSeed,
) {
  const intervals = seed.intervals ?? [];
  await rows(
    h,
    sql`insert into attendance_results (school_id, instance_id, lms_user_id, status, seconds, first_join_at, intervals,
          flags, override_status, override_reason, override_by, override_at)
        values (${course.schoolId}, ${instanceId}, ${userId}, ${seed.status}, ${seed.seconds ?? 0},
          ${intervals[0]?.from ?? null}, ${JSON.stringify(intervals)}::jsonb, ${JSON.stringify(seed.flags ?? [])}::jsonb,
          ${seed.override?.status ?? null}, ${seed.override?.reason ?? null}, ${seed.override ? 'teacher' : null},
          ${seed.override ? new Date().toISOString() : null})`,
  );
}

export async function seedSession(
  h: MeetingsHarness,
  course: Course,
  meetingId: string,
  instanceId: string,
  session: { name: string; email?: string; zoomAccountUserId?: string; from: string; to: string | null },
) {
  const [instance] = await rows<{ zoom_uuid: string }>(
    h,
    sql`select zoom_uuid from meeting_instances where id = ${instanceId}`,
  );
  await rows(
    h,
    sql`insert into attendance_sessions (school_id, meeting_id, zoom_meeting_uuid, participant_uuid, zoom_account_user_id,
          email, display_name, joined_at, left_at, source)
        values (${course.schoolId}, ${meetingId}, ${instance!.zoom_uuid}, ${`p-${(seq += 1)}`},
          ${session.zoomAccountUserId ?? null}, ${session.email ?? null}, ${session.name}, ${session.from}, ${session.to},
          'webhook')`,
  );
}

/** A launch into a course of the harness's LMS: its ltik and form token (from the attendance page). */
export async function launchInto(
  h: MeetingsHarness,
  userId: string,
  options: LaunchOptions = {},
): Promise<{ ltik: string; csrf: string }> {
  const { ltik } = await h.launch(userId, options);
  return { ltik, csrf: h.formToken(ltik) };
}

export function get(ltik: string | undefined, path: string, h: MeetingsHarness, query = '') {
  const at =
    ltik === undefined
      ? `/lti${path}${query ? `?${query}` : ''}`
      : `/lti${path}?ltik=${encodeURIComponent(ltik)}${query ? `&${query}` : ''}`;
  return request(h.app).get(at).accept('html');
}

export function post(
  h: MeetingsHarness,
  session: { ltik: string; csrf: string },
  path: string,
  fields: Record<string, string | string[]>,
) {
  return request(h.app)
    .post(`/lti${path}`)
    .type('form')
    .accept('html')
    .send({ ltik: session.ltik, csrf: session.csrf, ...fields });
}

/** The pages' jobs waiting (the harness's runner is stopped in these suites: nothing consumes them). */
export async function pendingJobs(h: MeetingsHarness) {
  return rows<{ kind: string; key: string; payload: Record<string, unknown> }>(
    h,
    sql`select kind, key, payload from background_jobs where kind in ('attendance.grades', 'attendance.recompute') order by kind`,
  );
}
