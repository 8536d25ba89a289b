import { describeRole, normaliseRoles, type CourseRole } from '../../../src/lti/roles';
import { MEMBERSHIP, rows, SYSTEM } from './roles.cases';

describe('normaliseRoles', () => {
  test.each(rows)('$name → $role', ({ roles, role, flags, recognised, ignored }) => {
    const result = normaliseRoles(roles);
    expect(result).toEqual({
      role,
      isAdministrator: flags.includes('A'),
      isInstructor: flags.includes('I'),
      isLearner: flags.includes('L'),
      isTeachingAssistant: flags.includes('TA'),
      isSchoolAdministrator: flags.includes('S'),
      recognised,
      ignored,
    });
  });

  test('when roles arrive as a frozen array, they are read without being changed', () => {
    const roles = Object.freeze([`${MEMBERSHIP}Instructor`, `${SYSTEM}User`]);
    expect(normaliseRoles(roles).role).toBe('instructor');
    expect(roles).toEqual([`${MEMBERSHIP}Instructor`, `${SYSTEM}User`]);
  });

  test('when the input is garbage of any kind, it never throws', () => {
    const garbage: unknown[] = [
      0,
      true,
      Symbol('x'),
      () => 'Instructor',
      new Set(['Instructor']),
      [undefined, Symbol('y'), 1n, new Date(), Object.create(null)],
      'x'.repeat(100_000),
    ];
    for (const input of garbage) {
      expect(() => normaliseRoles(input)).not.toThrow();
      expect(normaliseRoles(input).role).toBeNull();
    }
  });
});

describe('describeRole', () => {
  test.each<[CourseRole | null, string]>([
    ['administrator', 'Administrator'],
    ['instructor', 'Instructor'],
    ['learner', 'Student'],
    [null, 'Guest'],
  ])('%s is shown as %s', (role, label) => {
    expect(describeRole(role)).toBe(label);
  });

  test('when a launch carries only an observer role, the page calls the person a guest', () => {
    expect(describeRole(normaliseRoles([`${MEMBERSHIP}Mentor`]).role)).toBe('Guest');
  });
});
