import { enAdmin, enOutcomes } from './en.admin';
import { enErrors } from './en.errors';
import { enZones } from './en.zones';
import { enSeries } from './en.series';
import { enCalendar } from './en.calendar';
import { enPicker } from './en.picker';
import { enCourse } from './en.course';
import { enChrome } from './en.chrome';
import { enSetup } from './en.setup';
import { enAttendance } from './en.attendance';
import { enNextTerm } from './en.nextterm';
import { enJoin } from './en.join';
import { enImport } from './en.import';
import { enSectionErrors, enSections } from './en.sections';
import { enRecordings } from './en.recordings';
import { enHandover } from './en.handover';

/** English: the reference catalog (every key exists here; Spanish mirrors it). */
export const en = {
  page: {
    brand: 'Zoom for {{course}}',
    hello: 'Hello, {{name}}',
    role: 'You are in this course as <strong>{{role}}</strong>.',
    roleTa: 'You are in this course as <strong>{{role}}</strong> (teaching assistant).',
    roles: { administrator: 'Administrator', instructor: 'Instructor', learner: 'Student', none: 'Guest' },
    skip: 'Skip to content',
    back: 'Back to the course',
    backToList: 'Back to the class meetings',
    noRole:
      'Your role in this course does not give access to its meetings. If that is wrong, ask your instructor to check your enrolment.',
  },
  zoom: {
    heading: "Your school's Zoom",
    connected: 'Zoom is connected.',
    reconnectAdmin:
      "<strong>Zoom needs to be reconnected</strong>: Zoom no longer accepts the tool's access. Instructors cannot schedule until you reconnect.",
    notConnectedAdmin:
      "Zoom is not connected yet. Instructors cannot schedule meetings until you connect your school's Zoom account.",
    manage: 'Manage the Zoom connection',
    people: "Zoom users of your school's instructors",
    reconnectInstructor:
      "Your school's Zoom connection needs to be renewed by a school administrator before meetings can be scheduled; nothing is lost meanwhile. Let your LMS or Zoom administrator know.",
    notConnectedInstructor:
      'Your school has not connected its Zoom account to this tool yet. Ask your LMS or Zoom administrator to open this tool as an administrator and connect Zoom.',
    whatToDo: 'What to do:',
  },
  meetings: {
    heading: 'Class meetings',
    upcoming: 'Upcoming meetings',
    past: 'Past meetings',
    none: 'No class meetings are scheduled yet.',
    noneStudent: 'No class meetings are scheduled yet. They will appear here, each with a Join link.',
    nonePast: 'No past meetings.',
    startsIn: 'Starts {{relative}}',
    dueNotStarted: 'Was due to start {{relative}}; the host has not started it yet',
    inProgress: 'In progress',
    beingScheduled: 'Being scheduled…',
    failed: {
      badge: 'Not scheduled',
      explain:
        'Zoom did not confirm this meeting, and the tool could not find it on your Zoom account. Retry looks for it again and asks Zoom once more; Delete removes it here (nothing is changed in Zoom). Students do not see it.',
      retry: 'Retry',
      retryLabel: 'Retry scheduling “{{topic}}”',
      delete: 'Delete',
      deleteLabel: 'Delete “{{topic}}” from the course (nothing is changed in Zoom)',
    },
    reconcileError:
      'Zoom could not be read about this meeting at {{when}} ({{reason}}); what is shown may be out of date. It is tried again at the next check.',
    join: 'Join',
    joinLabel: 'Join “{{topic}}” in Zoom (opens in a new window)',
    start: 'Start',
    startLabel: 'Start “{{topic}}” in Zoom',
    edit: 'Edit',
    editLabel: 'Edit “{{topic}}”',
    delete: 'Delete',
    deleteLabel: 'Delete “{{topic}}”',
    deleteOccurrenceLabel: 'Delete the occurrence of {{when}} of “{{topic}}”',
    copyInvitation: 'Copy invitation',
    copyInvitationLabel: 'Copy the invitation to “{{topic}}”',
    copied: 'Invitation copied.',
    invitation:
      '{{host}} is inviting you to a scheduled Zoom meeting.\n\nTopic: {{topic}}\nTime: {{time}}\n\nJoin Zoom Meeting\n{{joinUrl}}\n\nMeeting ID: {{meetingId}}',
    invitationPasscode: 'Passcode: {{passcode}}',
    invitationHeading: 'Invitation',
    onlyHostStarts: 'Only the host, {{host}}, can start this meeting; join it as an alternative host.',
    duration: '{{minutes}} min',
    passcode: 'Passcode: {{passcode}}',
    nextOccurrences: 'Next occurrences',
    repeatsDaily: 'Every day',
    repeatsWeekly: 'Every week on {{days}}',
    repeatsMonthly: 'Every month on day {{day}}',
    repeatsMonthlyLastDay: 'Every month on day {{day}} (the last day in shorter months)',
    occurrencesLeft_one: '{{count}} occurrence left',
    occurrencesLeft_other: '{{count}} occurrences left',
    recordings: 'Recordings',
    watchRecording: 'Watch the recording of {{when}}',
    noRecordings: 'No cloud recording yet.',
    showRecordings: 'Show recordings to students',
    saveRecordingsChoice: 'Save',
    recordingsShown: 'Students see the recordings of this meeting.',
    recordingsHidden: 'Students do not see the recordings of this meeting.',
    timesIn: 'Times are shown in {{zone}}.',
    notReady: 'You can schedule class meetings here once your Zoom user is ready (see above).',
    calendar: {
      heading: 'Course calendar',
      intro: 'Subscribe to this course’s class meetings in your calendar app (the link updates itself).',
      rotate: 'Make a new calendar link',
      rotateHint: 'The old link stops working: anyone who subscribed must subscribe again.',
    },
    notices: {
      scheduled: 'The meeting “{{topic}}” is scheduled.',
      updated: 'The meeting “{{topic}}” is updated.',
      deleted: 'The meeting “{{topic}}” is deleted.',
      occurrenceDeleted: 'One occurrence of “{{topic}}” is deleted.',
      recordings: 'Recording visibility saved.',
      feedRotated: 'A new calendar link was made; the old one no longer works.',
      pending: 'Zoom did not confirm “{{topic}}” yet. The tool checks again in a moment: reload this page.',
      pendingPick:
        'Zoom did not confirm “{{topic}}” yet, so it is not added to your course. The tool checks again in a moment: reload this page, and add it from the list once it appears there.',
      usageWarning:
        'You have made {{count}} of the 100 meeting changes Zoom allows you per day. The count starts again at {{reset}}.',
      usageWarningOfHost:
        '{{host}} has made {{count}} of the 100 meeting changes Zoom allows them per day. The count starts again at {{reset}}.',
    },
    form: {
      heading: 'Schedule a meeting',
      editHeading: 'Edit “{{topic}}”',
      topic: 'Topic',
      topicHint: 'At most 200 characters.',
      date: 'Date',
      startTime: 'Start time',
      duration: 'Duration (minutes)',
      timeZone: 'Time zone',
      repeats: 'Repeats',
      never: 'Never',
      daily: 'Daily',
      weekly: 'Weekly',
      monthly: 'Monthly',
      on: 'On',
      ends: 'Ends',
      onDate: 'On date',
      after: 'After',
      occurrences: 'occurrences',
      endDate: 'End date',
      endAfter: 'Number of occurrences',
      passcode: 'Passcode',
      passcodeHint:
        'Up to 10 letters, digits or @ - _ *. Leave empty for none; if your school’s Zoom requires one, Zoom makes one and it is shown with the meeting.',
      waitingRoom: 'Waiting room',
      joinBeforeHost: 'Allow participants to join before host',
      autoRecord: 'Record automatically to the cloud',
      alternativeHosts: 'Alternative hosts',
      alternativeHostsHint:
        'Instructors of this course who are licensed, active users of your school’s Zoom account.',
      noAlternativeHosts: 'No other instructor of this course can be an alternative host.',
      submit: 'Schedule meeting',
      save: 'Save changes',
      cancel: 'Cancel',
      errorsHeading: 'Please correct the following:',
      weekdays: {
        '1': 'Sunday',
        '2': 'Monday',
        '3': 'Tuesday',
        '4': 'Wednesday',
        '5': 'Thursday',
        '6': 'Friday',
        '7': 'Saturday',
      },
    },
    hostReasons: {
      self: 'You host this meeting.',
      noEmail: 'The LMS did not share this person’s email.',
      notInAccount: 'Not a user of your school’s Zoom account.',
      notLicensed: 'Not a licensed Zoom user (Zoom requires a licence for alternative hosts).',
      notActive: 'Their Zoom user is not active yet.',
      unknown: 'Zoom could not be asked right now.',
    },
    deletion: {
      heading: 'Delete “{{topic}}”?',
      single: 'The meeting is deleted in Zoom too; its join link stops working.',
      recurring: 'This is a recurring meeting. What do you want to delete?',
      thisOccurrence: 'This occurrence',
      allOccurrences: 'All occurrences',
      confirm: 'Delete meeting',
    },
    errors: {
      intent: 'The form is out of date: reload the page and try again.',
      topic_required: 'Enter a topic.',
      topic_too_long: 'The topic has {{length}} characters; it can have at most 200. Shorten it.',
      date_invalid: 'Enter a date.',
      date_past: 'The date and start time are in the past.',
      time_invalid: 'Enter a start time that exists on that date in that time zone.',
      duration_invalid: 'Enter a duration from 1 to 1440 minutes (24 hours).',
      zone_invalid: 'Choose a time zone from the list.',
      repeats_invalid: 'Choose how the meeting repeats.',
      weekday_invalid: 'Choose days of the week from the list.',
      weekday_required: 'Choose at least one day of the week.',
      ends_invalid: 'Choose when the series ends.',
      end_date_invalid: 'Enter the date the series ends.',
      end_date_before_start: 'The series cannot end before it starts.',
      end_after_invalid: 'Enter how many times the meeting takes place.',
      too_many_occurrences: 'Zoom allows at most 50 occurrences in a series.',
      too_many_occurrences_until:
        'This series would have {{count}} occurrences; Zoom keeps only the first 50, the last on {{last, datetime(dateStyle: long; timeZone: UTC)}}, and drops the rest. End it on {{last, datetime(dateStyle: long; timeZone: UTC)}} or earlier.',
      too_many_occurrences_until_far:
        'This series would have more than {{count}} occurrences; Zoom keeps only the first 50, the last on {{last, datetime(dateStyle: long; timeZone: UTC)}}, and drops the rest. End it on {{last, datetime(dateStyle: long; timeZone: UTC)}} or earlier.',
      passcode_invalid: 'The passcode can have at most 10 letters, digits or @ - _ *.',
      alternative_host_invalid: 'Choose alternative hosts from the list.',
      alternative_host_not_allowed:
        'Alternative hosts must be licensed, active users of your school’s Zoom account.',
      zoom_refused_field: 'Zoom did not accept this “{{label}}”: correct it and send the form again.',
      ...enSectionErrors,
    },
    /** Zoom refused a schedule or an edit: the form is shown again with what was typed. */
    refusals: {
      field: {
        what: 'Zoom did not accept the meeting: it refused “{{label}}”, so nothing was scheduled or changed. Zoom said: {{message}}',
        next: 'Correct “{{label}}” below and send the form again; everything else you typed is kept.',
      },
      invalid: {
        what: 'Zoom did not accept the meeting, so nothing was scheduled or changed. Zoom said: {{message}}',
        next: 'Check the values below and send the form again; what you typed is kept.',
      },
      notFound: {
        what: 'Zoom did not find your Zoom user or this meeting, so nothing was scheduled or changed.',
        next: 'Reload the course page and send the form again; if it happens again, ask your school’s Zoom administrator to check your Zoom user.',
      },
      busy: {
        what: 'Zoom is busy: it asked the tool to slow down, so nothing was scheduled or changed.',
        next: 'Send the form again in a minute; what you typed is kept below.',
      },
      dailyLimit: {
        what: 'Zoom’s daily limit for this host is reached: Zoom allows 100 meeting changes per host per day, so nothing was scheduled or changed.',
        next: 'Try again after {{reset}}, when Zoom starts counting again. What you typed is kept below.',
      },
      unavailable: {
        what: 'Zoom did not answer, so nothing was scheduled or changed.',
        next: 'Send the form again in a few minutes; status.zoom.us says whether Zoom itself has trouble.',
      },
    },
  },
  outcomes: enOutcomes,
  admin: enAdmin,
  deepLinking: {
    title: 'Add a Zoom meeting to your course',
    intro: 'Choose a meeting of this course, or schedule a new one: it is added to your course as a link.',
    existing: 'Meetings of this course',
    add: 'Add to course',
    addLabel: 'Add “{{topic}}” to the course',
    scheduleAndAdd: 'Schedule meeting',
    returning: 'Adding the meeting to your course…',
    returnButton: 'Add to the course',
    added: 'Added “{{topic}}”',
  },
  errors: enErrors,
  zones: enZones,
  series: enSeries,
  calendar: enCalendar,
  picker: enPicker,
  course: enCourse,
  chrome: enChrome,
  setup: enSetup,
  attendance: enAttendance,
  nextTerm: enNextTerm,
  join: enJoin,
  handover: enHandover,
  import: enImport,
  sections: enSections,
  recordings: enRecordings,
};

export type Catalog = typeof en;
