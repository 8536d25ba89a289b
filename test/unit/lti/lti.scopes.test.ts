import { LTI_ADVANTAGE_SCOPES } from '../../../src/sandbox/lms/lms.profiles';
import { canvasConfiguration } from '../../../src/lti/lti.canvas-config';
import { clientRegistration } from '../../../src/lti/lti.registration';
import { AGS_SCOPES, grantedServices, NRPS_SCOPE, TOOL_SCOPES } from '../../../src/lti/lti.scopes';

/**
 * The tool asks every LMS for Names and Roles and the four Assignment and Grade Services scopes,
 * in dynamic registration (Moodle and Canvas alike) and in the Canvas JSON; what an LMS grants back
 * says what the tool may do with grades.
 */
describe('the LTI Advantage scopes the tool asks for', () => {
  const ags = [
    'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem',
    'https://purl.imsglobal.org/spec/lti-ags/scope/lineitem.readonly',
    'https://purl.imsglobal.org/spec/lti-ags/scope/result.readonly',
    'https://purl.imsglobal.org/spec/lti-ags/scope/score',
  ];
  const nrps = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';

  it('are Names and Roles and the four AGS scopes, spelled as the specifications spell them', () => {
    expect(TOOL_SCOPES).toEqual([nrps, ...ags]);
    expect(Object.values(AGS_SCOPES)).toEqual(ags);
    expect(NRPS_SCOPE).toBe(nrps);
  });

  it('are all scopes the LMS emulator knows, so its strict Canvas profile refuses none', () => {
    expect([...TOOL_SCOPES].sort()).toEqual([...LTI_ADVANTAGE_SCOPES].sort());
  });

  it.each([['moodle'], ['canvas'], [undefined]])(
    'a dynamic registration with %s asks for every one, space-separated',
    (family) => {
      const posted = clientRegistration('https://tool.example.com', family);
      expect(posted.scope.split(' ')).toEqual([nrps, ...ags]);
    },
  );

  it('the Canvas JSON lists every one', () => {
    expect(canvasConfiguration('https://tool.example.com').scopes).toEqual([nrps, ...ags]);
  });
});

describe('what a granted scope lets the tool do', () => {
  const [lineItem, lineItemReadonly, resultReadonly, score] = Object.values(AGS_SCOPES);

  it.each<[string, string, ReturnType<typeof grantedServices>]>([
    ['everything', TOOL_SCOPES.join(' '), { namesAndRoles: true, grades: 'columns' }],
    [
      'Moodle’s grade synchronization only',
      `${NRPS_SCOPE} ${score} ${resultReadonly} ${lineItemReadonly}`,
      { namesAndRoles: true, grades: 'scores' },
    ],
    ['Names and Roles only', NRPS_SCOPE, { namesAndRoles: true, grades: 'none' }],
    ['line items without scores', `${lineItem}`, { namesAndRoles: false, grades: 'none' }],
    ['nothing', '', { namesAndRoles: false, grades: 'none' }],
    [
      'unknown scopes and extra spaces',
      `  https://example.com/other  ${NRPS_SCOPE}  `,
      {
        namesAndRoles: true,
        grades: 'none',
      },
    ],
  ])('%s', (_name, scope, expected) => {
    expect(grantedServices(scope)).toEqual(expected);
  });
});
