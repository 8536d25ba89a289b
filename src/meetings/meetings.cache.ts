import { LRUCache } from 'lru-cache';
import type { Db } from '../storage';
import * as repo from './meetings.repo';

/** How late a student may see a change to the course's meetings (on this instance). */
export const STUDENT_VIEW_MAX_AGE_MS = 2_000;

interface CourseView {
  course: repo.CourseRow | undefined;
  meetings: repo.MeetingWithDetails[];
}

/** Bumped by every write to meetings in this process (`meetingsChanged`). */
let writes = 0;

/** A course's meetings changed in this process: every shared student view is read afresh. */
export function meetingsChanged(): void {
  writes += 1;
}

/**
 * What students read of a course (its row and meetings), shared for a moment by every student of
 * the course: when a class starts and hundreds open the course page within seconds, the course is
 * read once per `maxAgeMs` instead of once per student, and students who arrive while it is being
 * read wait for that same read. A change made in this process (`meetingsChanged`, called by the
 * repository's writes) is seen at once; one made by another instance at most `maxAgeMs` later.
 * Staff never read through it. The rows are shared: never change them.
 */
export class StudentCourseViews {
  private readonly views: LRUCache<string, CourseView & { writes: number }, repo.CourseKey>;

  constructor(db: Db, maxAgeMs = STUDENT_VIEW_MAX_AGE_MS) {
    this.views = new LRUCache<string, CourseView & { writes: number }, repo.CourseKey>({
      max: 2_000,
      ttl: maxAgeMs,
      fetchMethod: async (_key, _stale, { context }) => {
        const seen = writes;
        return {
          course: await repo.courseRow(db, context),
          // A create Zoom never confirmed is staff's to retry or delete: students never see it.
          meetings: (await repo.meetingsOf(db, context)).filter((meeting) => meeting.state !== 'failed'),
          writes: seen,
        };
      },
    });
  }

  async read(course: repo.CourseKey): Promise<CourseView> {
    const key = JSON.stringify([course.schoolId, course.lmsIssuer, course.contextId]);
    const held = this.views.peek(key);
    const view = await this.views.fetch(key, {
      context: course,
      forceRefresh: held !== undefined && held.writes !== writes,
    });
    if (!view) throw new Error('course view could not be read');
    return view;
  }
}
