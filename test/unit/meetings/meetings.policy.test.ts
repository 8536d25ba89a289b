import { meetingRights } from '../../../src/meetings/meetings.policy';

describe('co-teaching: meetingRights, the rule in one place', () => {
  const meeting = { hostLmsUserId: 'host', settings: { alternativeHosts: ['alt@school.edu'] } };
  const manages = { edit: true, delete: true, attendance: true };
  const nothing = { edit: false, delete: false, start: false, attendance: false };

  it.each([
    [
      'the host (instructor)',
      { role: 'instructor', userId: 'host' },
      undefined,
      { ...manages, start: 'host' },
    ],
    ['a co-teacher', { role: 'instructor', userId: 'co' }, 'co@school.edu', { ...manages, start: false }],
    [
      'a co-teacher who is an alternative host (email in any case)',
      { role: 'instructor', userId: 'co' },
      ' ALT@school.edu ',
      { ...manages, start: 'alternative' },
    ],
    ['a course administrator', { role: 'administrator', userId: 'adm' }, null, { ...manages, start: false }],
    [
      'a student, even listed as alternative host',
      { role: 'learner', userId: 's' },
      'alt@school.edu',
      nothing,
    ],
    ['someone with no course role', { role: null, userId: 'o' }, undefined, nothing],
    [
      'a co-teacher with an empty Zoom email',
      { role: 'instructor', userId: 'co' },
      '',
      { ...manages, start: false },
    ],
  ] as const)('%s', (_name, launch, email, rights) => {
    expect(meetingRights(launch, meeting, email)).toEqual(rights);
  });
});
