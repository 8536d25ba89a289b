import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Queryable } from '../storage';
import {
  errorsNaming,
  issuerMeetings,
  jobsNaming,
  ltijsSessions,
  namedBy,
  sessionsOf,
  type Identity,
} from './privacy.subject.repo';

/** What stands in for an erased person where a row must stay (a "by" column, a meeting's host). */
export const ERASED = 'erased';

async function count(db: Queryable, statement: SQL): Promise<number> {
  const [row] = await queryRows<{ n: number | string }>(
    db,
    sql`with changed as (${statement} returning 1) select count(*) as n from changed`,
  );
  return Number(row?.n ?? 0);
}

const list = (values: string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/** Rows about them that go, per table (children before the rows they name). */
export async function removeRows(db: Queryable, who: Identity): Promise<Record<string, number>> {
  const s = who.subject;
  const inIssuer = issuerMeetings(s);
  return {
    attendance_sessions: await count(db, sql`delete from attendance_sessions where ${sessionsOf(who)}`),
    attendance_results: await count(
      db,
      sql`delete from attendance_results where school_id = ${s.schoolId} and lms_user_id = ${s.userId}
          and instance_id in (select id from meeting_instances where meeting_id in ${inIssuer})`,
    ),
    meeting_registrants: await count(
      db,
      sql`delete from meeting_registrants where school_id = ${s.schoolId} and lms_user_id = ${s.userId}
          and meeting_id in ${inIssuer}`,
    ),
    course_people: await count(
      db,
      sql`delete from course_people where school_id = ${s.schoolId} and lms_issuer = ${s.issuer}
          and lms_user_id = ${s.userId}`,
    ),
    zoom_users: await count(
      db,
      sql`delete from zoom_users where school_id = ${s.schoolId} and lms_issuer = ${s.issuer}
          and lms_user_id = ${s.userId}`,
    ),
    zoom_oauth_states: await count(
      db,
      sql`delete from zoom_oauth_states where school_id = ${s.schoolId} and ${namedBy('user_key', s)}`,
    ),
    ltijs_documents: await count(db, sql`delete from ltijs_documents where ${ltijsSessions(s)}`),
    background_jobs: await count(db, sql`delete from background_jobs where ${jobsNaming(s)}`),
    school_errors: await count(db, sql`delete from school_errors where ${errorsNaming(s)}`),
  };
}

/**
 * Rows that stay for others but named them: the meetings they host or scheduled (their course's
 * students still join them) lose their LMS id, name and email; "by" columns say `erased`.
 */
export async function anonymiseRows(
  db: Queryable,
  who: Identity,
  erasedHost: string,
): Promise<Record<string, number>> {
  const s = who.subject;
  const withoutTheirEmails = sql`jsonb_set(settings, '{alternativeHosts}', coalesce((
      select jsonb_agg(e) from jsonb_array_elements_text(settings->'alternativeHosts') e
      where lower(e) not in ${list(who.emails)}), '[]'::jsonb))`;
  const by = (table: string, column: string, scope: SQL) =>
    count(
      db,
      sql`update ${sql.identifier(table)} set ${sql.identifier(column)} = ${ERASED}
          where ${scope} and ${namedBy(column, s)}`,
    );
  return {
    meetings: await count(
      db,
      sql`update meetings set
            host_lms_user_id = case when host_lms_user_id = ${s.userId} then ${erasedHost} else host_lms_user_id end,
            host_name = case when host_lms_user_id = ${s.userId} then '' else host_name end,
            scheduled_by = case when scheduled_by = ${s.userId} then ${ERASED} else scheduled_by end,
            settings = ${withoutTheirEmails},
            version = version + 1, updated_at = now()
          where school_id = ${s.schoolId} and lms_issuer = ${s.issuer}
            and (host_lms_user_id = ${s.userId} or scheduled_by = ${s.userId}
              or exists (select 1 from jsonb_array_elements_text(settings->'alternativeHosts') e
                where lower(e) in ${list(who.emails)}))`,
    ),
    'attendance_results.override_by': await by(
      'attendance_results',
      'override_by',
      sql`school_id = ${s.schoolId} and instance_id in (select id from meeting_instances
            where meeting_id in ${issuerMeetings(s)})`,
    ),
    'attendance_settings.updated_by': await by(
      'attendance_settings',
      'updated_by',
      sql`school_id = ${s.schoolId} and lms_issuer = ${s.issuer}`,
    ),
    'meeting_recordings.hidden_by': await by(
      'meeting_recordings',
      'hidden_by',
      sql`meeting_id in ${issuerMeetings(s)}`,
    ),
    'zoom_connections.connected_by': await by(
      'zoom_connections',
      'connected_by',
      sql`school_id = ${s.schoolId}`,
    ),
    'zoom_connect_links.created_by': await by(
      'zoom_connect_links',
      'created_by',
      sql`school_id = ${s.schoolId}`,
    ),
  };
}

/** What stays as it is, and must: scores the LMS already holds, the Zoom id of the meetings' host. */
export async function keptRows(
  db: Queryable,
  who: Identity,
  erasedHost: string,
): Promise<Record<string, number>> {
  const s = who.subject;
  const [scores] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*) as n from grade_scores g join grade_lines l on l.id = g.line_id
        where l.school_id = ${s.schoolId} and l.lms_issuer = ${s.issuer} and g.lms_user_id = ${s.userId}`,
  );
  const [hosted] = await queryRows<{ n: number | string }>(
    db,
    sql`select count(*) as n from meetings where school_id = ${s.schoolId} and lms_issuer = ${s.issuer}
        and host_lms_user_id = ${erasedHost}`,
  );
  return { grade_scores: Number(scores?.n ?? 0), 'meetings.host_zoom_user_id': Number(hosted?.n ?? 0) };
}
