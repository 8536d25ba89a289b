/** English texts of the course area (wired into en.ts as `course`). */
export const enCourse = {
  schedule: 'Schedule a meeting',
  closeForm: 'Close the form',
  tabsLabel: 'Class meetings',
  tabs: {
    upcoming: 'Upcoming ({{count}})',
    past: 'Past ({{count}})',
    recordings: 'Recordings ({{count}})',
  },
  recordingsHeading: 'Recordings',
  noRecordings: 'No recordings yet.',
  noRecordingsStudent: 'No recordings are shared yet. Your instructor chooses which ones you see.',
  recordingOf: '{{topic}}, {{when}}',
  watch: 'Watch',
  watchLabel: 'Watch the recording of “{{topic}}” of {{when}} (opens in a new window)',
  sharedWithStudents: 'Students see it',
  notSharedWithStudents: 'Students do not see it',
  meetingId: 'Meeting ID: {{id}}',
  copyCtrl: 'The invitation is selected: press Ctrl+C to copy it.',
  copyCmd: 'The invitation is selected: press ⌘C to copy it.',
  invitationText: 'Invitation to “{{topic}}”',
  allMeetings: 'All class meetings of this course',
  placed: {
    heading: 'This class meeting is not available here',
    student: 'This class meeting is no longer available here; ask your instructor.',
    deleted: 'The meeting “{{topic}}” that this link opens was deleted.',
    elsewhere:
      'The meeting this link opens is not one of this course’s: it belongs to the course where the link was placed (for example, this course was copied from another one), or it was deleted.',
    whatToDo:
      'Place another meeting here with your LMS’s content picker (add an activity or resource, then choose Zoom), or send students to this course’s meetings list.',
    openList: 'Open this course’s class meetings',
  },
};
