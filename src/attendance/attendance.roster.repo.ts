import { and, eq, notInArray, sql } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';
import type { CourseKey } from './attendance.links.repo';

const { coursePeople, courses } = tables;

/** The people of a course as Names and Roles lists them (`course_people`), every query by school. */
const ofCourse = (course: CourseKey) =>
  and(
    eq(coursePeople.schoolId, course.schoolId),
    eq(coursePeople.lmsIssuer, course.lmsIssuer),
    eq(coursePeople.contextId, course.contextId),
  );

export interface Member {
  lmsUserId: string;
  name: string;
  roles: string[];
  isStudent: boolean;
}

/** What a roster read needs of the course: its registration and Names and Roles URL (from a staff launch). */
export async function courseServices(
  db: Queryable,
  course: CourseKey,
): Promise<{ clientId: string | null; membershipsUrl: string | null } | undefined> {
  const [row] = await db
    .select({ clientId: courses.clientId, membershipsUrl: courses.membershipsUrl })
    .from(courses)
    .where(
      and(
        eq(courses.schoolId, course.schoolId),
        eq(courses.lmsIssuer, course.lmsIssuer),
        eq(courses.contextId, course.contextId),
      ),
    );
  return row;
}

/** When the course's roster was last read (the latest `seen_at`), if ever. */
export async function lastSeen(db: Queryable, course: CourseKey): Promise<Date | undefined> {
  const [row] = await db
    .select({ at: sql<string | Date | null>`max(${coursePeople.seenAt})` })
    .from(coursePeople)
    .where(ofCourse(course));
  return row?.at ? new Date(row.at) : undefined;
}

/** The course's active students' LMS ids. */
export async function activeStudents(db: Queryable, course: CourseKey): Promise<Set<string>> {
  const rows = await db
    .select({ id: coursePeople.lmsUserId })
    .from(coursePeople)
    .where(and(ofCourse(course), eq(coursePeople.isStudent, true), eq(coursePeople.state, 'active')));
  return new Set(rows.map((row) => row.id));
}

/** Writes the listed members (active, seen now). */
export async function upsertMembers(
  db: Queryable,
  course: CourseKey,
  members: Member[],
  at: Date,
): Promise<void> {
  for (let i = 0; i < members.length; i += 200) {
    const chunk = members.slice(i, i + 200);
    await db
      .insert(coursePeople)
      .values(chunk.map((m) => ({ ...course, ...m, state: 'active' as const, seenAt: at, removedAt: null })))
      .onConflictDoUpdate({
        target: [
          coursePeople.schoolId,
          coursePeople.lmsIssuer,
          coursePeople.contextId,
          coursePeople.lmsUserId,
        ],
        set: {
          name: sql`excluded.name`,
          roles: sql`excluded.roles`,
          isStudent: sql`excluded.is_student`,
          state: 'active',
          seenAt: at,
          removedAt: null,
        },
      });
  }
}

/** Everyone active the roster no longer lists is `removed` (kept: their history stays). */
export async function markMissingRemoved(
  db: Queryable,
  course: CourseKey,
  listed: string[],
  at: Date,
): Promise<number> {
  const rows = await db
    .update(coursePeople)
    .set({ state: 'removed', removedAt: at })
    .where(
      and(
        ofCourse(course),
        eq(coursePeople.state, 'active'),
        ...(listed.length > 0 ? [notInArray(coursePeople.lmsUserId, listed)] : []),
      ),
    )
    .returning({ id: coursePeople.lmsUserId });
  return rows.length;
}

/**
 * A learner who launched is a student of the course (enrolled since the last roster read): kept
 * active with their launch name; a roster read later says otherwise if they leave.
 */
export async function noteStudent(
  db: Queryable,
  course: CourseKey,
  lmsUserId: string,
  name: string,
): Promise<void> {
  await db
    .insert(coursePeople)
    // Not seen by a roster read: `seen_at` stays old, so the next staff launch reads the roster.
    .values({
      ...course,
      lmsUserId,
      name,
      roles: ['Learner'],
      isStudent: true,
      state: 'active',
      seenAt: new Date(0),
    })
    .onConflictDoUpdate({
      target: [coursePeople.schoolId, coursePeople.lmsIssuer, coursePeople.contextId, coursePeople.lmsUserId],
      set: { isStudent: true, state: 'active', removedAt: null },
    });
}
