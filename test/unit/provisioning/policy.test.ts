import { normaliseRoles } from '../../../src/lti';
import { dependsOnSettings, zoomUserFor } from '../../../src/provisioning/provisioning.policy';

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2';

/** Who opens a course × the school's setting → whether their launch gives them a Zoom user. */
const TABLE: ReadonlyArray<{ who: string; roles: string[]; off: string; on: string }> = [
  {
    who: 'an institution administrator only',
    roles: [`${LIS}/institution/person#Administrator`],
    off: 'administrator_left_out',
    on: 'provision',
  },
  {
    who: 'a system administrator only (LTI 1.1 URN)',
    roles: ['urn:lti:sysrole:ims/lis/Administrator'],
    off: 'administrator_left_out',
    on: 'provision',
  },
  {
    who: 'a course administrator only',
    roles: [`${LIS}/membership#Administrator`],
    off: 'administrator_left_out',
    on: 'provision',
  },
  {
    who: 'an administrator who is also an instructor of the course',
    roles: [`${LIS}/institution/person#Administrator`, `${LIS}/membership#Instructor`],
    off: 'provision',
    on: 'provision',
  },
  {
    who: 'an administrator who is an institution instructor only (not of this course)',
    roles: [`${LIS}/institution/person#Administrator`, `${LIS}/institution/person#Instructor`],
    off: 'administrator_left_out',
    on: 'provision',
  },
  { who: 'an instructor', roles: [`${LIS}/membership#Instructor`], off: 'provision', on: 'provision' },
  {
    who: 'a teaching assistant',
    roles: [`${LIS}/membership/Instructor#TeachingAssistant`],
    off: 'provision',
    on: 'provision',
  },
  { who: 'a learner', roles: [`${LIS}/membership#Learner`], off: 'not_applicable', on: 'not_applicable' },
  { who: 'a guest', roles: [], off: 'not_applicable', on: 'not_applicable' },
];

describe('who gets a Zoom user at launch', () => {
  it.each(
    TABLE.flatMap((row) => [true, false].map((on) => ({ ...row, on, expected: on ? row.on : row.off }))),
  )('$who, administrators setting $on → $expected', ({ roles, on, expected }) => {
    const opener = { role: normaliseRoles(roles).role, roles };
    expect(zoomUserFor(opener, { provisionAdministrators: on })).toBe(expected);
  });

  it('reads the school’s settings only for an administrator who does not teach the course', () => {
    expect(
      dependsOnSettings({ role: 'administrator', roles: [`${LIS}/institution/person#Administrator`] }),
    ).toBe(true);
    expect(
      dependsOnSettings({
        role: 'administrator',
        roles: [`${LIS}/institution/person#Administrator`, `${LIS}/membership#Instructor`],
      }),
    ).toBe(false);
    expect(dependsOnSettings({ role: 'instructor', roles: [`${LIS}/membership#Instructor`] })).toBe(false);
  });

  it('without the launch’s roles, the course role decides (a retry or "Check again")', () => {
    expect(zoomUserFor({ role: 'instructor' }, { provisionAdministrators: false })).toBe('provision');
    expect(zoomUserFor({ role: 'administrator' }, { provisionAdministrators: false })).toBe(
      'administrator_left_out',
    );
  });
});
