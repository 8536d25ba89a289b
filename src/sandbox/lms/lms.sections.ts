import type { LmsProfileName } from './lms.types';

/**
 * Sections of a course, as Canvas keeps them: a course has sections (numeric ids), a person is
 * enrolled in one or more of them, and a launch substitutes two variables of the tool's custom
 * parameters for the launching person (Canvas's lib/lti/variable_expander.rb):
 *
 * - `$Canvas.course.sectionIds`: their section ids in the course, comma-separated ("5,6").
 * - `$com.instructure.User.sectionNames`: their sections' names as a JSON array, sorted by section
 *   id so that they pair with the ids (`["Section 1, M-T","Section 2, W-Th"]`).
 *
 * Both are empty for someone in no section of the course. Moodle has no sections in LTI 1.3 and
 * knows neither variable: it sends them as their own literal text.
 */
export interface LmsSection {
  id: string;
  name: string;
}

export const SECTION_VARIABLES = ['Canvas.course.sectionIds', 'com.instructure.User.sectionNames'] as const;

export class CourseSections {
  private readonly sections = new Map<string, LmsSection[]>();
  /** course id → section id → member user ids. */
  private readonly members = new Map<string, Map<string, Set<string>>>();
  private nextId = 101;

  constructor(private readonly profile: LmsProfileName) {}

  /** Adds a section to a course (Canvas numbers it). */
  add(courseId: string, name: string): LmsSection {
    if (this.profile !== 'canvas') throw new Error('LMS emulator: only Canvas has sections in LTI launches');
    const section = { id: String(this.nextId++), name };
    this.sections.set(courseId, [...(this.sections.get(courseId) ?? []), section]);
    return section;
  }

  /** Enrols a person in a section of the course (besides any other they are in). */
  enrol(courseId: string, sectionId: string, userId: string): void {
    if (!this.sections.get(courseId)?.some((s) => s.id === sectionId))
      throw new Error(`LMS emulator: course ${courseId} has no section ${sectionId}`);
    const course = this.members.get(courseId) ?? new Map<string, Set<string>>();
    course.set(sectionId, (course.get(sectionId) ?? new Set()).add(userId));
    this.members.set(courseId, course);
  }

  /** The person's sections in the course, by id (numerically, as Canvas sorts them). */
  of(courseId: string, userId: string): LmsSection[] {
    const course = this.members.get(courseId);
    return (this.sections.get(courseId) ?? [])
      .filter((s) => course?.get(s.id)?.has(userId))
      .sort((a, b) => Number(a.id) - Number(b.id));
  }

  /** The variables' values for a launch (Canvas only; Moodle substitutes neither). */
  values(courseId: string, userId: string): Record<string, string> {
    if (this.profile !== 'canvas') return {};
    const mine = this.of(courseId, userId);
    return {
      'Canvas.course.sectionIds': mine.map((s) => s.id).join(','),
      'com.instructure.User.sectionNames': JSON.stringify(mine.map((s) => s.name)),
    };
  }

  /** Custom parameters with the section variables substituted (anything else left as it was). */
  substitute(custom: Record<string, string>, courseId: string, userId: string): Record<string, string> {
    const values = this.values(courseId, userId);
    return Object.fromEntries(
      Object.entries(custom).map(([name, value]) => {
        const variable = value.startsWith('$') ? value.slice(1) : undefined;
        return [name, variable !== undefined && variable in values ? (values[variable] ?? '') : value];
      }),
    );
  }
}
