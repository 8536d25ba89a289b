import { en } from './locales/en';

/**
 * The catalogue of the error module (`errors.ts`, which everything imports): every error a person
 * can meet, with a stable id, an HTTP status, a sentence saying what happened and one saying what
 * to do next.
 */
export class AppError extends Error {
  constructor(
    readonly id: string,
    readonly status: number,
    readonly title: string,
    readonly detail: string,
    readonly nextStep: string,
    override readonly cause?: unknown,
    /** Values for the catalog's text of this error (`errors.<id>` in `shared/locales`), when it has one. */
    readonly params?: Record<string, unknown>,
    /** True when `detail` says more than the catalog's generic text (kept in English). */
    readonly specific = false,
  ) {
    super(`${id}: ${detail}`);
    this.name = 'AppError';
  }
}

type Factory = (detail?: string, cause?: unknown) => AppError;

function define(id: string, status: number, title: string, detail: string, nextStep: string): Factory {
  return (specificDetail?: string, cause?: unknown) =>
    new AppError(
      id,
      status,
      title,
      specificDetail ?? detail,
      nextStep,
      cause,
      undefined,
      specificDetail !== undefined,
    );
}

/** An error whose words live in the message catalogs (`errors.<id>`), filled with `params`. */
function localized(id: keyof typeof en.errors, status: number) {
  const text = en.errors[id] as { title: string; detail: string; next: string };
  return (params: Record<string, unknown> = {}, cause?: unknown) => {
    // The English words filled in too: they are the error's message, which logs carry.
    const fill = (words: string) =>
      words.replace(/\{\{\s*(\w+)\s*\}\}/g, (slot, name: string) =>
        name in params ? String(params[name]) : slot,
      );
    return new AppError(id, status, fill(text.title), fill(text.detail), fill(text.next), cause, params);
  };
}

const RELAUNCH = 'Go back to your course and open the tool again from its link.';
const ASK_ADMIN =
  "Ask your LMS administrator to check the tool's registration; the error id below tells them what to look for.";

export const errors = {
  badRequest: define(
    'bad_request',
    400,
    'The request was not understood',
    'The request was malformed.',
    'Check the form and send it again.',
  ),
  notFound: define('not_found', 404, 'Not found', 'There is nothing at this address.', RELAUNCH),
  internal: define(
    'internal_error',
    500,
    'Something went wrong on our side',
    'The tool hit an unexpected error. It has been logged.',
    'Try again in a minute; if it keeps happening, give the request id to your administrator.',
  ),
  launchRequired: define(
    'launch_required',
    401,
    'Open this tool from your course',
    'This page only works when opened from a course in your LMS (your session link was missing or has expired).',
    RELAUNCH,
  ),
  forbidden: define(
    'forbidden',
    403,
    'Not allowed',
    'Your role in this course does not allow this.',
    'Ask an instructor or administrator of the course.',
  ),
  // The LTI launch: each refusal names the check that failed.
  loginInvalid: define(
    'lti_login_invalid',
    400,
    'The launch could not start',
    'The LMS sent an incomplete login request.',
    ASK_ADMIN,
  ),
  unknownClient: define(
    'lti_unknown_client',
    400,
    'This LMS is not registered with the tool',
    'No registration matches the issuer and client id the LMS sent.',
    'An operator must register this LMS first (see `npm run cli -- platform add` in the README).',
  ),
  targetLinkNotOurs: define(
    'lti_target_link_uri_not_ours',
    400,
    'The launch points somewhere else',
    'The target_link_uri of this launch is not this tool’s launch URL.',
    ASK_ADMIN,
  ),
  stateInvalid: define(
    'lti_state_invalid',
    400,
    'The launch could not be verified',
    'The launch’s state is missing, unknown, already used or expired.',
    RELAUNCH,
  ),
  stateUnconfirmed: define(
    'lti_state_unconfirmed',
    400,
    'This launch could not be confirmed',
    'This launch could not be confirmed: the sign-in it belongs to did not start in this browser, or the course page that kept it was closed, so the tool did not open.',
    'Go back to your course and open Zoom again. If it happens every time, tell your LMS administrator, with the error id below.',
  ),
  launchInvalid: define(
    'lti_launch_invalid',
    401,
    'The launch could not be verified',
    'The LMS’s launch message failed a security check.',
    RELAUNCH,
  ),
  nonceMismatch: define(
    'lti_nonce_mismatch',
    401,
    'The launch could not be verified',
    'The id token does not carry the nonce this tool sent for this login.',
    RELAUNCH,
  ),
  unknownDeployment: define(
    'lti_unknown_deployment',
    403,
    'This deployment of the tool is not known',
    'The LMS launched from a deployment that is not registered for it.',
    'An operator can add the deployment id with `npm run cli -- platform add … --deployment <id>` or allow new deployments for the registration.',
  ),
  resourceLinkMissing: define(
    'lti_resource_link_missing',
    400,
    'The launch has no resource link',
    'A resource-link launch must name the link it came from, and this one did not.',
    ASK_ADMIN,
  ),
  sandboxSchoolName: define(
    'sandbox_school_name',
    409,
    'This school name belongs to the other kind of school',
    'A sandbox school and a real school never share a name.',
    'Choose another school name: the sandbox (`npm start`) keeps its schools apart from real ones.',
  ),
  registrationExists: define(
    'registration_exists',
    409,
    'This LMS is already registered',
    'A registration with this issuer and client id already exists.',
    'List registrations with `npm run cli -- platform list`; remove the old one first if it must be replaced.',
  ),
  registrationInviteInvalid: define(
    'registration_invite_invalid',
    403,
    'This registration link cannot be used',
    'The link is unknown, has expired or was already used, so nothing was registered.',
    'Ask the operator of this Zoom tool (whoever sent you the link) for a new registration link for your school, then paste it into your LMS again.',
  ),
  registrationInviteSpent: define(
    'registration_invite_spent',
    403,
    'This registration link is used up',
    'Registration through this link failed 5 times, so the link no longer works and nothing was registered.',
    'Check that your LMS’s registration service can be reached from the internet, then ask the operator of this Zoom tool (whoever sent you the link) for a new registration link for your school.',
  ),
  registrationIssuerTaken: define(
    'registration_issuer_taken',
    409,
    'This LMS is registered for another school',
    'The LMS names an issuer that is already registered for another school, so nothing was registered.',
    'Send the error id below to the operator of this Zoom tool. If the LMS now belongs to this school, the operator removes the other school’s registration (`npm run cli -- platform list`, then `npm run cli -- platform remove --id <id>`) and sends you a new registration link.',
  ),
  registrationFailed: define(
    'registration_failed',
    502,
    'The LMS did not complete the registration',
    'The LMS’s registration service could not be read or refused the tool’s registration, so nothing was registered.',
    'Try again from your LMS: the same link works until it has failed 5 times. If it keeps failing, send the error id below to the operator of this Zoom tool.',
  ),
  registrationNotFound: define(
    'registration_not_found',
    404,
    'No such registration',
    'No registration matches what was given.',
    'List registrations with `npm run cli -- platform list` and use an id or issuer and client id from there.',
  ),
  // Zoom connection: every refusal says what the school admin (or instructor) can do.
  zoomNotConnected: define(
    'zoom_not_connected',
    409,
    'Zoom is not connected for your school yet',
    'Your school has not connected a Zoom account to this tool.',
    'A school administrator connects it from the tool’s Zoom connection page (open the tool as an administrator).',
  ),
  zoomReconnectRequired: define(
    'zoom_reconnect_required',
    409,
    'Zoom needs to be reconnected',
    'Zoom no longer accepts the tool’s access to your school’s account (it was revoked, expired or lost).',
    'A school administrator reconnects Zoom from the tool’s Zoom connection page; nothing else is lost.',
  ),
  zoomUnavailable: define(
    'zoom_unavailable',
    503,
    'Zoom did not answer',
    'Zoom could not be reached or answered with an error.',
    'Try again in a few minutes; Zoom’s status page (status.zoom.us) says whether Zoom itself has trouble.',
  ),
  zoomOauthNotConfigured: define(
    'zoom_oauth_not_configured',
    503,
    'Connecting through the Zoom Marketplace app is not set up',
    'This installation of the tool has no Zoom Marketplace app configured.',
    'Connect with your own Server-to-Server app instead (form below), or ask the operator to set ZOOM_CLIENT_ID and ZOOM_CLIENT_SECRET.',
  ),
  zoomAccountTaken: define(
    'zoom_account_taken',
    409,
    'This Zoom account belongs to another school',
    'The Zoom account you authorised is already connected to another school in this tool.',
    'Sign in to Zoom with an administrator of your own school’s Zoom account and connect again, or ask the operator to release the account.',
  ),
  zoomMissingScopes: define(
    'zoom_missing_scopes',
    400,
    'Zoom did not grant everything the tool needs',
    'The Zoom app was authorised without some of the permissions (scopes) the tool needs.',
    'Check the app’s scopes in the Zoom Marketplace (users and meetings, read and write, admin level) and connect again.',
  ),
  zoomStateInvalid: define(
    'zoom_state_invalid',
    400,
    'This Zoom connection attempt cannot be completed',
    'The answer from Zoom does not match a connection attempt in progress: it was altered, already used or has expired (10 minutes).',
    'Start again from the tool’s Zoom connection page.',
  ),
  zoomOtherBrowser: define(
    'zoom_connect_other_browser',
    403,
    'This Zoom connection was started in another browser',
    'Zoom sent back an authorisation that this browser did not start, so nothing was connected. (A Zoom consent link only works in the browser of the person who pressed “Connect Zoom”.)',
    'To connect Zoom, open the tool from your course as a school administrator in this browser and press “Connect Zoom”.',
  ),
  zoomConsentDenied: define(
    'zoom_consent_denied',
    400,
    'Zoom access was not granted',
    'The Zoom administrator declined to authorise the tool, so nothing was connected.',
    'Start again from the tool’s Zoom connection page and choose Authorize, signed in as an administrator of your school’s Zoom account.',
  ),
  zoomCredentialsInvalid: define(
    'zoom_credentials_invalid',
    400,
    'Zoom refused these credentials',
    'Zoom did not accept the account id, client id and client secret given.',
    'Copy them again from your Server-to-Server app in the Zoom Marketplace (Manage → your app → App credentials); the app must be activated and have the user and meeting admin scopes.',
  ),
  zoomConnectLinkInvalid: define(
    'zoom_connect_link_invalid',
    403,
    'This Zoom connect link does not work',
    'The link is incomplete or was altered, has expired, was replaced by a newer link, or Zoom is already connected with it. Nothing was changed.',
    'Ask the LMS administrator of your school (who sent you this link) for a new one: they make it on the tool’s Zoom connection page.',
  ),
  // The meetings: their words are in the catalogs, so the page says them in the launch's language.
  meetingDailyLimit: localized('meeting_daily_limit', 429),
  /** Zoom's daily limit of a rate category for the school's whole account (not one host's). */
  zoomAccountDailyLimit: localized('zoom_account_daily_limit', 429),
  zoomBusy: localized('zoom_busy', 503),
  meetingRefused: localized('meeting_refused', 422),
  meetingHostNotReady: localized('meeting_host_not_ready', 409),
  meetingNotHost: localized('meeting_not_host', 403),
  meetingInProgress: localized('meeting_in_progress', 409),
  csrfInvalid: localized('csrf_invalid', 403),
  /** A session whose registration or deployment the operator deactivated (or removed) since its launch. */
  launchInactive: localized('launch_inactive', 403),
  databaseBusy: define(
    'database_in_use',
    409,
    'The embedded database is in use',
    'Another running process holds the embedded database directory.',
    'Stop the server first, or point DATABASE_URL at PostgreSQL so several processes can share the data.',
  ),
  // The operator CLI beside a server on the embedded database (src/control).
  serverNotAnswering: define(
    'server_not_answering',
    503,
    'The running server does not answer the CLI',
    'A running server holds the embedded database and does not answer on its control socket.',
    'If it is starting, try again in a moment; run the CLI as the user that runs the server; if the server is an older version, restart it (or stop it, and the CLI opens the database itself).',
  ),
  controlInterrupted: define(
    'control_interrupted',
    502,
    'The server did not finish answering the CLI',
    'The running server took the command but did not answer it.',
    "The command may or may not have run: check with `npm run cli -- platform list` and the server's log before running it again.",
  ),
  registrationInactive: define(
    'registration_inactive',
    403,
    'This LMS registration is deactivated',
    'The operator of this Zoom tool deactivated the registration this launch came from, so it was refused.',
    'Ask your LMS administrator to contact the operator of this Zoom tool to have the registration activated again.',
  ),
  // The operator console (/admin).
  operatorLoginRequired: define(
    'operator_login_required',
    401,
    'Sign in to the operator console',
    'This page of the operator console needs a signed-in operator (no session, or it expired).',
    'Sign in at /admin/login with the operator password (set with `npm run cli -- operator password`).',
  ),
  operatorLoginFailed: define(
    'operator_login_failed',
    401,
    'Wrong operator name or password',
    'The operator name or password is wrong, or no password was set yet.',
    'Check them and try again; an operator with shell access sets the password with `npm run cli -- operator password`.',
  ),
  operatorLoginLimited: define(
    'operator_login_limited',
    429,
    'Too many failed sign-ins',
    'Too many wrong passwords were tried from this address (for this operator name, or for any), so sign-ins from it are paused.',
    'Wait (the Retry-After header says how long) and sign in again with the right password, or sign in from another network.',
  ),
  operatorLoginBusy: define(
    'operator_login_busy',
    503,
    'Too many sign-ins at once',
    'Too many sign-ins are being checked right now, so this one was not checked.',
    'Wait a second (the Retry-After header says how long) and sign in again.',
  ),
  operatorPasswordInvalid: define(
    'operator_password_invalid',
    400,
    'This password cannot be used',
    'The operator password must be at least 12 characters (and at most 1024), given the same way twice.',
    'Run `npm run cli -- operator password` again with a longer password.',
  ),
  operatorCsrfInvalid: define(
    'operator_csrf_invalid',
    403,
    'This form has expired',
    'The form was not sent from a page of this operator console in your current session, so nothing was changed.',
    'Reload the page (sign in again if asked) and send the form again.',
  ),
  // Any page can meet it, so its words are in the catalogs (the page speaks the launch's language).
  databaseUnavailable: localized('database_unavailable', 503),
} as const;

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
