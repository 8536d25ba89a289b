/** English texts of the picker area (wired into en.ts as `picker`). */
export const enPicker = {
  meetingId: 'Meeting ID: {{id}}',
  nextDates: 'Next dates',
  moreDates_one: 'and {{count}} more',
  moreDates_other: 'and {{count}} more',
  ended: 'Ended',
  none: 'This course has no meeting to add yet: schedule one below.',
  cancelHint: 'Nothing to add? Cancel closes this window and leaves the course as it was.',
  cancel: 'Cancel',
  /** Sent to the LMS with the empty answer (LTI Deep Linking `msg`). */
  nothingAdded: 'Nothing was added to the course.',
  cancelTitle: 'Nothing was added',
  cancelReturning: 'Going back to your course…',
  cancelButton: 'Back to the course',
};
