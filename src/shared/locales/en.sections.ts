/** English texts of co-teaching and sections (wired into en.ts as `sections`, its form errors into `meetings.errors`). */
export const enSections = {
  /** The co-teaching rule as staff read it on the course page (meetings.policy.ts, meetingRights). */
  rule: 'Every instructor of this course can edit and delete its meetings and see their attendance, whoever scheduled them; only the host and the alternative hosts can start them.',
  form: {
    legend: 'Who is it for?',
    wholeCourse: 'Whole course',
    onlySections: 'Only these sections:',
    hint: 'Students see only the meetings of their own sections and those of the whole course.',
  },
  /** On a meeting's card for staff. */
  label_one: 'Section: {{names}}',
  label_other: 'Sections: {{names}}',
  /** A staff member who is neither its host nor an alternative host. */
  startAlternative: 'Start as alternative host',
  startAlternativeLabel: 'Start “{{topic}}” as alternative host',
  startAlternativeHint: 'Sign in to Zoom as yourself when it opens: Zoom makes an alternative host the host.',
  notHost: 'Only its host and alternative hosts can start it.',
  /** A student's deep-linked meeting of another section. */
  otherSection: {
    heading: 'This meeting is for another section',
    text: '“{{topic}}” is meant for {{names}}, and this course has you in another section.',
    next: 'Your own meetings are on the course page. If your section is wrong, ask your instructor to check your enrolment.',
    open: 'Open the course’s meetings',
  },
};

/** The form's errors (spread into `meetings.errors`). */
export const enSectionErrors = {
  sections_required: 'Choose at least one section, or choose Whole course.',
  sections_invalid: 'Choose sections from the list.',
};
