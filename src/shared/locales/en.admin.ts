/** The school administrator's pages (Zoom connection, Zoom users). */
export const enAdmin = {
  brand: 'Zoom for {{school}}',
  backToCourse: 'Back to the course page',
  connection: {
    title: 'Zoom connection',
    statusHeading: 'Status',
    connectedOauth: 'Connected to Zoom account <code>{{account}}</code> through the Zoom Marketplace app.',
    connectedS2s: 'Connected to Zoom account <code>{{account}}</code> through your own Server-to-Server app.',
    webhookUrl:
      'In your Server-to-Server app, set the event notification endpoint URL to <code>{{url}}</code>.',
    reconnect:
      '<strong>Reconnect required.</strong> {{reason}} Instructors cannot schedule meetings until Zoom is connected again. Connect again below: nothing else is lost.',
    notConnected: 'Not connected. Instructors cannot schedule meetings until a Zoom account is connected.',
    notConnectedBecause:
      'Not connected: {{reason}} Instructors cannot schedule meetings until a Zoom account is connected.',
    oauthHeading: 'Connect with the Zoom Marketplace app',
    oauthIntro:
      "A Zoom administrator of your school's account authorises the tool. Zoom opens in a new window.",
    connect: 'Connect Zoom',
    oauthUnavailable:
      'This installation has no Marketplace app configured; use your own Server-to-Server app below.',
    s2sHeading: 'Or connect your own Server-to-Server app',
    s2sIntro:
      'Create a Server-to-Server OAuth app in your Zoom account (Zoom App Marketplace → Develop → Build app), give it the user and meeting admin scopes, activate it, and copy its credentials here.',
    accountId: 'Account ID',
    clientId: 'Client ID',
    clientSecret: 'Client secret',
    webhookSecret: 'Secret token for event notifications (optional)',
    verify: 'Verify and connect',
    disconnectHeading: 'Disconnect',
    disconnectIntro:
      "Revokes the tool's access at Zoom and deletes its tokens. Meetings already in Zoom stay there.",
    disconnect: 'Disconnect Zoom',
    disconnectConfirm: {
      title: 'Disconnect Zoom?',
      heading: 'Disconnect Zoom from {{school}}?',
      intro:
        'The tool’s access is revoked at Zoom and its tokens are deleted. Until a Zoom account is connected again:',
      stops: 'Instructors cannot schedule, change, delete or start meetings from their courses.',
      keeps:
        'Meetings already scheduled stay in Zoom: students’ join links keep working, and hosts can still start them from Zoom itself.',
      confirm: 'Disconnect Zoom',
      cancel: 'Cancel, keep Zoom connected',
    },
    connectedTitle: 'Zoom is connected',
    connectedText:
      "Your school's Zoom account is now connected to the tool. Instructors can use it from their courses.",
    backToConnection: 'Back to the Zoom connection page',
    settingsHeading: 'How new Zoom users are created',
    settingsChange: 'Change them on the Zoom users page',
    peopleHeading: 'Instructors’ Zoom users',
    peopleIntro: 'Each instructor’s Zoom status and licence, with “Check again”.',
    notices: {
      connected: 'Zoom is connected.',
      'link-created': 'A new connect link is ready below. Send it to your school’s Zoom administrator.',
      'link-withdrawn': 'The connect link was withdrawn: it no longer works.',
      disconnected: 'Zoom is disconnected: the tool’s access was revoked at Zoom and its tokens deleted.',
      'disconnected-locally':
        'Zoom is disconnected here and its tokens deleted. Zoom could not be told: remove the app in your Zoom account’s Marketplace settings too.',
    },
    reasons: {
      app_deauthorized: 'The app was removed from the Zoom account.',
      disconnected_by_admin: 'An administrator disconnected it.',
      missing_scopes: 'Zoom says the tool’s access lacks permissions it needs.',
      zoom_invalid_grant: 'Zoom no longer accepts the tool’s access (it was revoked, expired or replaced).',
      zoom_invalid_client: 'Zoom no longer accepts the app’s credentials.',
      zoom_no_grant: 'The stored access is incomplete.',
    },
  },
  selfCheck: {
    heading: 'Self-check',
    intro:
      'Checks, live, that Zoom works for your school through this tool: the connection, the permissions Zoom granted, the access token, a user lookup, the clocks, and what your LMS and this browser send. It takes a few seconds.',
    run: 'Run the self-check',
    runAgain: 'Run the self-check again',
    resultsHeading: 'Results',
    caption: 'Self-check results',
    check: 'Check',
    result: 'Result',
    whatWasFound: 'What was found',
    whatToDo: 'What to do',
    ranAt: 'Checked {{time}}.',
    summary: {
      pass: 'Everything works: {{counts}}.',
      warn: 'Something to look at: {{counts}}.',
      fail: 'Something does not work: {{counts}}.',
    },
    counts: {
      fail_one: '{{count}} failed',
      fail_other: '{{count}} failed',
      warn_one: '{{count}} warning',
      warn_other: '{{count}} warnings',
      pass_one: '{{count}} passed',
      pass_other: '{{count}} passed',
      skipped_one: '{{count}} not checked',
      skipped_other: '{{count}} not checked',
    },
    names: {
      connection: 'Zoom connection',
      scopes: 'Permissions (scopes)',
      token: 'Access token',
      lookup: 'User lookup',
      clock: 'Clock',
      email: 'Your email from the LMS',
      browser: 'This browser',
    },
    statuses: { pass: 'Pass', warn: 'Warning', fail: 'Fail', skipped: 'Not checked' },
    says: {
      connectedOauth: 'Connected to Zoom account {{account}} through the Zoom Marketplace app.',
      connectedS2s: 'Connected to Zoom account {{account}} through your own Server-to-Server app.',
      reconnectRequired: 'Zoom no longer accepts the tool’s access to your school’s account.',
      disconnected: 'Zoom was disconnected.',
      notConnected: 'No Zoom account is connected.',
      skippedNotConnected: 'Not checked: Zoom is not connected.',
      skippedNeedsToken: 'Not checked: it needs an access token Zoom accepts.',
      skippedNoAnswer: 'Not checked: Zoom did not answer.',
      scopesAll:
        'Zoom granted every permission the tool needs (users and meetings, read and write, admin level).',
      scopesMissing: 'Zoom did not grant: {{missing}}.',
      tokenOk: 'The tool has an access token and Zoom accepts it.',
      tokenRefused:
        'Zoom refused the tool’s access: it was revoked (the app was removed or its access withdrawn in Zoom), or it expired or was replaced.',
      tokenGone: 'The Zoom connection was removed while the self-check ran.',
      tokenUnavailable: 'The tool could not get an access token: Zoom did not answer.',
      lookupFound: 'Zoom answered a user lookup ({{email}}).',
      lookupNoUser:
        'Zoom answered a user lookup: {{who}} has no Zoom user in this account, which is fine for this check.',
      lookupScopes: 'Zoom refused to look up a user: the access lacks {{missing}}.',
      lookupForbidden: 'Zoom refused to look up a user: the account’s settings do not allow the app to.',
      lookupBusy: 'Zoom is busy: it asked the tool to wait (a rate limit).',
      lookupFailed: 'Zoom answered the user lookup with an error.',
      timedOut: 'Zoom did not answer within {{seconds}} seconds.',
      clockOk: 'This server’s clock agrees with Zoom’s ({{seconds}} s apart).',
      clockBehindSeconds: 'This server’s clock is {{seconds}} seconds behind Zoom’s.',
      clockAheadSeconds: 'This server’s clock is {{seconds}} seconds ahead of Zoom’s.',
      clockBehindMinutes: 'This server’s clock is about {{minutes}} minutes behind Zoom’s.',
      clockAheadMinutes: 'This server’s clock is about {{minutes}} minutes ahead of Zoom’s.',
      emailPresent: 'Your LMS sent your email address ({{email}}).',
      emailMissing:
        'This launch did not include your email address, so instructors’ launches probably lack theirs too: their Zoom users cannot be found or created.',
      browserKeeps: 'This browser keeps the tool’s cookies in the course frame. {{launchText}}',
      browserDoesNot:
        'This browser does not keep the tool’s cookies in the course frame (it blocks third-party cookies). {{launchText}}',
    },
    launch: {
      cookie: 'This launch was verified with the tool’s cookie.',
      'platform-storage': 'This launch was verified through the LMS’s platform storage.',
      'window-storage': 'This launch was verified in a window of its own.',
      unknown: 'How this launch was verified is not known.',
    },
    fixes: {
      connect:
        'Connect Zoom below (the Zoom Marketplace app or your own Server-to-Server app), or make a connect link for your school’s Zoom administrator.',
      reconnect:
        'Reconnect Zoom: press “Connect Zoom” below (or enter your Server-to-Server app’s credentials again), or send your school’s Zoom administrator a connect link. Nothing else is lost.',
      scopesS2s:
        'In the Zoom App Marketplace, open Manage › your Server-to-Server app › Scopes, add {{missing}}, then run the self-check again.',
      scopesS2sReconnect:
        'In the Zoom App Marketplace, open Manage › your Server-to-Server app › Scopes, add {{missing}}, then connect the app again below.',
      scopesOauth:
        'The tool’s Zoom Marketplace app lacks {{missing}}: its operator adds them (Zoom App Marketplace › Manage › the app › Scopes); then connect Zoom again below so your Zoom administrator grants them.',
      zoomDown:
        'Run the self-check again in a few minutes; status.zoom.us says whether Zoom itself has trouble.',
      timeout:
        'Run the self-check again in a minute. If Zoom keeps not answering, check status.zoom.us and that this server can reach api.zoom.us.',
      later:
        'Nothing to fix: Zoom’s limits reset soon (within seconds, or at midnight UTC for a daily limit). Run the self-check again later.',
      zoomRole:
        'In Zoom (User Management › Roles), check that the role of whoever authorised the app may view users.',
      ntp: 'Synchronise this server’s clock (NTP: chrony or systemd-timesyncd). When clocks disagree, access tokens look expired and Zoom’s event notifications (accepted within 5 minutes) are refused.',
      emailMoodle:
        'In Moodle: Site administration › Plugins › Activity modules › External tool › Manage tools › this tool › Privacy: set “Share launcher’s email with tool” to Always.',
      emailCanvas:
        'In Canvas: Admin › Developer Keys › this tool’s key: set its privacy level to public or email_only, and save.',
      emailAny:
        'Let your LMS share the launcher’s email with this tool (Moodle: “Share launcher’s email with tool” = Always; Canvas: privacy level public or email_only).',
      browserNothing:
        'Nothing to change: launches here use the LMS’s platform storage (Canvas) or open in a new window (Moodle).',
    },
  },
  connectLink: {
    heading: 'Let your Zoom administrator connect',
    intro:
      'If someone else administers your school’s Zoom account, make a link and send it to them: they open it in their own browser and connect Zoom there, without the LMS. It works until Zoom is connected or it expires; a new link replaces it.',
    validFor: 'Valid for',
    days_one: '{{count}} day',
    days_other: '{{count}} days',
    make: 'Make a connect link',
    makeNew: 'Make a new link (this one stops working)',
    current: 'Connect link',
    expires: 'Works until {{time}}, or until Zoom is connected.',
    withdraw: 'Withdraw the link',
    pageTitle: 'Connect Zoom for {{school}}',
    pageIntro:
      'An LMS administrator of {{school}} asks you to connect the school’s Zoom account to the Zoom tool of their courses. You need to be an owner or administrator of that Zoom account. Choose one of the two ways below.',
    pageExpires: 'This link works until {{time}}, once.',
    oauthIntro:
      'An owner or administrator of the school’s Zoom account authorises the tool on Zoom’s page; Zoom then brings you back here.',
    connectedText:
      'The school’s Zoom account is now connected to the tool. The LMS administrator sees it on the tool’s Zoom connection page. You can close this window.',
  },
  people: {
    title: 'Zoom users',
    heading: 'Instructors and administrators',
    empty: 'Nobody yet: instructors appear here the first time they open the tool.',
    caption: "Zoom users of the school's instructors",
    name: 'Name',
    email: 'Email',
    status: 'Zoom status',
    licence: 'Licence',
    lastChecked: 'Last checked',
    action: 'Action',
    checkAgain: 'Check again',
    noName: '(no name)',
    noEmail: '(no email from the LMS)',
    never: 'never',
    statuses: {
      active: 'active',
      pending: 'pending',
      inactive: 'inactive',
      failed: 'failed',
      provisioning: 'provisioning',
      settingUp: 'being set up',
    },
    licences: { '1': 'Basic', '2': 'Licensed', '99': 'None' },
    settingsHeading: 'How new Zoom users are created',
    settingsIntro:
      'Instructors of a course get a Zoom user in the school’s Zoom account the first time they open this tool from the course. These choices apply to the Zoom users made from now on.',
    whoLegend: 'Who gets a Zoom user',
    whoInstructors:
      'Instructors of the course (teachers, teaching assistants and course designers) always get one.',
    administrators: 'Give LMS administrators who are not instructors of the course a Zoom user',
    administratorsHint:
      'Off by default: an administrator connects Zoom and manages its users without one, and each Zoom user may take one of the school’s paid seats. Administrators who also teach the course get one anyway.',
    administratorsOn: 'Instructors of the course, and LMS administrators who do not teach it',
    administratorsOff: 'Instructors of the course only (LMS administrators who do not teach it get none)',
    action_legend: 'How Zoom creates them',
    zoomTerm: '(Zoom: {{term}})',
    actions: {
      create:
        'Invite them by email: they must accept Zoom’s invitation before they can host (default; works with every Zoom account)',
      autoCreate:
        'Create them directly, active at once and without an email (only for addresses in a domain your Zoom account manages)',
      ssoCreate:
        'Create them for single sign-on: they sign in to Zoom through the school’s SSO (only when Zoom’s “pre-provisioning of SSO users” is on)',
      custCreate:
        'Create them without a Zoom password: they cannot sign in to Zoom’s website or app and start meetings only from this tool (only for Zoom API partner accounts)',
    },
    licenceLegend: 'Which kind of Zoom user',
    licensedDefault:
      'Create them as licensed users: each uses one of the school’s paid seats; their meetings can last longer than 40 minutes (default)',
    basic: 'Create them as basic users: free; their meetings end after 40 minutes',
    noSeatLegend: 'When every paid seat is taken',
    noSeatBasic: 'Create a basic user instead (free; meetings end after 40 minutes)',
    noSeatRefuse: 'Create no Zoom user, and tell the instructor to ask the Zoom administrator for a seat',
    save: 'Save settings',
    connectionLink: 'Zoom connection',
    notices: { saved: 'Settings saved.', checked: 'Checked with Zoom.' },
  },
};

/** What the course page says about an instructor's Zoom user (provisioning outcomes). */
export const enOutcomes = {
  yourEmail: 'your email address',
  active: {
    title: 'Your Zoom account is ready',
    detail: "You host class meetings as {{email}} in your school's Zoom account.",
    next: '',
  },
  pending: {
    title: 'Activate your Zoom account',
    detail:
      "Your school's Zoom account has invited {{email}}. Zoom sent an activation email to that address.",
    next: 'Open the email from Zoom (check spam too) and accept the invitation; the next time you open this tool it will notice.',
  },
  inactive: {
    title: 'Your Zoom user is deactivated',
    detail: "The Zoom user {{email}} exists in your school's Zoom account but is deactivated.",
    next: "Ask your school's Zoom administrator to reactivate it (Zoom admin → User Management → Users).",
  },
  queued: {
    title: 'Your Zoom account is being set up',
    detail:
      'Zoom is busy right now (many people are starting at once), so your Zoom user is being created in the background.',
    next: 'Nothing to do: reload this page in a minute. Everything else on this page already works.',
  },
  email_missing: {
    title: 'Your LMS did not share your email address',
    detail: 'A Zoom user is identified by email, and this launch did not include yours.',
    next: "Ask your Moodle administrator to set the tool's privacy setting “Share launcher's email with the tool” to Always.",
    nextCanvas:
      "Ask your Canvas administrator to set the tool's privacy level to include email (Privacy: email_only or public in the developer key).",
  },
  email_taken: {
    title: 'Your email is already used by another Zoom account',
    detail:
      "{{email}} already belongs to a Zoom user outside your school's Zoom account (for example a personal account).",
    next: "Ask your school's Zoom administrator to invite you to the school's account; Zoom then lets you move your existing user into it (sign in at zoom.us and accept). Open this tool again afterwards.",
  },
  no_seats: {
    title: "Your school's Zoom account has no licence left",
    detail:
      'Every licensed seat in the school’s Zoom account is in use, and the school does not create Basic users instead.',
    next: "Ask your school's Zoom administrator to free or buy a licence; then press Check again or open this tool again.",
  },
  domain_not_allowed: {
    title: 'Zoom does not accept your email domain',
    detail: 'The school’s Zoom account does not allow users with {{email}}.',
    next: "Ask your school's Zoom administrator to allow your email domain, or your LMS administrator to use your school email.",
  },
  action_not_allowed: {
    title: 'Zoom refused the way this school creates users',
    detail: "The school's Zoom account does not allow the user-creation method this tool is set to use.",
    next: "A school administrator changes “How Zoom creates them” on the tool's Zoom users page (for example to “Invite them by email”).",
  },
  administrator_left_out: {
    title: 'You have no Zoom user here',
    detail:
      'You opened this course as an LMS administrator, not as one of its instructors, and your school’s settings give Zoom users only to instructors of the course (a Zoom user may take a paid seat). You can still manage the school’s Zoom connection and its Zoom users.',
    next: 'To host meetings here, be enrolled in the course as an instructor, or tick “Give LMS administrators who are not instructors of the course a Zoom user” on this tool’s Zoom users page and open the course again.',
  },
  zoom_not_connected: {
    title: 'Zoom is not connected for your school yet',
    detail: 'Your school has not connected a Zoom account to this tool.',
    next: 'Ask your LMS or Zoom administrator to open this tool as an administrator and connect Zoom.',
  },
  zoom_reconnect_required: {
    title: 'Zoom needs to be reconnected',
    detail: "Zoom no longer accepts this tool's access to your school's account.",
    next: 'A school administrator reconnects Zoom from this tool; nothing is lost meanwhile.',
  },
  zoom_unavailable: {
    title: 'Zoom did not answer',
    detail: 'Your Zoom user could not be checked because Zoom could not be reached.',
    next: 'The tool tries again by itself within a minute; open this tool again in a few minutes. If it keeps happening, check status.zoom.us.',
  },
};
