import type { CourseRole } from '../../../src/lti/roles';

/** The role cases of roles.test.ts: what Moodle, Canvas and others send, and what each means here. */

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2';
export const MEMBERSHIP = `${LIS}/membership#`;
const INSTITUTION = `${LIS}/institution/person#`;
export const SYSTEM = `${LIS}/system/person#`;
const TEST_USER = 'http://purl.imsglobal.org/vocab/lti/system/person#TestUser';

/** A: administrator (course role); S: school administrator (institution or system role); I, L, TA. */
export type Flag = 'A' | 'S' | 'I' | 'L' | 'TA';

export interface Row {
  name: string;
  roles: unknown;
  role: CourseRole | null;
  /** Flags that must be true; every other flag must be false. */
  flags: Flag[];
  recognised: string[];
  ignored: string[];
}

export const rows: Row[] = [
  // Moodle 4.5
  {
    name: 'Moodle 4.5 teacher',
    roles: [`${MEMBERSHIP}Instructor`],
    role: 'instructor',
    flags: ['I'],
    recognised: [`${MEMBERSHIP}Instructor`],
    ignored: [],
  },
  {
    name: 'Moodle 4.5 student',
    roles: [`${MEMBERSHIP}Learner`],
    role: 'learner',
    flags: ['L'],
    recognised: [`${MEMBERSHIP}Learner`],
    ignored: [],
  },
  {
    name: 'Moodle 4.5 site admin',
    roles: [`${INSTITUTION}Administrator`, `${MEMBERSHIP}Instructor`, `${SYSTEM}Administrator`],
    role: 'administrator',
    flags: ['A', 'S', 'I'],
    recognised: [`${INSTITUTION}Administrator`, `${MEMBERSHIP}Instructor`, `${SYSTEM}Administrator`],
    ignored: [],
  },
  {
    name: 'older Moodle teacher (short form)',
    roles: ['Instructor'],
    role: 'instructor',
    flags: ['I'],
    recognised: ['Instructor'],
    ignored: [],
  },
  {
    name: 'older Moodle student (short form)',
    roles: ['Learner'],
    role: 'learner',
    flags: ['L'],
    recognised: ['Learner'],
    ignored: [],
  },
  // Canvas
  {
    name: 'Canvas teacher',
    roles: [`${INSTITUTION}Instructor`, `${MEMBERSHIP}Instructor`, `${SYSTEM}User`],
    role: 'instructor',
    flags: ['I'],
    recognised: [`${MEMBERSHIP}Instructor`],
    ignored: [`${INSTITUTION}Instructor`, `${SYSTEM}User`],
  },
  {
    name: 'Canvas student',
    roles: [`${INSTITUTION}Student`, `${MEMBERSHIP}Learner`, `${SYSTEM}User`],
    role: 'learner',
    flags: ['L'],
    recognised: [`${MEMBERSHIP}Learner`],
    ignored: [`${INSTITUTION}Student`, `${SYSTEM}User`],
  },
  {
    name: 'Canvas TA (sub-role only)',
    roles: [`${INSTITUTION}Instructor`, `${LIS}/membership/Instructor#TeachingAssistant`, `${SYSTEM}User`],
    role: 'instructor',
    flags: ['I', 'TA'],
    recognised: [`${LIS}/membership/Instructor#TeachingAssistant`],
    ignored: [`${INSTITUTION}Instructor`, `${SYSTEM}User`],
  },
  {
    name: 'Canvas TA (sub-role and membership#TeachingAssistant)',
    roles: [
      `${INSTITUTION}Instructor`,
      `${LIS}/membership/Instructor#TeachingAssistant`,
      `${MEMBERSHIP}TeachingAssistant`,
      `${SYSTEM}User`,
    ],
    role: 'instructor',
    flags: ['I', 'TA'],
    recognised: [`${LIS}/membership/Instructor#TeachingAssistant`, `${MEMBERSHIP}TeachingAssistant`],
    ignored: [`${INSTITUTION}Instructor`, `${SYSTEM}User`],
  },
  {
    name: 'Canvas TA (membership#TeachingAssistant only)',
    roles: [`${MEMBERSHIP}TeachingAssistant`],
    role: 'instructor',
    flags: ['I', 'TA'],
    recognised: [`${MEMBERSHIP}TeachingAssistant`],
    ignored: [],
  },
  {
    name: 'Canvas account admin',
    roles: [`${INSTITUTION}Administrator`, `${SYSTEM}SysAdmin`, `${SYSTEM}User`, `${MEMBERSHIP}Instructor`],
    role: 'administrator',
    flags: ['A', 'S', 'I'],
    recognised: [`${INSTITUTION}Administrator`, `${SYSTEM}SysAdmin`, `${MEMBERSHIP}Instructor`],
    ignored: [`${SYSTEM}User`],
  },
  {
    name: 'Canvas designer',
    roles: [`${MEMBERSHIP}ContentDeveloper`],
    role: 'instructor',
    flags: ['I'],
    recognised: [`${MEMBERSHIP}ContentDeveloper`],
    ignored: [],
  },
  {
    name: 'Canvas observer',
    roles: [`${MEMBERSHIP}Mentor`],
    role: null,
    flags: [],
    recognised: [],
    ignored: [`${MEMBERSHIP}Mentor`],
  },
  {
    name: 'Canvas test student',
    roles: [TEST_USER, `${MEMBERSHIP}Learner`],
    role: 'learner',
    flags: ['L'],
    recognised: [`${MEMBERSHIP}Learner`],
    ignored: [TEST_USER],
  },
  // Institution and system roles alone grant no course role
  {
    name: 'institution Instructor and Faculty alone',
    roles: [`${INSTITUTION}Instructor`, `${INSTITUTION}Faculty`, 'Faculty', 'Staff'],
    role: null,
    flags: [],
    recognised: [],
    ignored: [`${INSTITUTION}Instructor`, `${INSTITUTION}Faculty`, 'Faculty', 'Staff'],
  },
  {
    name: 'institution Student alone',
    roles: [`${INSTITUTION}Student`],
    role: null,
    flags: [],
    recognised: [],
    ignored: [`${INSTITUTION}Student`],
  },
  {
    name: 'system User only',
    roles: [`${SYSTEM}User`],
    role: null,
    flags: [],
    recognised: [],
    ignored: [`${SYSTEM}User`],
  },
  {
    name: 'SysSupport is not an administrator',
    roles: [`${SYSTEM}SysSupport`, `${MEMBERSHIP}Learner`],
    role: 'learner',
    flags: ['L'],
    recognised: [`${MEMBERSHIP}Learner`],
    ignored: [`${SYSTEM}SysSupport`],
  },
  {
    name: 'Mentor, Guest and TestUser together',
    roles: ['Mentor', `${MEMBERSHIP}Guest`, `${INSTITUTION}Guest`, TEST_USER],
    role: null,
    flags: [],
    recognised: [],
    ignored: ['Mentor', `${MEMBERSHIP}Guest`, `${INSTITUTION}Guest`, TEST_USER],
  },
  // Other LIS v2 forms
  {
    // A course's own administrator: administers this course, never the whole school's Zoom.
    name: 'membership Administrator',
    roles: [`${MEMBERSHIP}Administrator`],
    role: 'administrator',
    flags: ['A'],
    recognised: [`${MEMBERSHIP}Administrator`],
    ignored: [],
  },
  {
    name: 'membership Administrator sub-role with Instructor',
    roles: [`${LIS}/membership/Administrator#Administrator`, `${MEMBERSHIP}Instructor`],
    role: 'administrator',
    flags: ['A', 'I'],
    recognised: [`${LIS}/membership/Administrator#Administrator`, `${MEMBERSHIP}Instructor`],
    ignored: [],
  },
  {
    name: 'LTI 1.1 context Administrator',
    roles: ['urn:lti:role:ims/lis/Administrator'],
    role: 'administrator',
    flags: ['A'],
    recognised: ['urn:lti:role:ims/lis/Administrator'],
    ignored: [],
  },
  {
    name: 'institution Administrator alone',
    roles: [`${INSTITUTION}Administrator`],
    role: 'administrator',
    flags: ['A', 'S'],
    recognised: [`${INSTITUTION}Administrator`],
    ignored: [],
  },
  {
    name: 'system Administrator alone',
    roles: [`${SYSTEM}Administrator`],
    role: 'administrator',
    flags: ['A', 'S'],
    recognised: [`${SYSTEM}Administrator`],
    ignored: [],
  },
  {
    name: 'Learner sub-role',
    roles: [`${LIS}/membership/Learner#NonCreditLearner`],
    role: 'learner',
    flags: ['L'],
    recognised: [`${LIS}/membership/Learner#NonCreditLearner`],
    ignored: [],
  },
  {
    name: 'Instructor sub-role other than TA',
    roles: [`${LIS}/membership/Instructor#Grader`],
    role: 'instructor',
    flags: ['I'],
    recognised: [`${LIS}/membership/Instructor#Grader`],
    ignored: [],
  },
  {
    name: 'Mentor sub-role',
    roles: [`${LIS}/membership/Mentor#Advisor`],
    role: null,
    flags: [],
    recognised: [],
    ignored: [`${LIS}/membership/Mentor#Advisor`],
  },
  {
    name: 'https, odd case and whitespace',
    roles: [
      '  https://purl.imsglobal.org/vocab/lis/v2/membership#instructor \n',
      'HTTPS://PURL.IMSGLOBAL.ORG/VOCAB/LIS/V2/MEMBERSHIP/INSTRUCTOR#TEACHINGASSISTANT',
    ],
    role: 'instructor',
    flags: ['I', 'TA'],
    recognised: [
      'https://purl.imsglobal.org/vocab/lis/v2/membership#instructor',
      'HTTPS://PURL.IMSGLOBAL.ORG/VOCAB/LIS/V2/MEMBERSHIP/INSTRUCTOR#TEACHINGASSISTANT',
    ],
    ignored: [],
  },
  {
    name: 'teacher who is also a learner',
    roles: [`${MEMBERSHIP}Learner`, `${MEMBERSHIP}Instructor`],
    role: 'instructor',
    flags: ['I', 'L'],
    recognised: [`${MEMBERSHIP}Learner`, `${MEMBERSHIP}Instructor`],
    ignored: [],
  },
  {
    name: 'duplicates are listed once',
    roles: [`${MEMBERSHIP}Learner`, ` ${MEMBERSHIP}Learner`, `${SYSTEM}User`, `${SYSTEM}User`],
    role: 'learner',
    flags: ['L'],
    recognised: [`${MEMBERSHIP}Learner`],
    ignored: [`${SYSTEM}User`],
  },
  // Short forms
  {
    name: 'short Student, Administrator, ContentDeveloper, TeachingAssistant',
    roles: ['student', 'ADMINISTRATOR', 'ContentDeveloper', 'TeachingAssistant'],
    role: 'administrator',
    flags: ['A', 'I', 'L', 'TA'],
    recognised: ['student', 'ADMINISTRATOR', 'ContentDeveloper', 'TeachingAssistant'],
    ignored: [],
  },
  // LTI 1.1 URNs
  {
    name: 'LTI 1.1 context Instructor',
    roles: ['urn:lti:role:ims/lis/Instructor'],
    role: 'instructor',
    flags: ['I'],
    recognised: ['urn:lti:role:ims/lis/Instructor'],
    ignored: [],
  },
  {
    name: 'LTI 1.1 context TA sub-role and Learner',
    roles: ['urn:lti:role:ims/lis/Instructor/TeachingAssistant', 'urn:lti:role:ims/lis/Learner'],
    role: 'instructor',
    flags: ['I', 'L', 'TA'],
    recognised: ['urn:lti:role:ims/lis/Instructor/TeachingAssistant', 'urn:lti:role:ims/lis/Learner'],
    ignored: [],
  },
  {
    name: 'LTI 1.1 institution Administrator',
    roles: ['urn:lti:instrole:ims/lis/Administrator'],
    role: 'administrator',
    flags: ['A', 'S'],
    recognised: ['urn:lti:instrole:ims/lis/Administrator'],
    ignored: [],
  },
  {
    name: 'LTI 1.1 system SysAdmin',
    roles: ['urn:lti:sysrole:ims/lis/SysAdmin'],
    role: 'administrator',
    flags: ['A', 'S'],
    recognised: ['urn:lti:sysrole:ims/lis/SysAdmin'],
    ignored: [],
  },
  {
    name: 'LTI 1.1 institution Instructor and Student grant nothing',
    roles: ['urn:lti:instrole:ims/lis/Instructor', 'urn:lti:instrole:ims/lis/Student'],
    role: null,
    flags: [],
    recognised: [],
    ignored: ['urn:lti:instrole:ims/lis/Instructor', 'urn:lti:instrole:ims/lis/Student'],
  },
  // Garbage
  { name: 'undefined', roles: undefined, role: null, flags: [], recognised: [], ignored: [] },
  { name: 'null', roles: null, role: null, flags: [], recognised: [], ignored: [] },
  { name: 'empty array', roles: [], role: null, flags: [], recognised: [], ignored: [] },
  { name: 'non-strings only', roles: [42, null], role: null, flags: [], recognised: [], ignored: [] },
  {
    name: 'a bare string is one role',
    roles: 'Instructor',
    role: 'instructor',
    flags: ['I'],
    recognised: ['Instructor'],
    ignored: [],
  },
  {
    name: 'a bare comma-separated LTI 1.1 string',
    roles: 'Learner, urn:lti:role:ims/lis/Mentor',
    role: 'learner',
    flags: ['L'],
    recognised: ['Learner'],
    ignored: ['urn:lti:role:ims/lis/Mentor'],
  },
  {
    name: 'an object, not an array',
    roles: { 0: `${MEMBERSHIP}Instructor`, length: 1 },
    role: null,
    flags: [],
    recognised: [],
    ignored: [],
  },
  {
    name: 'mixed junk around a real role',
    roles: [
      {},
      ['Instructor'],
      '',
      '   ',
      `${MEMBERSHIP}Learner`,
      'http://example.com/membership#Instructor',
      `${MEMBERSHIP}`,
      `${MEMBERSHIP}Instructor#Extra`,
      'urn:lti:role:ims/lis/',
      'constructor',
      '__proto__',
    ],
    role: 'learner',
    flags: ['L'],
    recognised: [`${MEMBERSHIP}Learner`],
    ignored: [
      'http://example.com/membership#Instructor',
      `${MEMBERSHIP}`,
      `${MEMBERSHIP}Instructor#Extra`,
      'urn:lti:role:ims/lis/',
      'constructor',
      '__proto__',
    ],
  },
];
