import type { LmsProfileName, LmsCourse, LmsRegistration } from './lms.types';

/**
 * Course copy, as both LMSs do it for next term: a new course (new id, new LTI context id) made
 * from an earlier one, with none of its people, and a launch from the copy substitutes the copy
 * history variables of the tool's custom parameters.
 *
 * - Canvas (course copy / "Copy this course"): `$Context.id.history` is every earlier course's
 *   context id, most recent first; `$Canvas.course.previousContextIds` the course copied from,
 *   `.recursive` the whole chain; `$Canvas.course.previousCourseIds` the copied-from course's id.
 * - Moodle (backup and restore into a new course, or course copy, on the same site): the restored
 *   course keeps `originalcourseid`; mod_lti substitutes `$Context.id.history` by following that
 *   chain, immediate parent first (`get_course_history`). Moodle knows none of Canvas's variables.
 *
 * A variable an LMS does not know is sent as its own literal text, as both do.
 */
const TOOL_CONFIG = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

/**
 * The tool's custom parameters when it was not registered dynamically: what a Canvas admin pastes
 * from the tool's canvas.json, what a Moodle admin types in "Custom parameters".
 */
export const DEFAULT_TOOL_CUSTOM: Record<LmsProfileName, Record<string, string>> = {
  canvas: {
    context_id_history: '$Context.id.history',
    canvas_previous_context_ids: '$Canvas.course.previousContextIds.recursive',
    // The launching person's sections (lms.sections.ts), as the tool's canvas.json asks.
    section_ids: '$Canvas.course.sectionIds',
    section_names: '$com.instructure.User.sectionNames',
  },
  moodle: { context_id_history: '$Context.id.history' },
};

/** The custom parameters a dynamically registered tool asked for, if it asked. */
export function registeredCustom(
  registration: LmsRegistration | undefined,
): Record<string, string> | undefined {
  const config = registration?.body[TOOL_CONFIG] as { custom_parameters?: unknown } | undefined;
  const custom = config?.custom_parameters;
  if (!custom || typeof custom !== 'object') return undefined;
  return Object.fromEntries(
    Object.entries(custom as Record<string, unknown>).filter(
      (entry): entry is [string, string] => typeof entry[1] === 'string',
    ),
  );
}

export interface CourseCopyDeps {
  profile: LmsProfileName;
  /** The course of an id (made on first use, as the emulator's courses are). */
  course(courseId: string): LmsCourse;
  /** Every course id the LMS has. */
  courseIds(): string[];
  /** The tool's custom parameters (its registration's, else the default). */
  toolCustom(): Record<string, string>;
}

export class CourseCopies {
  /** The course each copy was made from (Moodle's `originalcourseid`). */
  private readonly sources = new Map<string, string>();

  constructor(private readonly deps: CourseCopyDeps) {}

  /** Copies a course into a new one (a new id unless given): its title and label, none of its people. */
  copy(fromCourseId: string, newCourseId?: string): LmsCourse {
    const from = this.deps.course(fromCourseId);
    const id = newCourseId ?? this.nextCourseId();
    if (this.deps.courseIds().includes(id)) throw new Error(`LMS emulator: course ${id} already exists`);
    const copy = this.deps.course(id);
    copy.title = `${from.title} (copy)`;
    copy.label = `${from.label}-COPY`;
    this.sources.set(id, from.id);
    return copy;
  }

  /** The courses a course was copied from, most recent first (a cycle is cut, as Moodle does). */
  history(courseId: string): LmsCourse[] {
    const chain: LmsCourse[] = [];
    const seen = new Set<string>([courseId]);
    for (let id = this.sources.get(courseId); id !== undefined && !seen.has(id); id = this.sources.get(id)) {
      seen.add(id);
      chain.push(this.deps.course(id));
    }
    return chain;
  }

  /** The tool's custom parameters with this LMS's substitutions for a launch in `course`. */
  customFor(course: LmsCourse): Record<string, string> {
    const chain = this.history(course.id);
    const values: Record<string, string> = {
      'Context.id.history': chain.map((c) => c.contextId).join(','),
    };
    if (this.deps.profile === 'canvas') {
      values['Canvas.course.previousContextIds'] = chain[0]?.contextId ?? '';
      values['Canvas.course.previousContextIds.recursive'] = values['Context.id.history'] ?? '';
      values['Canvas.course.previousCourseIds'] = chain[0]?.id ?? '';
    }
    const custom: Record<string, string> = {};
    for (const [name, value] of Object.entries(this.deps.toolCustom())) {
      const variable = value.startsWith('$') ? value.slice(1) : undefined;
      custom[name] = variable !== undefined && variable in values ? (values[variable] ?? '') : value;
    }
    return custom;
  }

  private nextCourseId(): string {
    const numbers = this.deps.courseIds().map(Number).filter(Number.isInteger);
    return String(Math.max(1, ...numbers) + 1);
  }
}
