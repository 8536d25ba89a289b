/** English texts of meetings whose host left and their hand-over (wired into en.ts as `handover`). */
export const enHandover = {
  /** The course page's card for staff. */
  cardHeading: 'Meetings without a host',
  cardIntro:
    'These meetings’ host left. Students still see them, but nobody can start them until another instructor of this course takes them.',
  reason: {
    dropped: '{{name}} is no longer in this course ({{date}}).',
    deactivated: '{{name}}’s Zoom user was deactivated ({{date}}).',
    deleted: '{{name}}’s Zoom user was deleted ({{date}}).',
    not_found: 'Zoom no longer has {{name}}’s user ({{date}}).',
  },
  someone: 'The host',
  handOne: 'Hand over “{{topic}}”',
  handAll: 'Hand over all of them',
  /** The hand-over page. */
  title: 'Hand over meetings',
  heading: 'Hand over meetings without a host',
  intro:
    'Choose another instructor of this course to host them. Zoom moves each meeting to them and it keeps its link; a meeting Zoom no longer has (its host was deleted) is made again with the same settings and a new link, and students see that its link changed.',
  meetingsHeading: 'Meetings',
  when: 'Next: {{when}}',
  series: 'Recurring',
  wasHost: 'Host: {{name}}',
  toLabel: 'New host',
  toHint: 'Instructors of this course with an active, licensed Zoom user.',
  noCandidates:
    'Nobody can take them yet: no other instructor of this course has an active, licensed Zoom user. Ask your school’s Zoom administrator to license one, then come back.',
  submit: 'Hand over',
  none: 'Every meeting of this course has a host.',
  done: {
    moved_one: '{{count}} meeting moved to its new host; its link did not change.',
    moved_other: '{{count}} meetings moved to their new host; their links did not change.',
    recreated_one: '{{count}} meeting was made again under its new host: students see that its link changed.',
    recreated_other:
      '{{count}} meetings were made again under their new host: students see that their links changed.',
    pending_one:
      '{{count}} meeting is still being handed over: Zoom did not answer yet. It finishes on its own.',
    pending_other:
      '{{count}} meetings are still being handed over: Zoom did not answer yet. They finish on their own.',
  },
  backToCourse: 'Back to the class meetings',
  /** The student's and staff's meeting card after a recreation. */
  linkChanged: 'The link of this class changed on {{date}}.',
  /** The school admin page. */
  adminHeading: 'Meetings without a host',
  adminIntro:
    'Meetings of your school’s courses whose host left (dropped from the course, or deactivated or deleted in Zoom). An instructor of each course hands them over from the course page.',
  adminNone: 'Every meeting has a host.',
  adminCourse: 'Course',
  adminMeeting: 'Meeting',
  adminWhy: 'Why',
};
