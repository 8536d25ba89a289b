import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../storage';
import type { Subject } from './privacy.schema';
import {
  errorsNaming,
  identify,
  issuerMeetings,
  jobsNaming,
  ltijsSessions,
  namedBy,
  sessionsOf,
} from './privacy.subject.repo';

type Rows = Array<Record<string, unknown>>;

/**
 * Everything the tool holds about one LMS user in one school, as JSON (`privacy export`). Secrets
 * are never printed: a registrant's join link (which lets anyone join as them) shows as "sealed".
 * Tables that by design hold nothing about a person are named in `holdsNothing`, with why.
 */
export async function exportSubject(db: Queryable, subject: Subject) {
  const s = subject;
  const who = await identify(db, s);
  const rows = (query: ReturnType<typeof sql>) => queryRows<Record<string, unknown>>(db, query);
  const meetingsTheyHost = sql`(select id from meetings where school_id = ${s.schoolId}
      and lms_issuer = ${s.issuer} and (host_lms_user_id = ${s.userId} or scheduled_by = ${s.userId}))`;
  const instancesTheyAttended = sql`(select instance_id from attendance_results
      where school_id = ${s.schoolId} and lms_user_id = ${s.userId})`;
  const [zoomUser] = await rows(
    sql`select lms_issuer, lms_user_id, name, email, zoom_user_id, status, licence_type, last_outcome,
          last_checked_at, created_at, updated_at
        from zoom_users where school_id = ${s.schoolId} and lms_issuer = ${s.issuer} and lms_user_id = ${s.userId}`,
  );
  const recorded: Record<string, Rows> = {
    attendanceOverrides: await rows(
      sql`select instance_id, lms_user_id, override_status, override_at from attendance_results
          where school_id = ${s.schoolId} and ${namedBy('override_by', s)}`,
    ),
    attendanceSettings: await rows(
      sql`select context_id, updated_at from attendance_settings
          where school_id = ${s.schoolId} and lms_issuer = ${s.issuer} and ${namedBy('updated_by', s)}`,
    ),
    recordingsHidden: await rows(
      sql`select meeting_id, zoom_uuid, hidden_at from meeting_recordings
          where meeting_id in ${issuerMeetings(s)} and ${namedBy('hidden_by', s)}`,
    ),
    zoomConnection: await rows(
      sql`select kind, zoom_account_id, connected_at from zoom_connections
          where school_id = ${s.schoolId} and ${namedBy('connected_by', s)}`,
    ),
    zoomConnectLinks: await rows(
      sql`select expires_at, created_at from zoom_connect_links
          where school_id = ${s.schoolId} and ${namedBy('created_by', s)}`,
    ),
    zoomConnectAttempts: await rows(
      sql`select expires_at from zoom_oauth_states where school_id = ${s.schoolId} and ${namedBy('user_key', s)}`,
    ),
  };
  return {
    subject: { school: s.schoolName, schoolId: s.schoolId, issuer: s.issuer, lmsUserId: s.userId },
    knownAs: { names: who.names, emails: who.emails },
    zoomUser: zoomUser ?? null,
    coursePeople: await rows(
      sql`select context_id, name, roles, is_student, state, section_ids, seen_at, removed_at from course_people
          where school_id = ${s.schoolId} and lms_issuer = ${s.issuer} and lms_user_id = ${s.userId}
          order by context_id`,
    ),
    meetingsHostedOrScheduled: await rows(
      sql`select id, context_id, topic, state, zoom_meeting_id, host_lms_user_id, host_name, host_zoom_user_id,
            scheduled_by, start_time, duration_minutes, settings->'alternativeHosts' as alternative_hosts, created_at
          from meetings where id in ${meetingsTheyHost} order by start_time`,
    ),
    registrantLinks: await rows(
      sql`select r.meeting_id, m.topic, r.email, r.state, r.registrant_id,
            case when r.join_url_sealed is null then null else 'sealed' end as join_url, r.created_at
          from meeting_registrants r join meetings m on m.id = r.meeting_id
          where r.school_id = ${s.schoolId} and r.lms_user_id = ${s.userId} and r.meeting_id in ${issuerMeetings(s)}
          order by r.created_at`,
    ),
    attendanceSessions: await rows(
      sql`select meeting_id, zoom_meeting_uuid, participant_uuid, zoom_user_id, zoom_account_user_id,
            registrant_id, email, display_name, joined_at, left_at, source
          from attendance_sessions where ${sessionsOf(who)} order by joined_at`,
    ),
    attendanceResults: await rows(
      sql`select r.instance_id, i.meeting_id, i.started_at, r.status, r.seconds, r.first_join_at, r.intervals,
            r.flags, r.override_status, r.override_reason, r.override_at
          from attendance_results r join meeting_instances i on i.id = r.instance_id
          where r.school_id = ${s.schoolId} and r.lms_user_id = ${s.userId}
            and i.meeting_id in ${issuerMeetings(s)} order by i.started_at`,
    ),
    gradeScores: await rows(
      sql`select l.context_id, l.label, l.resource_id, g.score_given, l.score_maximum, g.activity_progress,
            g.grading_progress, g.sent_at
          from grade_scores g join grade_lines l on l.id = g.line_id
          where l.school_id = ${s.schoolId} and l.lms_issuer = ${s.issuer} and g.lms_user_id = ${s.userId}
          order by l.context_id, l.resource_id`,
    ),
    recordings: {
      ofMeetingsTheyHosted: await rows(
        sql`select meeting_id, zoom_uuid, start_time, play_url, hidden from meeting_recordings
            where meeting_id in ${meetingsTheyHost} order by start_time`,
      ),
      ofClassesTheyAttended: await rows(
        sql`select r.meeting_id, r.zoom_uuid, r.start_time, r.play_url, r.hidden
            from meeting_recordings r join meeting_instances i
              on i.meeting_id = r.meeting_id and i.zoom_uuid = r.zoom_uuid
            where i.id in ${instancesTheyAttended} order by r.start_time`,
      ),
    },
    ltijsLaunchSessions: await rows(
      sql`select collection, doc, created_at, expires_at from ltijs_documents
          where ${ltijsSessions(s)} order by created_at`,
    ),
    actionsRecordedAsTheirs: recorded,
    schoolErrors: await rows(
      sql`select error_id, status, path, at from school_errors where ${errorsNaming(s)} order by at`,
    ),
    pendingWork: await rows(
      sql`select kind, status, run_at, last_error from background_jobs where ${jobsNaming(s)}`,
    ),
    holdsNothing: {
      lti_login_states:
        'A login in flight keeps only its state, nonce, registration and target link (no user), for 10 minutes.',
      zoom_webhook_deliveries:
        'Only a delivery key, the event name and the Zoom account id: no payload is stored.',
    },
  };
}
