import { and, asc, eq, or, sql } from 'drizzle-orm';
import { tables, type Queryable } from '../storage';
import { meetingsChanged } from './meetings.cache';
import type { CourseKey } from './meetings.repo';

const { courseSections, coursePeople, meetings } = tables;

export type SectionRow = typeof courseSections.$inferSelect;

const ofCourse = (course: CourseKey) =>
  and(
    eq(courseSections.schoolId, course.schoolId),
    eq(courseSections.lmsIssuer, course.lmsIssuer),
    eq(courseSections.contextId, course.contextId),
  );

/** The sections a launch named: added, or renamed when the LMS renamed them. */
export async function upsertSections(
  db: Queryable,
  course: CourseKey,
  sections: Array<{ id: string; name: string }>,
  at: Date,
): Promise<void> {
  if (sections.length === 0) return;
  await db
    .insert(courseSections)
    .values(sections.map((s) => ({ ...course, sectionId: s.id, name: s.name, seenAt: at })))
    .onConflictDoUpdate({
      target: [
        courseSections.schoolId,
        courseSections.lmsIssuer,
        courseSections.contextId,
        courseSections.sectionId,
      ],
      set: { name: sql`excluded.name`, seenAt: at },
      // A name the launch could not pair with its id (the id itself) leaves a known name alone.
      setWhere: sql`excluded.name <> excluded.section_id and ${courseSections.name} is distinct from excluded.name`,
    });
}

/** The course's known sections, by name. */
export async function sectionsOf(db: Queryable, course: CourseKey): Promise<SectionRow[]> {
  return db
    .select()
    .from(courseSections)
    .where(ofCourse(course))
    .orderBy(asc(courseSections.name), asc(courseSections.sectionId));
}

/**
 * The person's sections as their launch said (course_people.section_ids). A person not listed yet
 * is written: a student as a student not seen by a roster read (as attendance's noteStudent does),
 * staff as not a student.
 */
export async function setPersonSections(
  db: Queryable,
  course: CourseKey,
  person: { lmsUserId: string; name: string; isStudent: boolean },
  sectionIds: string[],
): Promise<void> {
  const ids = JSON.stringify(sectionIds);
  await db
    .insert(coursePeople)
    .values({
      ...course,
      lmsUserId: person.lmsUserId,
      name: person.name,
      roles: person.isStudent ? ['Learner'] : [],
      isStudent: person.isStudent,
      state: 'active',
      // Not seen by a roster read: the next staff launch still reads the roster.
      seenAt: new Date(0),
      sectionIds,
    })
    .onConflictDoUpdate({
      target: [coursePeople.schoolId, coursePeople.lmsIssuer, coursePeople.contextId, coursePeople.lmsUserId],
      set: { sectionIds: sql`${ids}::jsonb` },
      setWhere: sql`${coursePeople.sectionIds} is distinct from ${ids}::jsonb`,
    });
}

/** The sections the person's last launch named (empty when none, or not listed). */
export async function personSections(db: Queryable, course: CourseKey, lmsUserId: string): Promise<string[]> {
  const [row] = await db
    .select({ ids: coursePeople.sectionIds })
    .from(coursePeople)
    .where(
      and(
        eq(coursePeople.schoolId, course.schoolId),
        eq(coursePeople.lmsIssuer, course.lmsIssuer),
        eq(coursePeople.contextId, course.contextId),
        eq(coursePeople.lmsUserId, lmsUserId),
      ),
    );
  return row?.ids ?? [];
}

/** The meeting's sections (empty: the whole course); the row of this course only. */
export async function setMeetingSections(
  db: Queryable,
  course: CourseKey,
  meetingId: string,
  sectionIds: string[],
): Promise<boolean> {
  try {
    const rows = await db
      .update(meetings)
      .set({ sectionIds, version: sql`${meetings.version} + 1`, updatedAt: sql`now()` })
      .where(
        and(
          eq(meetings.schoolId, course.schoolId),
          eq(meetings.lmsIssuer, course.lmsIssuer),
          eq(meetings.contextId, course.contextId),
          eq(meetings.id, meetingId),
        ),
      )
      .returning({ id: meetings.id });
    return rows.length > 0;
  } finally {
    // After the write: a student view read meanwhile is read again.
    meetingsChanged();
  }
}

/**
 * The people of a meeting meant for `sectionIds`: those in one of them (a condition on
 * course_people); undefined for the whole course (no condition). Attendance counts and links only these.
 */
export function peopleInSections(sectionIds: readonly string[] | undefined) {
  if (!sectionIds || sectionIds.length === 0) return undefined;
  return or(...sectionIds.map((id) => sql`${coursePeople.sectionIds} @> ${JSON.stringify([id])}::jsonb`));
}
