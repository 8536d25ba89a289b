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

/** The ids whose words (title, detail, next step) are in the catalogs, in English and Spanish. */
type WordedId = {
  [Id in keyof typeof en.errors]: (typeof en.errors)[Id] extends { title: string } ? Id : never;
}[keyof typeof en.errors];

/**
 * An error whose words live in the message catalogs (`errors.<id>`), so its page speaks the
 * launch's language; a specific detail given where it is thrown stays English (the log's words).
 */
function worded(id: WordedId, status: number): Factory {
  const text = en.errors[id];
  return define(id, status, text.title, text.detail, text.next);
}

export const errors = {
  badRequest: worded('bad_request', 400),
  notFound: worded('not_found', 404),
  internal: worded('internal_error', 500),
  launchRequired: worded('launch_required', 401),
  forbidden: worded('forbidden', 403),
  // The LTI launch: each refusal names the check that failed.
  loginInvalid: worded('lti_login_invalid', 400),
  unknownClient: worded('lti_unknown_client', 400),
  targetLinkNotOurs: worded('lti_target_link_uri_not_ours', 400),
  stateInvalid: worded('lti_state_invalid', 400),
  stateUnconfirmed: worded('lti_state_unconfirmed', 400),
  launchInvalid: worded('lti_launch_invalid', 401),
  nonceMismatch: worded('lti_nonce_mismatch', 401),
  unknownDeployment: worded('lti_unknown_deployment', 403),
  resourceLinkMissing: worded('lti_resource_link_missing', 400),
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
  zoomNotConnected: worded('zoom_not_connected', 409),
  zoomReconnectRequired: worded('zoom_reconnect_required', 409),
  zoomUnavailable: worded('zoom_unavailable', 503),
  zoomOauthNotConfigured: worded('zoom_oauth_not_configured', 503),
  zoomAccountTaken: worded('zoom_account_taken', 409),
  zoomMissingScopes: worded('zoom_missing_scopes', 400),
  zoomStateInvalid: worded('zoom_state_invalid', 400),
  zoomOtherBrowser: worded('zoom_connect_other_browser', 403),
  zoomConsentDenied: worded('zoom_consent_denied', 400),
  zoomCredentialsInvalid: worded('zoom_credentials_invalid', 400),
  zoomConnectLinkInvalid: worded('zoom_connect_link_invalid', 403),
  // The meetings: their words are in the catalogs, so the page says them in the launch's language.
  meetingDailyLimit: localized('meeting_daily_limit', 429),
  /** Zoom's daily limit of a rate category for the school's whole account (not one host's). */
  zoomAccountDailyLimit: localized('zoom_account_daily_limit', 429),
  zoomBusy: localized('zoom_busy', 503),
  meetingRefused: localized('meeting_refused', 422),
  meetingHostNotReady: localized('meeting_host_not_ready', 409),
  meetingNotHost: localized('meeting_not_host', 403),
  /** A hand-over to someone who is not an active, licensed instructor of the course (meetings.handover.ts). */
  handoverHostNotEligible: localized('handover_host_not_eligible', 422),
  /** A student's Join of a meeting meant for sections they are not in (meetings.sections.ts). */
  meetingOtherSection: localized('meeting_other_section', 403),
  meetingInProgress: localized('meeting_in_progress', 409),
  /** A series' one occurrence chosen for deletion without saying which. */
  meetingOccurrenceRequired: localized('meeting_occurrence_required', 400),
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
  registrationInactive: worded('registration_inactive', 403),
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
  // Grades in the LMS (AGS): each refusal says what the instructor or LMS admin does about it.
  gradesScopeNotGranted: worded('grades_scope_not_granted', 403),
  gradesLineItemDeleted: worded('grades_line_item_deleted', 410),
  gradesLmsUnavailable: worded('grades_lms_unavailable', 503),
  gradesScoreOlder: worded('grades_score_older', 409),
  // Any page can meet it, so its words are in the catalogs (the page speaks the launch's language).
  databaseUnavailable: localized('database_unavailable', 503),
} as const;

export function isAppError(value: unknown): value is AppError {
  return value instanceof AppError;
}
