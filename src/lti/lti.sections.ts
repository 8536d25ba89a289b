/**
 * Sections: which sections of the course the launching person is in, as the LMS says through the
 * custom parameters the tool registers (lti.canvas-config.ts, lti.registration.ts).
 *
 * Canvas substitutes `$Canvas.course.sectionIds` with the person's section ids in the course,
 * comma-separated, and `$com.instructure.User.sectionNames` with their names as a JSON array
 * (names may hold commas), "sorted by the course_section_id, so that they are useful in conjunction
 * with the Canvas.course.sectionIds substitution" (Canvas's variable substitution docs,
 * lib/lti/variable_expander.rb). Moodle sends no sections or groups in an LTI 1.3 launch and knows
 * neither variable. A variable the LMS does not know arrives as its own literal text
 * (`$Canvas.course.sectionIds`): that is "not sent", never a section.
 *
 * The Course Groups service (`https://purl.imsglobal.org/spec/lti-gs/claim/groupsservice`) is not
 * used: Canvas's groups are not its sections, and these two variables say what a launch needs.
 */
export const SECTION_IDS_FIELD = 'section_ids';
export const SECTION_NAMES_FIELD = 'section_names';

/** The custom parameters asked of Canvas. */
export const CANVAS_SECTIONS_CUSTOM = {
  [SECTION_IDS_FIELD]: '$Canvas.course.sectionIds',
  [SECTION_NAMES_FIELD]: '$com.instructure.User.sectionNames',
} as const;

export interface LaunchSection {
  id: string;
  /** The LMS's name for it; its id when the LMS sent no name that can be paired with it. */
  name: string;
}

/** An id as the tool keeps it (course_sections.section_id): short, printable, no `$` variable. */
const MAX_ID_LENGTH = 255;
const MAX_NAME_LENGTH = 255;
const MAX_SECTIONS = 100;

function idsOf(value: string | undefined): string[] | undefined {
  if (value === undefined) return undefined;
  const trimmed = value.trim();
  // The literal variable: the LMS did not substitute it (not Canvas, or not configured).
  if (trimmed.startsWith('$')) return undefined;
  const ids = trimmed
    .split(',')
    .map((id) => id.trim())
    .filter((id) => id !== '' && !id.startsWith('$') && id.length <= MAX_ID_LENGTH && !/[\s<>"]/.test(id));
  return [...new Set(ids)].slice(0, MAX_SECTIONS);
}

function namesOf(value: string | undefined): string[] | undefined {
  const trimmed = value?.trim();
  if (!trimmed || trimmed.startsWith('$')) return undefined;
  try {
    const parsed: unknown = JSON.parse(trimmed);
    if (Array.isArray(parsed) && parsed.every((name) => typeof name === 'string'))
      return parsed.map((name: string) => name.trim().slice(0, MAX_NAME_LENGTH));
  } catch {
    // Not JSON: one name, or a comma-separated list a platform built by hand.
  }
  return trimmed.split(',').map((name) => name.trim().slice(0, MAX_NAME_LENGTH));
}

/** Canvas sorts the names by section id: the ids are paired with them in that order. */
function byId(a: string, b: string): number {
  const numeric = /^\d+$/.test(a) && /^\d+$/.test(b);
  if (numeric) return a.length - b.length || (a < b ? -1 : a > b ? 1 : 0);
  return a < b ? -1 : a > b ? 1 : 0;
}

/**
 * The launching person's sections, or undefined when the launch did not say (no parameter, or its
 * variable left unsubstituted). An empty list: the LMS said they are in no section.
 */
export function launchSections(custom: Record<string, string>): LaunchSection[] | undefined {
  const ids = idsOf(custom[SECTION_IDS_FIELD]);
  if (!ids) return undefined;
  const names = namesOf(custom[SECTION_NAMES_FIELD]);
  const sorted = [...ids].sort(byId);
  const paired = names !== undefined && names.length === sorted.length;
  return sorted.map((id, index) => ({ id, name: (paired ? names[index] : undefined) || id }));
}
