/** English texts of hidden recordings and their watch links (wired into en.ts as `recordings`). */
export const enRecordings = {
  // ── the course page's Recordings tab (staff) ──
  hiddenLabel: 'Hidden from students',
  hide: 'Hide',
  show: 'Show',
  retry: 'Try again',
  retryLabel: 'Try again to change Zoom’s sharing of the recording of {{topic}} on {{when}}',
  hideLabel: 'Hide the recording of {{topic}} on {{when}} from students',
  showLabel: 'Show the recording of {{topic}} on {{when}} to students',
  state: {
    revoking: 'Turning off Zoom’s sharing of it…',
    revoked: 'Zoom’s sharing is off: a link anyone kept no longer plays.',
    restoring: 'Sharing it again in Zoom with a new passcode…',
  },
  error: {
    heading: 'Zoom’s sharing was not changed.',
    connection:
      'The school’s Zoom connection cannot change recordings. Ask the school’s Zoom admin to reconnect Zoom with the recording permission (recording:write:admin); we try again by ourselves meanwhile.',
    refused:
      'Zoom refused the change. Press Try again; if Zoom refuses again, change its sharing in Zoom yourself (Recordings › the recording › Share).',
    unavailable:
      'Zoom did not answer. We try again by ourselves over the next minutes; if this stays, press Try again later.',
    gone: 'Zoom no longer has this recording (it was deleted in Zoom). Nothing can be shared; you may leave it hidden.',
  },
  // ── the watch link's page when it does not play ──
  title: 'Recording',
  hiddenHeading: 'This recording is not available',
  hiddenStudent:
    'Your instructor has hidden this recording, or does not share this meeting’s recordings. Ask your instructor if you need it.',
  hiddenStaff:
    'This recording is hidden from students and Zoom’s sharing of it is off. Show it on the course page to watch it through this link.',
  pendingHeading: 'This recording is being prepared',
  pending: 'Zoom is sharing it again with a new passcode. Try again in a minute.',
  unavailableHeading: 'This recording cannot be opened right now',
  unavailable: 'Zoom’s sharing of it could not be turned on. Try again later, or ask your instructor.',
  back: 'Back to the class meetings',
};
