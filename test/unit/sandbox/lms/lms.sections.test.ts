import { CourseSections } from '../../../../src/sandbox/lms/lms.sections';

describe("the LMS emulator's sections", () => {
  const custom = {
    section_ids: '$Canvas.course.sectionIds',
    section_names: '$com.instructure.User.sectionNames',
    other: '$Canvas.user.id',
    plain: 'x',
  };

  it('Canvas substitutes the launching person’s section ids (comma-separated) and names (JSON, by id)', () => {
    const sections = new CourseSections('canvas');
    const a = sections.add('1', 'Section 2, W-Th');
    const b = sections.add('1', 'Section 1, M-T');
    sections.enrol('1', b.id, 'u1');
    sections.enrol('1', a.id, 'u1');
    expect(sections.substitute(custom, '1', 'u1')).toEqual({
      section_ids: `${a.id},${b.id}`,
      section_names: JSON.stringify(['Section 2, W-Th', 'Section 1, M-T']),
      other: '$Canvas.user.id',
      plain: 'x',
    });
  });

  it('Canvas sends both empty for someone in no section', () => {
    const sections = new CourseSections('canvas');
    sections.add('1', 'A');
    expect(sections.substitute(custom, '1', 'nobody')).toMatchObject({
      section_ids: '',
      section_names: '[]',
    });
  });

  it('Moodle knows neither variable: they arrive as their own text, and it has no sections to add', () => {
    const sections = new CourseSections('moodle');
    expect(sections.substitute(custom, '1', 'u1')).toEqual(custom);
    expect(() => sections.add('1', 'A')).toThrow(/only Canvas/);
  });

  it('refuses to enrol someone in a section the course does not have', () => {
    const sections = new CourseSections('canvas');
    expect(() => sections.enrol('1', '999', 'u1')).toThrow(/no section/);
  });
});
