/**
 * LTI roles are normalised here, once, into the three course roles the tool cares about.
 *
 * Platforms send roles in several spellings: LIS v2 URIs in three vocabularies (context membership,
 * institution, system), LIS v2 context sub-roles (`…membership/Instructor#TeachingAssistant`), the
 * LTI 1.1 URNs (`urn:lti:role:ims/lis/Instructor`, `urn:lti:instrole:…`, `urn:lti:sysrole:…`) and the
 * deprecated short names older Moodle still sends (`Instructor`, `Learner`). Matching ignores case,
 * accepts `https://` and surrounding whitespace, and never throws: anything that is not a string is
 * skipped.
 *
 * Decisions, so that policies do not have to make them again:
 * - Administrator comes only from membership `Administrator` (and its sub-roles), institution
 *   `Administrator`, system `Administrator` and system `SysAdmin`. `SysSupport`, `AccountAdmin` and
 *   `Creator` are deliberately NOT administrators: support staff of the LMS should not be able to
 *   manage every school's Zoom meetings through this tool.
 * - School administration (the school's Zoom connection, its people, its settings) comes only from
 *   institution `Administrator`, system `Administrator` and system `SysAdmin`
 *   (`isSchoolAdministrator`). A membership `Administrator` administers this course only: the course
 *   role `administrator` (teaching staff here), never the whole school.
 * - Course roles come from context membership only. Institution roles other than `Administrator`
 *   (`Instructor`, `Faculty`, `Staff`, `Student`, …) describe the person at the school, not in this
 *   course: Canvas sends `institution/person#Instructor` to a teacher even when they launch from a
 *   course they merely study in. They grant nothing, even when no membership role is present. The
 *   short names `Faculty` and `Staff` are institution roles and are treated the same way.
 * - Instructor comes from membership `Instructor`, `ContentDeveloper` (Canvas designers) and
 *   `TeachingAssistant`, including sub-roles such as `membership/Instructor#TeachingAssistant`; a
 *   sub-role counts as its principal role. Any `TeachingAssistant…` role also sets
 *   `isTeachingAssistant`.
 * - Learner comes from membership `Learner` (and its sub-roles) and the short name `Student`.
 * - Mentor (Canvas observers), Guest, Member, Manager, system `User`, LTI `TestUser` and anything
 *   unknown grant nothing and are listed in `ignored`.
 */

export type CourseRole = 'administrator' | 'instructor' | 'learner';

export interface NormalisedRoles {
  /** The strongest course role (administrator > instructor > learner), or null when none is granted. */
  role: CourseRole | null;
  /** Each flag says whether some role grants it; flags are independent (an administrator need not be an instructor). */
  isAdministrator: boolean;
  isInstructor: boolean;
  isLearner: boolean;
  isTeachingAssistant: boolean;
  /** An institution or system administrator: administers the whole school's Zoom in this tool. */
  isSchoolAdministrator: boolean;
  /** The roles (trimmed, as sent, without duplicates) that granted something. */
  recognised: string[];
  /** The string roles (trimmed, as sent, without duplicates) that granted nothing. */
  ignored: string[];
}

type Vocabulary = 'membership' | 'institution' | 'system';

interface ParsedRole {
  vocabulary: Vocabulary;
  /** Lower-cased principal role name, e.g. `instructor`. */
  principal: string;
  /** Lower-cased sub-role name, e.g. `teachingassistant`, when the role is a sub-role. */
  sub?: string;
}

interface Grant {
  role: CourseRole;
  teachingAssistant: boolean;
  /** Granted by an institution or system role, not by a course membership. */
  schoolAdministrator: boolean;
}

const NAME = '([a-z][a-z0-9_-]*)';
const LIS_V2 = 'https?://purl\\.imsglobal\\.org/vocab/lis/v2/';

const PATTERNS: ReadonlyArray<{ vocabulary: Vocabulary; pattern: RegExp }> = [
  { vocabulary: 'membership', pattern: new RegExp(`^${LIS_V2}membership#${NAME}$`, 'i') },
  { vocabulary: 'membership', pattern: new RegExp(`^${LIS_V2}membership/${NAME}#${NAME}$`, 'i') },
  { vocabulary: 'institution', pattern: new RegExp(`^${LIS_V2}institution/person#${NAME}$`, 'i') },
  { vocabulary: 'system', pattern: new RegExp(`^${LIS_V2}system/person#${NAME}$`, 'i') },
  { vocabulary: 'membership', pattern: new RegExp(`^urn:lti:role:ims/lis/${NAME}(?:/${NAME})?$`, 'i') },
  { vocabulary: 'institution', pattern: new RegExp(`^urn:lti:instrole:ims/lis/${NAME}$`, 'i') },
  { vocabulary: 'system', pattern: new RegExp(`^urn:lti:sysrole:ims/lis/${NAME}$`, 'i') },
];

const SHORT_NAME = new RegExp(`^${NAME}$`, 'i');
/** Short names that are institution roles rather than context roles. */
const SHORT_INSTITUTION_NAMES: ReadonlySet<string> = new Set(['faculty', 'staff']);

const MEMBERSHIP_GRANTS: ReadonlyMap<string, CourseRole> = new Map<string, CourseRole>([
  ['administrator', 'administrator'],
  ['instructor', 'instructor'],
  ['contentdeveloper', 'instructor'],
  ['teachingassistant', 'instructor'],
  ['learner', 'learner'],
  ['student', 'learner'],
]);
const SYSTEM_ADMINISTRATORS: ReadonlySet<string> = new Set(['administrator', 'sysadmin']);

const SCHOOL_ADMINISTRATOR: Grant = {
  role: 'administrator',
  teachingAssistant: false,
  schoolAdministrator: true,
};

const STRENGTH: readonly CourseRole[] = ['administrator', 'instructor', 'learner'];

const DESCRIPTIONS: Readonly<Record<CourseRole, string>> = {
  administrator: 'Administrator',
  instructor: 'Instructor',
  learner: 'Student',
};

function parseRole(role: string): ParsedRole | null {
  for (const { vocabulary, pattern } of PATTERNS) {
    const match = pattern.exec(role);
    if (match?.[1]) {
      const principal = match[1].toLowerCase();
      const sub = match[2]?.toLowerCase();
      return sub ? { vocabulary, principal, sub } : { vocabulary, principal };
    }
  }
  if (SHORT_NAME.test(role)) {
    const principal = role.toLowerCase();
    return { vocabulary: SHORT_INSTITUTION_NAMES.has(principal) ? 'institution' : 'membership', principal };
  }
  return null;
}

function grantOf(parsed: ParsedRole): Grant | null {
  const { vocabulary, principal, sub } = parsed;
  switch (vocabulary) {
    case 'membership': {
      const role = MEMBERSHIP_GRANTS.get(principal);
      if (!role) return null;
      const teachingAssistant =
        role === 'instructor' &&
        (principal === 'teachingassistant' || (sub?.startsWith('teachingassistant') ?? false));
      return { role, teachingAssistant, schoolAdministrator: false };
    }
    case 'institution':
      return principal === 'administrator' ? SCHOOL_ADMINISTRATOR : null;
    case 'system':
      return SYSTEM_ADMINISTRATORS.has(principal) ? SCHOOL_ADMINISTRATOR : null;
  }
}

/** A single string is one role, or a comma-separated LTI 1.1 list; anything else but an array is no roles. */
function toList(roles: unknown): readonly unknown[] {
  if (Array.isArray(roles)) return roles;
  if (typeof roles === 'string') return roles.split(',');
  return [];
}

export function normaliseRoles(roles: readonly unknown[] | unknown): NormalisedRoles {
  const granted = new Set<CourseRole>();
  let isTeachingAssistant = false;
  let isSchoolAdministrator = false;
  const recognised = new Set<string>();
  const ignored = new Set<string>();

  for (const raw of toList(roles)) {
    if (typeof raw !== 'string') continue;
    const role = raw.trim();
    if (role === '') continue;
    const parsed = parseRole(role);
    const grant = parsed ? grantOf(parsed) : null;
    if (grant) {
      granted.add(grant.role);
      isTeachingAssistant ||= grant.teachingAssistant;
      isSchoolAdministrator ||= grant.schoolAdministrator;
      recognised.add(role);
    } else {
      ignored.add(role);
    }
  }

  return {
    role: STRENGTH.find((role) => granted.has(role)) ?? null,
    isAdministrator: granted.has('administrator'),
    isInstructor: granted.has('instructor'),
    isLearner: granted.has('learner'),
    isTeachingAssistant,
    isSchoolAdministrator,
    recognised: [...recognised],
    ignored: [...ignored],
  };
}

/** The word shown on pages for a course role; someone with no course role is a guest. */
export function describeRole(role: CourseRole | null): string {
  return role ? DESCRIPTIONS[role] : 'Guest';
}

/** Teaching staff of the course: instructors (teaching assistants included) and administrators. */
export function isStaff(role: CourseRole | null): role is 'instructor' | 'administrator' {
  return role === 'instructor' || role === 'administrator';
}

/** An administrator of this course (a course membership, or a school administrator). */
export function isAdministrator(role: CourseRole | null): role is 'administrator' {
  return role === 'administrator';
}

/**
 * A school administrator (institution or system role): manages the school's Zoom connection, its
 * people and its settings. A course's own `Administrator` membership is not one.
 */
export function isSchoolAdministrator(launch: { schoolAdministrator: boolean }): boolean {
  return launch.schoolAdministrator;
}
