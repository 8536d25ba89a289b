import type { Express } from 'express';
import type { SimSnapshot } from './zoom-sim.state';

export type { SimSnapshot } from './zoom-sim.state';

/** The public shapes of the Zoom simulator (see `index.ts` and docs/zoom-simulator.md); options live in zoom-sim.options.ts. */

export type Plan = 'free' | 'pro' | 'business';
export type UserType = 1 | 2 | 99;
export type UserStatus = 'active' | 'inactive' | 'pending';
export type UserCreateAction = 'create' | 'autoCreate' | 'custCreate' | 'ssoCreate';
export type MeetingType = 1 | 2 | 3 | 8;
export type AppKind = 'oauth' | 's2s';
export type RateCategory = 'Light' | 'Medium' | 'Heavy' | 'Resource-intensive';
export type FaultKind =
  | 'latency'
  | 'status5xx'
  | 'timeout'
  | 'commit_then_drop'
  | 'commit_then_delay'
  | 'revoke_tokens'
  | 'rate_limit'
  | 'refuse';

export interface CreateAccountInput {
  plan: Plan;
  /** Licences for type-2 users (the admin takes one). Default free 0, pro 10, business 50. */
  licensed_seats?: number;
  /** Basic (type 1) users allowed; default unlimited. */
  max_basic_users?: number;
  managed_domain?: string;
  partner?: boolean;
  /** SSO pre-provisioning enabled (ssoCreate allowed). */
  sso?: boolean;
  /** Only ssoCreate is allowed (others answer 2002). */
  sso_only?: boolean;
  blocked_domains?: string[];
  allowed_domains?: string[];
  admin_email?: string;
  timezone?: string;
}

export interface CreateAppInput {
  kind: AppKind;
  /** The name Zoom shows on its consent page. Default: "Zoom for your LMS (sandbox)". */
  name?: string;
  redirect_uri?: string;
  /** Required for s2s; for oauth the owning account (only matters when `published` is false). */
  account_id?: string;
  webhook_url?: string;
  /** Default: all classic admin scopes. Array or space-separated. */
  scopes?: string[] | string;
  /** Webhook events subscribed; default all. */
  events?: string[];
  /** Default true. An unpublished OAuth app can only be installed by its own account. */
  published?: boolean;
}

export interface AppCredentials {
  client_id: string;
  client_secret: string;
  webhook_secret_token: string;
}

export interface SimAccount {
  id: string;
  plan: Plan;
  licensed_seats: number;
  max_basic_users: number | null;
  managed_domain: string | null;
  partner: boolean;
  sso: boolean;
  sso_only: boolean;
  blocked_domains: string[];
  allowed_domains: string[] | null;
  owner_id: string;
  timezone: string;
  limits: AccountLimits;
  /** "Require a passcode when scheduling new meetings"; absent: the `api.requirePasscode` option. */
  require_passcode?: boolean;
  /** "Require passcode to access shared cloud recordings"; absent: on (Zoom's default). */
  recording_passcode?: boolean;
}

/** Account settings the simulator models (`setAccountSettings`). */
export interface AccountSettings {
  require_passcode?: boolean;
  recording_passcode?: boolean;
}

export interface AccountLimits {
  enabled: boolean;
  /** Multiplies every per-account per-second and daily limit. */
  scale: number;
  meeting_requests_per_user_per_day: number;
}

export interface SimUser {
  id: string;
  account_id: string;
  email: string;
  first_name: string;
  last_name: string;
  display_name: string;
  type: UserType;
  status: UserStatus;
  /** '0' owner, '1' admin, '2' member. */
  role_id: '0' | '1' | '2';
  created_via: UserCreateAction | 'owner';
  timezone: string;
  pmi: number;
  created_at: number;
}

export interface SimRecurrence {
  type: 1 | 2 | 3;
  repeat_interval?: number;
  weekly_days?: string;
  monthly_day?: number;
  monthly_week?: number;
  monthly_week_day?: number;
  end_times?: number;
  end_date_time?: string;
}

export interface SimOccurrence {
  occurrence_id: string;
  start_time: number;
  duration: number;
  status: 'available' | 'deleted';
}

export interface SimParticipant {
  id: string;
  user_id: string;
  name: string;
  user_email: string;
  join_time: number;
  leave_time: number;
  /** Registered participants only (joined through their registrant link). */
  registrant_id?: string;
  /** Sessions recorded from joins (absent on generated participants). */
  participant_uuid?: string;
}

/** A registrant of a meeting (`POST /meetings/{id}/registrants`); its link is `/w/{id}?tk={token}`. */
export interface SimRegistrant {
  id: string;
  email: string;
  first_name: string;
  last_name: string;
  status: 'approved' | 'pending';
  /** The `tk` of the registrant's unique join URL. */
  token: string;
  create_time: number;
}

/** One participant's stay in a live meeting: a join and (once left) a leave. */
export interface SimSession {
  participant_uuid: string;
  /** Zoom's per-session participant id (a number as a string). */
  user_id: string;
  /** The Zoom user id of a signed-in participant; '' otherwise. */
  id: string;
  user_name: string;
  email: string;
  registrant_id: string | null;
  device: string;
  join_time: number;
  leave_time: number | null;
}

export interface SimRecordingFile {
  id: string;
  file_type: string;
  file_extension: string;
  recording_type: string;
  file_size: number;
}

export interface SimInstance {
  uuid: string;
  start_time: number;
  end_time: number;
  participants: SimParticipant[];
  recording_files: SimRecordingFile[];
}

export interface SimMeeting {
  id: number;
  uuid: string;
  account_id: string;
  host_id: string;
  topic: string;
  type: MeetingType;
  start_time: number | null;
  duration: number;
  timezone: string;
  password: string;
  agenda: string;
  settings: Record<string, unknown>;
  recurrence: SimRecurrence | null;
  occurrences: SimOccurrence[];
  created_at: number;
  status: 'waiting' | 'started' | 'ended';
  started_at: number | null;
  instances: SimInstance[];
  /** Registrants (meetings with `settings.approval_type` 0 or 1); absent in states saved before registration. */
  registrants?: SimRegistrant[];
  /** Sessions of the instance in progress (joins through the control surface). */
  sessions?: SimSession[];
}

export interface FaultInput {
  match?: { method?: string; path?: string; account_id?: string };
  kind: FaultKind;
  ms?: number;
  status?: number;
  count?: number;
  /**
   * revoke_tokens only: 'access' (default; a refresh still works), 'refresh' (the access tokens live
   * until they expire, the next refresh answers 4741) or 'all' (both).
   */
  tokens?: 'access' | 'refresh' | 'all';
  /** rate_limit only: the `X-RateLimit-Category` answered (default Medium). */
  category?: RateCategory;
  /** refuse only: Zoom's error answered (`status` default 400, `code` default 300). */
  code?: number;
  message?: string;
  errors?: Array<{ field: string; message: string }>;
}

export interface RequestLogEntry {
  seq: number;
  method: string;
  path: string;
  query: Record<string, string>;
  account_id: string | null;
  client_id: string | null;
  /**
   * `POST /oauth/token` only: the `grant_type` received, from the query or the form body (the body
   * wins, as it does for the answer); null when none was sent. Absent on every other request.
   */
  grant_type?: string | null;
  /** null while in flight, 0 when the connection was dropped or timed out without an answer. */
  status: number | null;
  /** Zoom error code of the answer, if any. */
  error_code: number | string | null;
  /** Simulated time, ISO 8601. */
  at: string;
}

export interface RequestFilter {
  /** A sequence number (entries after it) or an ISO time (entries at or after it). */
  since?: number | string;
  account_id?: string;
  client_id?: string;
  method?: string;
  path?: string;
}

export interface EndMeetingOptions {
  /** A count (default 3, the host included) or explicit people. */
  participants?: number | Array<{ name: string; email?: string }>;
  duration_minutes?: number;
  /** Default: true when `settings.auto_recording` is 'cloud' on a paid account. */
  recording?: boolean;
}

/** A join (`POST /_sim/meetings/{id}/participants/join`): a registrant's link, or the meeting's link as a guest. */
export interface JoinInput {
  /** A registrant's `join_url` (`/w/{id}?tk=`); absent or the meeting's `/j/` link: a guest. */
  join_url?: string;
  /** Display name (a guest's is required; a registrant's defaults to first and last name). */
  name?: string;
  /** Which device joins (default 'default'): a registrant link admits one device at a time. */
  device?: string;
}

/** A leave: the session's participant_uuid, or a registrant's link, or a guest's name (its open session). */
export interface LeaveInput {
  participant_uuid?: string;
  join_url?: string;
  name?: string;
}

/** A class played on the simulated clock (`POST /_sim/meetings/{id}/class`); offsets in seconds from its start. */
export interface ClassInput {
  /** When the class ends (the meeting ends, open sessions leave). */
  end_at: number;
  attendees: Array<JoinInput & { join_at: number; leave_at?: number }>;
}

export interface ClassResult {
  /** The ended instance (its UUID addresses `/past_meetings/{uuid}/participants`). */
  instance: SimInstance;
  /** Every session, in join order. */
  sessions: SimSession[];
}

export interface WebhookAttempt {
  delivery_id: string;
  client_id: string;
  event: string;
  url: string;
  attempt: number;
  at: string;
  status: number | null;
  ok: boolean;
  error: string | null;
  body: string;
  headers: Record<string, string>;
}

export interface WebhookValidationResult {
  ok: boolean;
  status: number | null;
  reason: string | null;
}

export interface TokenFilter {
  client_id?: string;
  account_id?: string;
  kind?: AppKind;
}

export interface TokenResponse {
  access_token: string;
  token_type: 'bearer';
  refresh_token?: string;
  expires_in: number;
  scope: string;
  api_url: string;
}

export interface ZoomSimulator {
  readonly app: Express;
  start(): Promise<void>;
  stop(): Promise<void>;
  /** OAuth base; the API base is `${baseUrl}/v2`. */
  readonly baseUrl: string;
  /** The address actually listened on (`http://127.0.0.1:port`), null before `start()`. */
  readonly listeningUrl: string | null;
  createAccount(input: CreateAccountInput): Promise<{ account_id: string; admin_email: string }>;
  createApp(input: CreateAppInput): Promise<AppCredentials>;
  /** Shortcut for tests not about OAuth: installs an OAuth app (or mints an S2S token) without the dance. */
  issueTokens(clientId: string, accountId: string): TokenResponse;
  setAppDisabled(clientId: string, disabled: boolean): void;
  /**
   * An admin edits the app's scopes in the Marketplace. Server-to-Server tokens issued afterwards
   * carry the new scopes; OAuth installations keep what their admin consented to until they
   * authorise again. Tokens already issued keep theirs.
   */
  setAppScopes(clientId: string, scopes: string[]): void;
  activateUser(idOrEmail: string): void;
  deactivateUser(idOrEmail: string): void;
  /** An admin deletes (or disassociates) a user: `user.deleted` (`user.disassociated`); their meetings go. */
  deleteUser(idOrEmail: string, action?: 'delete' | 'disassociate'): void;
  setLimits(accountId: string, limits: Partial<AccountLimits>): void;
  /** An admin changes the account's meeting settings (today: whether new meetings need a passcode). */
  setAccountSettings(accountId: string, settings: AccountSettings): void;
  advanceClock(seconds: number): Promise<void>;
  now(): number;
  injectFault(fault: FaultInput): string;
  clearFaults(): void;
  requests(filter?: RequestFilter): RequestLogEntry[];
  clearRequests(): void;
  startMeeting(id: number | string): void;
  endMeeting(id: number | string, options?: EndMeetingOptions): void;
  /** Someone joins a started meeting through a registrant's link or as a guest (sends `meeting.participant_joined`). */
  joinMeeting(id: number | string, input: JoinInput): SimSession;
  /** A participant leaves (sends `meeting.participant_left`). */
  leaveMeeting(id: number | string, input: LeaveInput): SimSession;
  /**
   * Plays a class on the simulated clock: starts the meeting now, makes each join and leave at its
   * offset (advancing the clock), and ends the meeting at `end_at`.
   */
  playClass(id: number | string, input: ClassInput): Promise<ClassResult>;
  deauthorize(clientId: string, accountId: string): Promise<void>;
  validateWebhook(clientId: string): Promise<WebhookValidationResult>;
  webhookDeliveries(filter?: { client_id?: string; event?: string }): WebhookAttempt[];
  /** Waits for every webhook delivery in flight. */
  flushWebhooks(): Promise<void>;
  users(accountId: string): SimUser[];
  meetings(accountId: string): SimMeeting[];
  tokensIssued(filter?: TokenFilter): number;
  reset(): void;
  /** Accounts, users, meetings, apps, grants and tokens as plain JSON (the sandbox keeps them across restarts). */
  exportState(): SimSnapshot;
  /** Replaces the remembered state with an `exportState()` (rate limits, faults and the logs start afresh). */
  importState(snapshot: SimSnapshot): void;
}
