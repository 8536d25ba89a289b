/** English texts of next term (wired into en.ts as `nextTerm`): last term's series brought over. */
export const enNextTerm = {
  title: 'Last term’s class meetings',
  heading: 'Bring last term’s class meetings over',
  card: {
    heading: 'Last term’s class meetings',
    copied: 'This course was copied from {{title}}. Bring its class meetings over?',
    choose: 'Choose which meetings to bring over, with new dates',
  },
  intro:
    'This course was copied from {{title}}. Tick the meetings to schedule again in this course and give each its new first date; the weekday, time, length, repeat pattern and settings stay as they were.',
  nothingElse:
    'Each one becomes a new Zoom meeting with its own link and passcode. Nothing else comes over: not last term’s attendance, recordings, students or registrations.',
  legend: 'Meetings of last term',
  duration: '{{minutes}} min',
  firstDate: 'New first date',
  date: 'New date',
  at: 'at {{time}}, in the meeting’s time zone',
  count: 'Number of occurrences',
  hostNote: 'You will be the host of the new meetings, on your own Zoom user.',
  bring: 'Bring the ticked meetings over',
  dismiss: 'No thanks',
  dismissHint: 'This offer will not be shown again; you can still schedule meetings yourself.',
  done_one: '{{count}} class meeting was brought over. It is on the course page with its new link.',
  done_other: '{{count}} class meetings were brought over. They are on the course page with their new links.',
  refusedHeading:
    'These meetings were not brought over (the others were). Fix what is said and send the form again:',
  errors: {
    heading: 'Please check the form:',
    noneChosen: 'Tick at least one meeting to bring over, or choose “No thanks”.',
    date: 'Enter the new date as a full date (year, month, day).',
    datePast: 'The new date is in the past: choose a date from today on.',
    count: 'Enter a number of occurrences from 1 to 50 (Zoom’s limit for a series).',
  },
};
