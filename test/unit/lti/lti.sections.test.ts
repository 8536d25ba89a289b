import { CANVAS_SECTIONS_CUSTOM, launchSections } from '../../../src/lti/lti.sections';

describe("a launch's sections (Canvas's custom variables)", () => {
  const cases: Array<{
    name: string;
    custom: Record<string, string>;
    sections: Array<{ id: string; name: string }> | undefined;
  }> = [
    { name: 'no parameter (Moodle, or Canvas not configured): not said', custom: {}, sections: undefined },
    {
      name: 'the variable left unsubstituted: not said, never a section',
      custom: { ...CANVAS_SECTIONS_CUSTOM },
      sections: undefined,
    },
    {
      name: 'the variable with spaces around it: not said',
      custom: { section_ids: '  $Canvas.course.sectionIds ' },
      sections: undefined,
    },
    { name: 'empty: in no section', custom: { section_ids: '', section_names: '[]' }, sections: [] },
    {
      name: 'one section with its name',
      custom: { section_ids: '101', section_names: '["Section A"]' },
      sections: [{ id: '101', name: 'Section A' }],
    },
    {
      name: 'names with commas, paired with the ids in section id order',
      custom: { section_ids: '12,5', section_names: '["Section 1, M-T","Section 2, W-Th"]' },
      sections: [
        { id: '5', name: 'Section 1, M-T' },
        { id: '12', name: 'Section 2, W-Th' },
      ],
    },
    {
      name: 'spaces and empty items between commas, and repeats',
      custom: { section_ids: ' 7 , ,8,7 ', section_names: '["Seven","Eight"]' },
      sections: [
        { id: '7', name: 'Seven' },
        { id: '8', name: 'Eight' },
      ],
    },
    {
      name: 'names that cannot be paired (another count): the ids are the names',
      custom: { section_ids: '1,2', section_names: '["Only one"]' },
      sections: [
        { id: '1', name: '1' },
        { id: '2', name: '2' },
      ],
    },
    {
      name: 'names left unsubstituted: the ids are the names',
      custom: { section_ids: '3', section_names: '$com.instructure.User.sectionNames' },
      sections: [{ id: '3', name: '3' }],
    },
    {
      name: 'names as a plain comma-separated list',
      custom: { section_ids: '3,4', section_names: 'Morning, Evening' },
      sections: [
        { id: '3', name: 'Morning' },
        { id: '4', name: 'Evening' },
      ],
    },
    {
      name: 'an id with markup or a variable in the list is dropped',
      custom: { section_ids: '9,<b>,$Canvas.x' },
      sections: [{ id: '9', name: '9' }],
    },
  ];

  it.each(cases)('$name', ({ custom, sections }) => {
    expect(launchSections(custom)).toEqual(sections);
  });

  it('asks Canvas for both variables under the names it reads', () => {
    expect(CANVAS_SECTIONS_CUSTOM).toEqual({
      section_ids: '$Canvas.course.sectionIds',
      section_names: '$com.instructure.User.sectionNames',
    });
  });
});
