import { FrameAncestors, type FrameSource } from '../../../src/tenants';

/** The LMS origins a page may be framed by: its launch's school's, never another school's. */
describe('FrameAncestors', () => {
  const sources: FrameSource[] = [
    {
      schoolId: 'north',
      issuer: 'https://moodle.north.edu',
      clientId: 'n1',
      loginUrl: 'https://moodle.north.edu/mod/lti/auth.php',
      frameOrigins: ['https://admin.north.edu'],
    },
    {
      schoolId: 'north',
      issuer: 'https://canvas.instructure.com',
      clientId: 'n2',
      loginUrl: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
      frameOrigins: ['https://north.instructure.com'],
    },
    // An operator registered Canvas Cloud's shared issuer for a second school too.
    {
      schoolId: 'south',
      issuer: 'https://canvas.instructure.com',
      clientId: 's1',
      loginUrl: 'https://sso.canvaslms.com/api/lti/authorize_redirect',
      frameOrigins: ['https://south.instructure.com'],
    },
  ];
  const ancestors = new FrameAncestors(sources);
  const NORTH = [
    'https://admin.north.edu',
    'https://canvas.instructure.com',
    'https://moodle.north.edu',
    'https://north.instructure.com',
    'https://sso.canvaslms.com',
  ];

  it.each([
    ['a registration: its whole school', { issuer: 'https://moodle.north.edu', clientId: 'n1' }, NORTH],
    [
      'another registration of that school',
      { issuer: 'https://canvas.instructure.com', clientId: 'n2' },
      NORTH,
    ],
    [
      'a shared issuer with the client id: that registration’s school only',
      { issuer: 'https://canvas.instructure.com', clientId: 's1' },
      ['https://canvas.instructure.com', 'https://south.instructure.com', 'https://sso.canvaslms.com'],
    ],
    ['an issuer alone: the school it is registered for', { issuer: 'https://moodle.north.edu' }, NORTH],
    [
      'a shared issuer alone: every school it is registered for',
      { issuer: 'https://canvas.instructure.com' },
      [...NORTH, 'https://south.instructure.com'].sort(),
    ],
    ['an unknown issuer: none', { issuer: 'https://fake.example' }, []],
    [
      'a known issuer with an unknown client id: the issuer’s schools',
      { issuer: 'https://moodle.north.edu', clientId: 'other' },
      NORTH,
    ],
  ])('%s', (_name, hint, expected) => {
    expect(ancestors.forLaunch(hint)).toEqual(expected);
  });
});
