/** English texts of importing meetings from Zoom (wired into en.ts as `import`). */
export const enImport = {
  title: 'Bring a meeting from Zoom',
  heading: 'Bring a meeting you already have in Zoom',
  intro:
    'Add one of your own Zoom meetings to this course: students then see it with the course’s other meetings, and its recordings and attendance work as for a meeting scheduled here. It stays the same meeting in Zoom, with the same link.',
  yoursHeading: 'Your upcoming meetings in Zoom',
  none: 'You have no upcoming meeting in your school’s Zoom account that a course does not already use. A meeting with no fixed time cannot be added: give it a time in Zoom first.',
  nextOccurrence: 'Next: {{when}}',
  minutes: '{{count}} min',
  series: 'Recurring',
  meetingId: 'Meeting ID {{id}}',
  add: 'Add to this course',
  pasteHeading: 'Add by meeting ID or link',
  pasteLabel: 'Meeting ID or join link',
  pasteHint: 'For example 123 4567 8901 or https://school.zoom.us/j/12345678901. Only a meeting you host.',
  pasteSubmit: 'Add meeting',
  backToCourse: 'Back to the class meetings',
  added: '“{{topic}}” is now a meeting of this course.',
  already: '“{{topic}}” was already a meeting of this course: nothing changed.',
  registrationFailed:
    'Zoom did not turn on registration for it, so its attendance cannot be taken yet: edit the meeting here once to try again.',
  refused: {
    invalid:
      'That is not a Zoom meeting ID or join link. Nothing was added. Paste the meeting ID (9 to 11 digits) or the join link from Zoom.',
    notFound:
      'Your school’s Zoom account has no such meeting (it was deleted, or it belongs to another Zoom account). Nothing was added. Check the ID, or schedule the meeting here.',
    notHost:
      'You are not the host of that meeting (an alternative host is not its host). Nothing was added. Ask its host to add it to the course.',
    here: 'That meeting is already a meeting of this course. Nothing changed.',
    elsewhere:
      'Another course of your school already holds that meeting. Nothing was added. A meeting belongs to one course: schedule a new one for this course.',
    over: 'That meeting is over (no start ahead). Nothing was added. Schedule a new meeting for this course instead.',
    noFixedTime:
      'That meeting has no fixed time, so the course could not show when it is. Nothing was added. Give it a time in Zoom, or schedule it here.',
  },
  cardHeading: 'Bring a meeting you already have in Zoom',
  cardText:
    'Already scheduled a class meeting in Zoom? Add it to this course instead of scheduling it again.',
  cardLink: 'Choose a meeting from Zoom',
};
