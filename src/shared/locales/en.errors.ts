/**
 * English words of the error pages (`errors.<id>`: title, detail, next step): the catalogue
 * (`shared/errors.catalog.ts`) takes its English from here, and every id a person inside a launch can
 * meet has its Spanish in `es.errors.ts`.
 */
export const enErrors = {
  title: 'Error',
  whatToDo: 'What to do',
  reference: 'Error <code>{{id}}</code> (HTTP {{status}}), request <code>{{request}}</code>.',
  referenceNoRequest: 'Error <code>{{id}}</code> (HTTP {{status}}).',
  meeting_daily_limit: {
    title: 'Zoom’s daily limit for this host is reached',
    detail: 'Zoom allows 100 meeting changes per host per day, and this host has made them all today.',
    next: 'Try again after {{reset}}, when Zoom starts counting again.',
  },
  zoom_account_daily_limit: {
    title: 'The school’s Zoom account reached its daily limit',
    detail:
      'Zoom limits how many requests of this kind the school’s whole Zoom account makes in a day, and the account has made them all today. It is not this host’s own limit: every teacher of the school waits until then.',
    next: 'Try again after {{reset}}, when Zoom starts counting again. If it happens often, tell your school’s Zoom administrator (the account’s plan sets the limit).',
  },
  database_unavailable: {
    title: 'The tool’s database did not answer',
    detail:
      'The tool lost its connection to its database for a moment (a restart or a failover), so this request was not completed.',
    next: 'Try again in a minute: the tool reconnects by itself. If it keeps happening, tell your administrator.',
  },
  zoom_busy: {
    title: 'Zoom is busy',
    detail: 'Zoom asked the tool to slow down, so nothing was scheduled or changed.',
    next: 'Try again in a minute; nothing is half made.',
  },
  meeting_refused: {
    title: 'Zoom refused the meeting',
    detail: 'Zoom said: {{message}}',
    next: 'Correct the meeting and try again.',
  },
  meeting_host_not_ready: {
    title: 'Your Zoom user is not ready',
    detail: 'Meetings are scheduled with your own Zoom user, which is not active yet.',
    next: 'See the message about your Zoom account on the course page.',
  },
  meeting_other_section: {
    title: 'This meeting is for another section',
    detail: 'It is meant for the students of {{sections}}, and this course has you in another section.',
    next: 'Join your own meetings from the course page. If your section is wrong, ask your instructor to check your enrolment.',
  },
  handover_host_not_eligible: {
    title: 'That person cannot host these meetings',
    detail:
      'Meetings are handed only to an instructor of this course whose Zoom user is active and licensed.',
    next: 'Choose someone from the list on the hand-over page. If nobody is listed, ask your school’s Zoom administrator to license an instructor of the course.',
  },
  meeting_not_host: {
    title: 'Only the host can start this meeting',
    detail: 'A meeting starts with its host’s Zoom user.',
    next: 'Join it with the Join link; as an alternative host, Zoom lets you host once you sign in.',
  },
  meeting_in_progress: {
    title: 'The meeting is in progress',
    detail: 'Zoom does not delete a meeting while it is running.',
    next: 'End the meeting in Zoom first, then delete it.',
  },
  not_found: {
    title: 'Not found',
    detail: 'There is nothing at this address.',
    next: 'Go back to your course and open the tool again from its link.',
  },
  forbidden: {
    title: 'Not allowed',
    detail: 'Your role in this course does not allow this.',
    next: 'Ask an instructor or administrator of the course.',
  },
  csrf_invalid: {
    title: 'The form has expired',
    detail: 'This form was not sent from this tool’s page, or it is too old.',
    next: 'Go back, reload the page and send it again.',
  },
  launch_inactive: {
    title: 'This course’s link to Zoom was turned off',
    detail:
      'The operator of this Zoom tool deactivated the LMS registration or deployment this page was opened from, so it can no longer show or change anything.',
    next: 'Ask your LMS administrator: they can ask the operator of this Zoom tool to activate it again. Then open the tool again from your course.',
  },
  lti_cookies_blocked: {
    title: 'Open Zoom in a new window',
    detail:
      'Your browser does not keep this tool’s cookies inside the course page (Safari does this, and so do some privacy settings), so Zoom cannot sign you in here.',
    next: 'Open Zoom in a new window: it signs you in there and shows your class meetings. This course page stays open.',
    open: 'Open in a new window',
    opensWindow: '(opens a new window)',
  },
  meeting_occurrence_required: {
    title: 'Choose the occurrence to delete',
    detail: 'You chose to delete one occurrence of the series but did not say which, so nothing was deleted.',
    next: 'Go back, choose the occurrence in the list and delete it again.',
  },
  bad_request: {
    title: 'The request was not understood',
    detail: 'The request was malformed.',
    next: 'Check the form and send it again.',
  },
  internal_error: {
    title: 'Something went wrong on our side',
    detail: 'The tool hit an unexpected error. It has been logged.',
    next: 'Try again in a minute; if it keeps happening, give the request id to your administrator.',
  },
  launch_required: {
    title: 'Open this tool from your course',
    detail:
      'This page only works when opened from a course in your LMS (your session link was missing or has expired).',
    next: 'Go back to your course and open the tool again from its link.',
  },
  lti_login_invalid: {
    title: 'The launch could not start',
    detail: 'The LMS sent an incomplete login request.',
    next: "Ask your LMS administrator to check the tool's registration; the error id below tells them what to look for.",
  },
  lti_unknown_client: {
    title: 'This LMS is not registered with the tool',
    detail: 'No registration matches the issuer and client id the LMS sent.',
    next: 'An operator must register this LMS first (see `npm run cli -- platform add` in the README).',
  },
  lti_target_link_uri_not_ours: {
    title: 'The launch points somewhere else',
    detail: 'The target_link_uri of this launch is not this tool’s launch URL.',
    next: "Ask your LMS administrator to check the tool's registration; the error id below tells them what to look for.",
  },
  lti_state_invalid: {
    title: 'The launch could not be verified',
    detail: 'The launch’s state is missing, unknown, already used or expired.',
    next: 'Go back to your course and open the tool again from its link.',
  },
  lti_state_unconfirmed: {
    title: 'This launch could not be confirmed',
    detail:
      'This launch could not be confirmed: the sign-in it belongs to did not start in this browser, or the course page that kept it was closed, so the tool did not open.',
    next: 'Go back to your course and open Zoom again. If it happens every time, tell your LMS administrator, with the error id below.',
  },
  lti_launch_invalid: {
    title: 'The launch could not be verified',
    detail: 'The LMS’s launch message failed a security check.',
    next: 'Go back to your course and open the tool again from its link.',
  },
  lti_nonce_mismatch: {
    title: 'The launch could not be verified',
    detail: 'The id token does not carry the nonce this tool sent for this login.',
    next: 'Go back to your course and open the tool again from its link.',
  },
  lti_unknown_deployment: {
    title: 'This deployment of the tool is not known',
    detail: 'The LMS launched from a deployment that is not registered for it.',
    next: 'An operator can add the deployment id with `npm run cli -- platform add … --deployment <id>` or allow new deployments for the registration.',
  },
  lti_resource_link_missing: {
    title: 'The launch has no resource link',
    detail: 'A resource-link launch must name the link it came from, and this one did not.',
    next: "Ask your LMS administrator to check the tool's registration; the error id below tells them what to look for.",
  },
  zoom_not_connected: {
    title: 'Zoom is not connected for your school yet',
    detail: 'Your school has not connected a Zoom account to this tool.',
    next: 'A school administrator connects it from the tool’s Zoom connection page (open the tool as an administrator).',
  },
  zoom_reconnect_required: {
    title: 'Zoom needs to be reconnected',
    detail:
      'Zoom no longer accepts the tool’s access to your school’s account (it was revoked, expired or lost).',
    next: 'A school administrator reconnects Zoom from the tool’s Zoom connection page; nothing else is lost.',
  },
  zoom_unavailable: {
    title: 'Zoom did not answer',
    detail: 'Zoom could not be reached or answered with an error.',
    next: 'Try again in a few minutes; Zoom’s status page (status.zoom.us) says whether Zoom itself has trouble.',
  },
  zoom_oauth_not_configured: {
    title: 'Connecting through the Zoom Marketplace app is not set up',
    detail: 'This installation of the tool has no Zoom Marketplace app configured.',
    next: 'Connect with your own Server-to-Server app instead (form below), or ask the operator to set ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET.',
  },
  zoom_account_taken: {
    title: 'This Zoom account belongs to another school',
    detail: 'The Zoom account you authorised is already connected to another school in this tool.',
    next: 'Sign in to Zoom with an administrator of your own school’s Zoom account and connect again, or ask the operator to release the account.',
  },
  zoom_missing_scopes: {
    title: 'Zoom did not grant everything the tool needs',
    detail: 'The Zoom app was authorised without some of the permissions (scopes) the tool needs.',
    next: 'Check the app’s scopes in the Zoom Marketplace (users and meetings, read and write, admin level) and connect again.',
  },
  zoom_state_invalid: {
    title: 'This Zoom connection attempt cannot be completed',
    detail:
      'The answer from Zoom does not match a connection attempt in progress: it was altered, already used or has expired (10 minutes).',
    next: 'Start again from the tool’s Zoom connection page.',
  },
  zoom_connect_other_browser: {
    title: 'This Zoom connection was started in another browser',
    detail:
      'Zoom sent back an authorisation that this browser did not start, so nothing was connected. (A Zoom consent link only works in the browser of the person who pressed “Connect Zoom”.)',
    next: 'To connect Zoom, open the tool from your course as a school administrator in this browser and press “Connect Zoom”.',
  },
  zoom_consent_denied: {
    title: 'Zoom access was not granted',
    detail: 'The Zoom administrator declined to authorise the tool, so nothing was connected.',
    next: 'Start again from the tool’s Zoom connection page and choose Authorize, signed in as an administrator of your school’s Zoom account.',
  },
  zoom_credentials_invalid: {
    title: 'Zoom refused these credentials',
    detail: 'Zoom did not accept the account id, client id and client secret given.',
    next: 'Copy them again from your Server-to-Server app in the Zoom Marketplace (Manage → your app → App credentials); the app must be activated and have the user and meeting admin scopes.',
  },
  zoom_connect_link_invalid: {
    title: 'This Zoom connect link does not work',
    detail:
      'The link is incomplete or was altered, has expired, was replaced by a newer link, or Zoom is already connected with it. Nothing was changed.',
    next: 'Ask the LMS administrator of your school (who sent you this link) for a new one: they make it on the tool’s Zoom connection page.',
  },
  registration_inactive: {
    title: 'This LMS registration is deactivated',
    detail:
      'The operator of this Zoom tool deactivated the registration this launch came from, so it was refused.',
    next: 'Ask your LMS administrator to contact the operator of this Zoom tool to have the registration activated again.',
  },
  grades_scope_not_granted: {
    title: 'The LMS does not let the tool send grades',
    detail:
      'The LMS did not grant the tool its Assignment and Grade Services (gradebook columns and scores) for this course, so no grade was sent.',
    next: 'Ask your LMS administrator to turn them on. In Moodle: Site administration → Plugins → External tool → Manage tools → this tool → Services, set “IMS LTI Assignment and Grade Services” to “Use this service for grade sync and column management”. In Canvas: Admin → Developer Keys → this tool’s key, turn on its line item, score and result scopes. Then open the tool from the course again.',
  },
  grades_line_item_deleted: {
    title: 'The grade column was deleted in the LMS',
    detail: 'Someone deleted the tool’s column in the LMS gradebook, so this grade was not sent.',
    next: 'Create the column again from the tool’s grades settings, or stop sending grades for this course.',
  },
  grades_lms_unavailable: {
    title: 'The LMS did not answer',
    detail: 'The LMS was busy or down and did not take the grades after several tries. Nothing is lost.',
    next: 'Nothing to do: the tool sends the grades again by itself when the LMS answers. If it lasts more than a day, tell your LMS administrator.',
  },
  grades_score_older: {
    title: 'The LMS holds a newer score',
    detail:
      'The LMS already has a score for this student in this column that is as new as, or newer than, the one sent, so it kept its own.',
    next: 'Nothing to do for this score: the LMS keeps the newest one. Change the grade again from the tool to send a newer one.',
  },
};
