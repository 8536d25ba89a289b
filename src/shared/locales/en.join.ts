/** English texts of the join area (wired into en.ts as `join`). */
export const enJoin = {
  title: 'Joining “{{topic}}”',
  heading: 'Getting your own link…',
  waiting:
    'We are getting your own link to “{{topic}}” from Zoom, so that your attendance is counted. This page opens it as soon as it is ready.',
  checkAgain: 'Check again',
  plainHeading: 'Taking too long?',
  plainText:
    'You can join with the meeting’s general link instead. Zoom then asks for your name and email: type the email your school knows you by, or your attendance may not be counted.',
  plainLink: 'Join “{{topic}}” with the general link',
  noScript: 'If nothing happens, use “Check again”.',
  deletedHeading: 'This meeting was deleted',
  deleted: 'The meeting “{{topic}}” that this link opens was deleted.',
  back: 'Back to the course’s meetings',
};
