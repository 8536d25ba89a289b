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
      'Not connected ({{reason}}). Instructors cannot schedule meetings until a Zoom account is connected.',
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
    connectedTitle: 'Zoom is connected',
    connectedText:
      "Your school's Zoom account is now connected to the tool. Instructors can use it from their courses.",
    connectedNext:
      'You can close this window and return to your course, or <a href="{{url}}">open the Zoom connection page</a>.',
    backToConnection: 'Back to the Zoom connection page',
    notices: {
      connected: 'Zoom is connected.',
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
    checkAgainLabel: 'Check {{name}} again with Zoom',
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
    action_legend: 'Zoom action',
    actions: {
      create: 'create: Zoom emails an invitation the person accepts (default)',
      autoCreate: 'autoCreate: active at once (needs a managed domain in Zoom)',
      ssoCreate: 'ssoCreate: for accounts with SSO pre-provisioning',
      custCreate: 'custCreate: for Zoom API partner accounts',
    },
    licenceLegend: 'Licence',
    licensedDefault: 'Licensed (default)',
    basic: 'Basic',
    noSeatLegend: 'When no licensed seat is left',
    noSeatBasic: 'Create a Basic user instead',
    noSeatRefuse: 'Refuse, and tell the instructor to ask for a licence',
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
    next: "A school administrator changes the setting on the tool's Zoom people page (for example to “create”).",
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
