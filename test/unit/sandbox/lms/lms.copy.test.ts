import { CourseCopies, DEFAULT_TOOL_CUSTOM, registeredCustom } from '../../../../src/sandbox/lms/lms.copy';
import type { LmsCourse, LmsProfileName, LmsRegistration } from '../../../../src/sandbox/lms/lms.types';

function copies(profile: LmsProfileName, toolCustom: Record<string, string> = DEFAULT_TOOL_CUSTOM[profile]) {
  const courses = new Map<string, LmsCourse>();
  const course = (id: string) => {
    let found = courses.get(id);
    if (!found) {
      found = {
        id,
        label: `C${id}`,
        title: `Course ${id}`,
        contextId: profile === 'canvas' ? `ctx-${id}` : id,
      };
      courses.set(id, found);
    }
    return found;
  };
  course('2');
  return {
    copies: new CourseCopies({
      profile,
      course,
      courseIds: () => [...courses.keys()],
      toolCustom: () => toolCustom,
    }),
    course,
  };
}

describe('course copy in the LMS emulator', () => {
  it('makes a new course (new id and context id) named after the earlier one', () => {
    const { copies: lms } = copies('moodle');
    const copy = lms.copy('2');
    expect(copy).toMatchObject({ id: '3', contextId: '3', title: 'Course 2 (copy)' });
    expect(() => lms.copy('2', '3')).toThrow('already exists');
  });

  it('Moodle substitutes $Context.id.history (its originalcourseid chain) and no Canvas variable', () => {
    const { copies: lms } = copies('moodle', {
      history: '$Context.id.history',
      previous: '$Canvas.course.previousContextIds',
    });
    const b = lms.copy('2');
    const c = lms.copy(b.id);
    expect(lms.customFor(c)).toEqual({ history: '3,2', previous: '$Canvas.course.previousContextIds' });
    expect(lms.customFor(b)).toEqual({ history: '2', previous: '$Canvas.course.previousContextIds' });
  });

  it('Canvas substitutes the history and its own copy variables', () => {
    const { copies: lms, course } = copies('canvas', {
      history: '$Context.id.history',
      previous: '$Canvas.course.previousContextIds',
      recursive: '$Canvas.course.previousContextIds.recursive',
      courses: '$Canvas.course.previousCourseIds',
      unknown: '$Some.thing',
      plain: 'literal',
    });
    const b = lms.copy('2');
    const c = lms.copy(b.id);
    expect(lms.customFor(c)).toEqual({
      history: 'ctx-3,ctx-2',
      previous: 'ctx-3',
      recursive: 'ctx-3,ctx-2',
      courses: '3',
      unknown: '$Some.thing',
      plain: 'literal',
    });
    expect(lms.customFor(course('2'))).toMatchObject({ history: '', previous: '', recursive: '' });
  });

  it('a dynamically registered tool’s own custom parameters are the ones substituted', () => {
    const registration = {
      body: {
        'https://purl.imsglobal.org/spec/lti-tool-configuration': {
          custom_parameters: { h: '$Context.id.history' },
        },
      },
    } as unknown as LmsRegistration;
    expect(registeredCustom(registration)).toEqual({ h: '$Context.id.history' });
    expect(registeredCustom(undefined)).toBeUndefined();
  });
});
