import { sql, type SQL } from 'drizzle-orm';
import { queryRows, type Queryable } from '../storage';
import type { Subject } from './privacy.schema';

/** Everything that names one LMS user in a school, gathered before an export or an erasure. */
export interface Identity {
  subject: Subject;
  /** Their Zoom user's id, when the tool made or found one (a host). */
  zoomUserId: string | null;
  /** Names they were known by (lower case): the roster's, their Zoom user's, their launches'. */
  names: string[];
  /** Emails (lower case): their Zoom user's, their launches', their registrant links' secondary ones. */
  emails: string[];
  /** Zoom's ids of their registrant links. */
  registrantIds: string[];
}

const list = (values: string[]) => sql`(select jsonb_array_elements_text(${JSON.stringify(values)}::jsonb))`;

/** The issuer's meetings in the school (a person is known per issuer). */
export const issuerMeetings = (s: Subject) =>
  sql`(select id from meetings where school_id = ${s.schoolId} and lms_issuer = ${s.issuer})`;

/** ltijs' launch sessions of this user from this issuer: id tokens by `iss`, context tokens by their id's prefix. */
export const ltijsSessions = (s: Subject) =>
  sql`((collection = 'idtoken' and doc->>'iss' = ${s.issuer} and doc->>'user' = ${s.userId})
       or (collection = 'contexttoken' and doc->>'user' = ${s.userId}
           and starts_with(doc->>'contextId', ${encodeURIComponent(s.issuer)})))`;

export async function identify(db: Queryable, subject: Subject): Promise<Identity> {
  const s = subject;
  const [zoom] = await queryRows<{ name: string; email: string | null; zoom_user_id: string | null }>(
    db,
    sql`select name, email, zoom_user_id from zoom_users
        where school_id = ${s.schoolId} and lms_issuer = ${s.issuer} and lms_user_id = ${s.userId}`,
  );
  const people = await queryRows<{ name: string }>(
    db,
    sql`select distinct name from course_people
        where school_id = ${s.schoolId} and lms_issuer = ${s.issuer} and lms_user_id = ${s.userId}
        union select distinct host_name from meetings
        where school_id = ${s.schoolId} and lms_issuer = ${s.issuer} and host_lms_user_id = ${s.userId}`,
  );
  const launches = await queryRows<{ name: string | null; email: string | null }>(
    db,
    sql`select doc->'userInfo'->>'name' as name, doc->'userInfo'->>'email' as email
        from ltijs_documents where ${ltijsSessions(s)} and collection = 'idtoken'`,
  );
  const registrants = await queryRows<{ email: string; registrant_id: string | null }>(
    db,
    sql`select email, registrant_id from meeting_registrants
        where school_id = ${s.schoolId} and lms_user_id = ${s.userId} and meeting_id in ${issuerMeetings(s)}`,
  );
  const clean = (values: Array<string | null | undefined>) => [
    ...new Set(values.map((v) => (v ?? '').trim().toLowerCase()).filter((v) => v.length > 0)),
  ];
  return {
    subject,
    zoomUserId: zoom?.zoom_user_id ?? null,
    names: clean([zoom?.name, ...people.map((p) => p.name), ...launches.map((l) => l.name)]),
    emails: clean([zoom?.email, ...launches.map((l) => l.email), ...registrants.map((r) => r.email)]),
    registrantIds: clean(registrants.map((r) => r.registrant_id)),
  };
}

/**
 * Zoom's participant sessions that are theirs: through their registrant link, an email of theirs,
 * their Zoom user (a host), or, for a session with no registrant link, the name they were shown by.
 */
export function sessionsOf(who: Identity): SQL {
  const s = who.subject;
  return sql`school_id = ${s.schoolId} and meeting_id in ${issuerMeetings(s)} and (
      registrant_id in ${list(who.registrantIds)}
      or lower(email) in ${list(who.emails)}
      ${who.zoomUserId ? sql`or zoom_account_user_id = ${who.zoomUserId}` : sql``}
      or (registrant_id is null and lower(display_name) in ${list(who.names)}))`;
}

/** A "by" column (who did something) that names them: their LMS user id, or `issuer|id`. */
export const namedBy = (column: string, s: Subject) =>
  sql`${sql.identifier(column)} in (${s.userId}, ${`${s.issuer}|${s.userId}`})`;

/** Pending or failed jobs of the school whose payload names them (a provisioning retry). */
export const jobsNaming = (s: Subject) =>
  sql`payload->>'schoolId' = ${s.schoolId} and strpos(payload::text, ${JSON.stringify(s.userId)}) > 0`;

/** The school's recorded errors whose path names them (a path segment that is their id). */
export const errorsNaming = (s: Subject) =>
  sql`school_id = ${s.schoolId} and (strpos(path, ${`/${s.userId}/`}) > 0 or right(path, ${s.userId.length + 1}) = ${`/${s.userId}`})`;
