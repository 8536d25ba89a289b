/** English texts of the chrome area (wired into en.ts as `chrome`): every page's header. */
export const enChrome = {
  /** The product's name, in every page's header and title. */
  product: 'Class meetings on Zoom',
  /** The course and its school, beside the product's name: "Zoom Practice 101 · Riverside School". */
  context: '{{course}} · {{school}}',
  sandbox: {
    label: 'SANDBOX',
    detail: 'an emulated LMS and a simulated Zoom: nothing here is real',
  },
  /** The sandbox's home page (`npm start`), in English or Spanish (?lang=es or the browser's language). */
  sandboxHome: {
    title: 'Sandbox: try the tool as a school would',
    otherLanguage: 'Ver esta página en español',
    intro:
      'This process runs the tool, two emulated LMSs (a Moodle and a Canvas, each the LMS of one sandbox school) and a simulated Zoom with one account per school. Nothing here reaches a real LMS or Zoom. The sandbox schools are flagged and never mix with real ones; set <code>SANDBOX=off</code> to run without it.',
    zoomConfigured:
      'Zoom is configured for this tool (ZOOM_* settings): the schools connect to it, not to the simulator.',
    pathHeading: 'A guided path',
    path: {
      connect:
        '<strong>Connect Zoom.</strong> Open a school’s course as <em>administrator</em>, choose “Manage the Zoom connection”, then “Connect Zoom”. Zoom’s consent page (the simulator’s) opens in a new window: choose “Continue as” the school’s Zoom admin shown below (the sandbox’s browser is as if signed in to Zoom).',
      provision:
        '<strong>Get provisioned.</strong> Open the course as <em>instructor</em>: the tool gives the instructor a Zoom user in the school’s account and shows the scheduler.',
      schedule: '<strong>Schedule</strong> a meeting from the course page.',
      join: '<strong>Join.</strong> Open the course as <em>student</em>: the meeting is listed with “Join”, which goes to the simulated Zoom.',
    },
    languages:
      'Each person can open the course in English or in Spanish: the LMS then launches the tool in that language.',
    comeBack:
      'Come back here to see each school’s Zoom users and meetings, and the webhooks Zoom sent the tool.',
    lms: 'An emulated {{product}} at <code>{{url}}</code>, course “Zoom Practice 101”.',
    open: 'Open the course as {{who}}',
    openList: 'Open the course',
    who: { instructor: 'instructor', student: 'student', administrator: 'administrator' },
    zoom: 'Zoom',
    zoomAdmin: 'Zoom admin to sign in as on the consent page',
    zoomAccount: 'Zoom account',
    connection: 'The tool’s connection',
    connectionState: {
      connected: 'Connected',
      none: 'Not connected yet (step 1)',
      reconnect_required: 'Needs reconnecting',
      disconnected: 'Disconnected',
    },
    users: 'Zoom users made by the tool',
    noneYet: 'None yet.',
    userStatus: { active: 'active', inactive: 'inactive', pending: 'pending' },
    licensed: 'licensed',
    basic: 'basic',
    meetings: 'Meetings in Zoom',
    noFixedTime: 'no fixed time',
    meetingStatus: { waiting: 'not started', started: 'in progress', ended: 'ended' },
    webhooks: 'Webhooks Zoom sent the tool',
    noWebhooks: 'None yet. They arrive when Zoom users and meetings change.',
    webhooksCaption: 'The latest deliveries, newest first',
    when: 'When',
    event: 'Event',
    school: 'School',
    answered: 'The tool answered',
    failed: '(failed)',
    theApp: 'the app',
    noAnswer: 'no answer',
    behind: 'Behind the scenes',
    tool: 'The tool: <code>{{url}}</code> (LTI login <code>{{url}}/lti/login</code>, launch <code>{{url}}/lti/launch</code>, keys <code>{{url}}/lti/keys</code>)',
    simulator: 'The simulated Zoom: <code>{{url}}</code> (API <code>{{url}}/v2</code>)',
  },
};
