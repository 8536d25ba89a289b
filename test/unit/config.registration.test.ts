import { ConfigError, loadConfig } from '../../src/config';

/** REGISTRATION_ALLOWED_HOSTS: the LMS hosts a dynamic registration may reach on private addresses. */
describe('REGISTRATION_ALLOWED_HOSTS', () => {
  it('is empty when unset: only public addresses are reached', () => {
    expect(loadConfig({}).registrationAllowedHosts).toEqual([]);
  });

  it('takes host names and addresses separated by commas, trimmed and in lower case', () => {
    expect(
      loadConfig({ REGISTRATION_ALLOWED_HOSTS: ' Moodle.Intranet.School.edu, 10.0.0.5 ,,[fd00::1]' })
        .registrationAllowedHosts,
    ).toEqual(['moodle.intranet.school.edu', '10.0.0.5', '[fd00::1]']);
  });

  it.each(['https://moodle.school.edu', 'moodle.school.edu:8443', 'moodle.school.edu/lti', 'a b'])(
    'refuses %s, naming the variable (a host only: no scheme, port or path)',
    (value) => {
      let problems: string[] = [];
      try {
        loadConfig({ REGISTRATION_ALLOWED_HOSTS: value });
      } catch (error) {
        if (error instanceof ConfigError) problems = error.problems.map((problem) => problem.variable);
      }
      expect(problems).toEqual(['REGISTRATION_ALLOWED_HOSTS']);
    },
  );
});
