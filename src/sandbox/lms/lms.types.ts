import type { Express } from 'express';

/** The public shapes of the LMS emulator (see `index.ts`). */
export type LmsProfileName = 'moodle' | 'canvas';

export interface LmsUser {
  id: string;
  givenName: string;
  familyName: string;
  name: string;
  email?: string;
  roles: string[];
}

export interface ToolEndpoints {
  loginUrl: string;
  launchUrl: string;
  jwksUrl: string;
  /** Every redirect URI the auth endpoint accepts (default: launchUrl alone). */
  redirectUris?: string[];
  /** The launch's target_link_uri (default: launchUrl). */
  targetLinkUri?: string;
}

/**
 * A tool registered through LTI Dynamic Registration, as the platform stores it. Moodle keeps a
 * dynamically registered tool 'pending' until an admin activates it; Canvas's is 'active' at once.
 */
export interface LmsRegistration {
  clientId: string;
  deploymentId: string;
  status: 'pending' | 'active';
  /** initiate_login_uri, redirect_uris[0] (launch URL), jwks_uri, the redirect URIs, target_link_uri. */
  tool: ToolEndpoints;
  /** The client registration exactly as the tool posted it. */
  body: Record<string, unknown>;
  /** What the registration endpoint answered. */
  response: Record<string, unknown>;
  registeredAt: number;
}

export interface BeginRegistrationOptions {
  /** How long the registration token stays usable. Default one hour, as both LMSs mint it. */
  expiresInMs?: number;
}

export interface LmsEmulatorOptions {
  profile: LmsProfileName;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default 0 (ephemeral). */
  port?: number;
  /** Moodle: the emulator's base URL (wwwroot); Canvas: 'https://canvas.instructure.com'. */
  issuer?: string;
  /** Default random: Moodle-like 15 letters and digits, Canvas-like '10000000000042'. */
  clientId?: string;
  /** Moodle '1'; Canvas like '12:8865aa05b4b79b64a91a86042e43af5ea8ae79eb'. */
  deploymentId?: string;
  tool?: ToolEndpoints;
  /** Replaces `school.example.edu` in the people's emails (and Canvas's email-like names); default unchanged. */
  emailDomain?: string;
  /** Default true; false = the LMS withholds email (Moodle privacy setting, Canvas privacy level). */
  shareEmail?: boolean;
}

export type TamperSign = 'none' | 'hs256-with-public-key' | 'unknown-kid' | 'foreign-key';

export interface Tamper {
  /** Mutate in place or return a replacement, before signing. */
  claims?: (claims: Record<string, unknown>) => Record<string, unknown> | void;
  header?: (header: Record<string, unknown>) => Record<string, unknown> | void;
  /**
   * 'none': alg none, empty signature. 'hs256-with-public-key': HS256 keyed with the platform's
   * public key PEM. 'unknown-kid': a kid not in the JWKS. 'foreign-key': RS256 with a key not in
   * the JWKS but the real kid.
   */
  sign?: TamperSign;
}

export type LtiMessageType = 'LtiResourceLinkRequest' | 'LtiDeepLinkingRequest';

export interface LaunchOptions {
  messageType?: LtiMessageType;
  resourceLinkId?: string;
  targetLinkUri?: string;
  deploymentId?: string;
  courseId?: string;
  /**
   * The language the LMS shows the person: `launch_presentation.locale` (Canvas also sends it as
   * `locale` and in the login hint's `canvas_locale`). Default 'en'.
   */
  locale?: string;
}

/** A launch with every default filled in. */
export type ResolvedLaunch = Required<LaunchOptions>;

export interface LmsCourse {
  /** The LMS's own course id, as in its URLs (NRPS path, course page). */
  id: string;
  label: string;
  title: string;
  /**
   * The LTI context id the launch and NRPS carry: Moodle sends the course id itself, Canvas an
   * opaque 40-hex `lti_context_id`.
   */
  contextId: string;
}

export interface LmsUsers {
  instructor: LmsUser;
  learner: LmsUser;
  admin: LmsUser;
  ta: LmsUser;
}

/** Who opened the content picker, remembered with the `data` the response must echo. */
export interface DeepLinkingRequest {
  userId: string;
  courseId: string;
  locale: string;
}

/** A deep-linking response the tool posted back to the emulator (verified). */
export interface DeepLinkingReturn {
  at: number;
  claims: Record<string, unknown>;
  contentItems: unknown[];
  /** The picker's launch this answers (where the LMS sends the person back). */
  request: DeepLinkingRequest;
  /** The activities the LMS created from the items (none for an empty answer: Cancel). */
  activities: LmsActivity[];
}

/**
 * A link the LMS created from an `ltiResourceLink` content item (Moodle: an External tool activity
 * whose "Custom parameters" are the item's `custom`; Canvas: a module item). Launching it sends
 * its own resource link id, its title, and its custom parameters as the custom claim.
 */
export interface LmsActivity {
  courseId: string;
  resourceLinkId: string;
  title: string;
  /** The item's `text` (Moodle: the activity's description). */
  text: string;
  custom: Record<string, string>;
}

/** A gradebook column made through LTI Assignment and Grade Services (Moodle: a grade item; Canvas: an assignment). */
export interface AgsLineItem {
  /** The LMS's own id of the column, as in the line item's URL. */
  id: string;
  courseId: string;
  /** The line item's URL, as the LMS gives it to the tool (`id` in its JSON). */
  url: string;
  label: string;
  scoreMaximum: number;
  resourceId?: string;
  tag?: string;
  resourceLinkId?: string;
  startDateTime?: string;
  endDateTime?: string;
}

export type AgsActivityProgress = 'Initialized' | 'Started' | 'InProgress' | 'Submitted' | 'Completed';
export type AgsGradingProgress = 'FullyGraded' | 'Pending' | 'PendingManual' | 'Failed' | 'NotReady';

/** The score the LMS keeps for one student and one line item: the newest it accepted. */
export interface AgsScore {
  lineItemId: string;
  /** The LMS's user id (Moodle: the `sub` too; Canvas: the `sub` is an opaque LTI id). */
  userId: string;
  /** As posted; undefined when none was given or the LMS dropped it (not FullyGraded). */
  scoreGiven?: number;
  scoreMaximum: number;
  activityProgress: AgsActivityProgress;
  gradingProgress: AgsGradingProgress;
  timestamp: string;
  comment?: string;
  /** What the gradebook shows, scaled to the line item's scoreMaximum (undefined: no grade). */
  grade?: number;
  /** How many posts changed this score (a refused or identical repeat does not count). */
  updates: number;
}

/** A course's gradebook as the emulated LMS shows it. */
export interface LmsGradebook {
  course: LmsCourse;
  lineItems: AgsLineItem[];
  /** The gradable people of the course (learners), in roster order. */
  students: LmsUser[];
  scores: AgsScore[];
}

/** Makes the AGS endpoints answer `status` to the next `count` requests (before any check). */
export interface AgsFault {
  status: 429 | 500 | 502 | 503 | 504;
  count: number;
  /** Sent as `Retry-After` (seconds), if given. */
  retryAfterSeconds?: number;
}

export interface AuthorizeResult {
  action: string;
  fields: { id_token: string; state: string };
}

export interface LmsEmulator {
  readonly profile: LmsProfileName;
  readonly issuer: string;
  /** The client id and deployment id launches use: the newest dynamic registration's, if any. */
  readonly clientId: string;
  readonly deploymentId: string;
  /** http://127.0.0.1:<port>, valid after start(). */
  readonly baseUrl: string;
  readonly authUrl: string;
  readonly tokenUrl: string;
  readonly jwksUrl: string;
  readonly users: LmsUsers;
  readonly course: LmsCourse;
  readonly app: Express;
  start(): Promise<void>;
  stop(): Promise<void>;
  setTool(tool: ToolEndpoints): void;
  /** Extra roster entries (also appear in NRPS). */
  addUser(user: LmsUser): void;
  /**
   * The user leaves the course (NRPS stops listing them; AGS refuses their new scores as the LMS
   * does a non-student's); their scores stay in the gradebook. addUser enrols them again.
   */
  unenrollUser(userId: string): void;
  /** A user of this LMS by id (profile users and added ones). */
  findUser(userId: string): LmsUser | undefined;
  /** Third-party-initiated login parameters this LMS sends to the tool's login URL. */
  loginInitiation(userId: string, options?: LaunchOptions): Record<string, string>;
  /** tool.loginUrl + '?' + params. */
  loginInitiationUrl(userId: string, options?: LaunchOptions): string;
  /** The OIDC auth endpoint without HTTP; throws LmsAuthError on a bad request. */
  authorize(
    request: string | URLSearchParams | Record<string, string>,
    tamper?: Tamper,
  ): Promise<AuthorizeResult>;
  /** The claim set this LMS would send for a user. */
  claimsFor(userId: string, params: { nonce: string } & LaunchOptions): Record<string, unknown>;
  signIdToken(claims: Record<string, unknown>, tamper?: Pick<Tamper, 'header' | 'sign'>): Promise<string>;
  /** The emulated course page that frames the tool. */
  coursePageUrl(userId: string, options?: LaunchOptions): string;
  /** New signing key with a new kid; the old key stays in the JWKS. */
  rotateKey(): Promise<void>;
  /**
   * Next term: copies a course into a new one (new id and context id, none of its people); the
   * copy's launches carry the copy history variables (lms.copy.ts). Returns the new course.
   */
  copyCourse(fromCourseId: string, newCourseId?: string): LmsCourse;
  /** Canvas: adds a section to a course (the default course unless given); Moodle throws (lms.sections.ts). */
  addSection(name: string, courseId?: string): { id: string; name: string };
  /** Canvas: enrols a person in a section of the course (launches then substitute its variables). */
  enrolInSection(sectionId: string, userId: string, courseId?: string): void;
  /**
   * An admin pastes the tool's registration URL: mints a single-use registration token and returns
   * the URL the LMS opens (the tool's URL with `openid_configuration` and `registration_token`).
   */
  beginRegistration(toolRegistrationUrl: string, options?: BeginRegistrationOptions): string;
  /** `beginRegistration`, opened as the LMS admin sees it: a page of this LMS framing the registration. */
  registrationPageUrl(toolRegistrationUrl: string, options?: BeginRegistrationOptions): string;
  /** This LMS's OpenID configuration URL (Moodle: public; Canvas: needs the registration token). */
  readonly openidConfigurationUrl: string;
  readonly registrationEndpointUrl: string;
  /** Tools registered through dynamic registration (oldest first); the newest is the one launched. */
  readonly registrations: readonly LmsRegistration[];
  /** Moodle's "Activate" on a pending tool; throws for an unknown client id. */
  activateRegistration(clientId: string): void;
  /** Every HTTP request the emulator served. */
  readonly requestLog: { method: string; path: string; at: number }[];
  /** Deep-linking responses the tool posted back, verified against its JWKS (newest last). */
  readonly deepLinkingReturns: DeepLinkingReturn[];
  /** Links created from deep-linking responses, every course (oldest first). */
  readonly activities: readonly LmsActivity[];
  /** The course's AGS line items, its students and their scores (default: the profile's course). */
  gradebook(courseId?: string): LmsGradebook;
  /** The emulated gradebook page's URL for a user (instructors and admins only). */
  gradebookPageUrl(userId: string, courseId?: string): string;
  /** The next `count` AGS requests answer `status` (429 with Retry-After, 5xx), whatever they ask. */
  failAgsRequests(fault: AgsFault): void;
  /** Someone deletes the column in the LMS (by id or URL): the tool's next use of it gets 404. */
  deleteLineItem(idOrUrl: string): void;
}

/** A refused OIDC authentication request (error codes from OpenID Connect Core 3.1.2.6). */
export class LmsAuthError extends Error {
  readonly status: number;
  readonly error: string;
  readonly description: string;

  constructor(error: string, description: string, status = 400) {
    super(`${error}: ${description}`);
    this.name = 'LmsAuthError';
    this.status = status;
    this.error = error;
    this.description = description;
  }
}
