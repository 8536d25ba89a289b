import type { Logger } from 'pino';
import { launchSections, type LaunchContext } from '../lti';
import type { Translator } from '../shared/i18n';
import { LRUCache } from 'lru-cache';
import { ExpiringCache } from '../shared/cache';
import type { Db } from '../storage';
import type { CourseKey } from './meetings.repo';
import type { FieldErrors } from './meetings.schema';
import * as repo from './meetings.sections.repo';

/**
 * Sections (issue 20, item 3): a meeting can be meant for some sections of the course
 * (`meetings.section_ids`; empty: the whole course). The LMS names the sections through the launch
 * (Canvas's custom variables, lti/lti.sections.ts); Moodle sends none, so its courses have no known
 * sections and their form offers no choice.
 *
 * - Every launch that names sections records them (`course_sections`) and the person's own
 *   (`course_people.section_ids`).
 * - The form offers the course's known sections (Whole course by default).
 * - Students see the whole course's meetings and their own sections'; their Join of another
 *   section's meeting is refused in words. Staff see every meeting, with its sections named.
 * - The calendar feed is the course's, one link for staff and students alike: it lists every
 *   meeting of the course, sections included (it names no person, so it cannot be filtered).
 */

export interface SectionsView {
  /** The course's sections the LMS named so far (by name). */
  known: Array<{ id: string; name: string }>;
  /** The viewer's own sections: their launch's, else what their last launch said. */
  mine: string[];
}

/** Whether someone in sections `mine` is meant to see a meeting for `sectionIds`. */
export function isMeantFor(sectionIds: readonly string[], mine: readonly string[]): boolean {
  return sectionIds.length === 0 || sectionIds.some((id) => mine.includes(id));
}

/** The meeting's sections by name ("Section: A"), or undefined for the whole course. */
export function sectionLabel(
  sectionIds: readonly string[],
  known: SectionsView['known'],
  translator: Translator,
): string | undefined {
  if (sectionIds.length === 0) return undefined;
  const names = sectionIds.map((id) => known.find((s) => s.id === id)?.name ?? id);
  return translator.t('sections.label', { count: names.length, names: names.join(', ') });
}

/** How long a course's known sections, and what a person's launch last recorded, are kept in memory. */
export const SECTIONS_CACHE_MS = 30_000;

export class MeetingSections {
  /** The course's known sections (none is remembered too: a Moodle course's launches ask nothing). */
  private readonly knownCache = new ExpiringCache<{ sections: SectionsView['known'] }>({
    ttlMs: SECTIONS_CACHE_MS,
  });
  /** What this process last recorded of a person's launch: the same again is not written. */
  private readonly recorded = new LRUCache<string, string>({ max: 20_000, ttl: SECTIONS_CACHE_MS });

  constructor(private readonly options: { db: Db; logger: Logger; now?: () => number }) {}

  /**
   * Records what the launch says of sections (a failure is logged, the page opens anyway) and
   * returns the course's known sections and the viewer's.
   */
  async forLaunch(course: CourseKey, launch: LaunchContext): Promise<SectionsView> {
    const { db } = this.options;
    const sent = launchSections(launch.custom);
    const personKey = JSON.stringify([course.schoolId, course.lmsIssuer, course.contextId, launch.userId]);
    const sentText = sent ? JSON.stringify(sent) : undefined;
    if (sent && sentText && this.recorded.get(personKey) !== sentText) {
      try {
        const at = new Date((this.options.now ?? Date.now)());
        await db.transaction(async (tx) => {
          await repo.upsertSections(tx, course, sent, at);
          await repo.setPersonSections(
            tx,
            course,
            { lmsUserId: launch.userId, name: launch.name, isStudent: launch.role === 'learner' },
            sent.map((s) => s.id),
          );
        });
        this.knownCache.forget();
        this.recorded.set(personKey, sentText);
      } catch (error) {
        this.options.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'the sections of a launch could not be recorded',
        );
      }
    }
    const known = await this.known(course);
    // A course with no known section (every Moodle course) has nothing of the person's to read.
    const mine = sent
      ? sent.map((s) => s.id)
      : known.length === 0
        ? []
        : await repo.personSections(db, course, launch.userId);
    return { known, mine };
  }

  /** A student's sections for a Join click: their launch's, else what their last launch said. */
  async viewerSections(
    course: CourseKey,
    launch: Pick<LaunchContext, 'custom' | 'userId'>,
  ): Promise<string[]> {
    const sent = launchSections(launch.custom);
    return sent ? sent.map((s) => s.id) : repo.personSections(this.options.db, course, launch.userId);
  }

  /** The form's sections must be the course's own (else the form says so; nothing changes). */
  check(chosen: readonly string[] | undefined, known: SectionsView['known']): FieldErrors | undefined {
    if (!chosen || chosen.length === 0) return undefined;
    const ids = new Set(known.map((s) => s.id));
    return chosen.every((id) => ids.has(id)) ? undefined : { sections: 'sections_invalid' };
  }

  /** An edit's sections (tool-only: Zoom knows nothing of them), written after Zoom took the edit. */
  async assign(course: CourseKey, meetingId: string, sectionIds: readonly string[]): Promise<void> {
    await repo.setMeetingSections(this.options.db, course, meetingId, [...new Set(sectionIds)]);
  }

  /** The course's known sections (by name). */
  async known(course: CourseKey): Promise<SectionsView['known']> {
    const key = JSON.stringify([course.schoolId, course.lmsIssuer, course.contextId]);
    const cached = await this.knownCache.read(key, async () => ({
      sections: (await repo.sectionsOf(this.options.db, course)).map((s) => ({
        id: s.sectionId,
        name: s.name,
      })),
    }));
    return cached?.sections ?? [];
  }
}

/**
 * A student's Join of a meeting meant for sections they are not in: the sections' names (for the
 * refusal's words), else undefined (whole course, or one of theirs). `launched`: the sections their
 * launch named (undefined: it named none, so what their last launch said counts).
 */
export async function refusedSections(
  db: Db,
  course: CourseKey,
  meeting: { sectionIds: string[] },
  viewer: { userId: string; sectionIds: string[] | undefined },
): Promise<string | undefined> {
  if (meeting.sectionIds.length === 0) return undefined;
  const mine = viewer.sectionIds ?? (await repo.personSections(db, course, viewer.userId));
  if (isMeantFor(meeting.sectionIds, mine)) return undefined;
  const known = await repo.sectionsOf(db, course);
  return meeting.sectionIds.map((id) => known.find((s) => s.sectionId === id)?.name ?? id).join(', ');
}
