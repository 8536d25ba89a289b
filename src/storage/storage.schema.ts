import { sql } from 'drizzle-orm';
import {
  bigserial,
  boolean,
  index,
  integer,
  jsonb,
  pgTable,
  primaryKey,
  text,
  timestamp,
  uniqueIndex,
  uuid,
} from 'drizzle-orm/pg-core';
import { meetings } from './storage.schema.meetings';

/** Where a login's state is also kept in the browser (see `lti_login_states.client_store`). */
export type ClientStore = { kind: 'platform'; target: string; origin: string } | { kind: 'window' };

/** A school (tenant). Everything a school owns hangs off its id. */
export const schools = pgTable('schools', {
  id: uuid('id').primaryKey().defaultRandom(),
  name: text('name').notNull().unique(),
  /** IANA zone for times shown to someone whose browser did not say its own, and the form's default. */
  timeZone: text('time_zone').notNull().default('UTC'),
  /** A school the sandbox made (`npm start`): never mixed with real ones, never bound to a real registration. */
  sandbox: boolean('sandbox').notNull().default(false),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/** An LMS registration of the tool (issuer + client id). It belongs to exactly one school. */
export const registrations = pgTable(
  'registrations',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'restrict' }),
    issuer: text('issuer').notNull(),
    clientId: text('client_id').notNull(),
    loginUrl: text('login_url').notNull(),
    tokenUrl: text('token_url').notNull(),
    jwksUrl: text('jwks_url').notNull(),
    /** Origins allowed to frame the tool for this registration (CSP frame-ancestors). */
    frameOrigins: jsonb('frame_origins')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    acceptNewDeployments: boolean('accept_new_deployments').notNull().default(false),
    /** False once an operator deactivated it (operator console): its launches are refused. */
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [uniqueIndex('registrations_issuer_client_id_key').on(table.issuer, table.clientId)],
);

/** Deployment ids known for a registration; launches from any other deployment are refused. */
export const deployments = pgTable(
  'deployments',
  {
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => registrations.id, { onDelete: 'cascade' }),
    deploymentId: text('deployment_id').notNull(),
    source: text('source', { enum: ['manual', 'launch'] })
      .notNull()
      .default('manual'),
    /** False once an operator deactivated it (operator console): its launches are refused until approved again. */
    active: boolean('active').notNull().default(true),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.registrationId, table.deploymentId] })],
);

/**
 * A one-time registration link for a school (`school invite`): the LMS admin pastes its URL into
 * the LMS's dynamic registration; used once, it binds the new registration to the school. Only the
 * code's SHA-256 is kept.
 */
export const registrationInvites = pgTable('registration_invites', {
  id: uuid('id').primaryKey().defaultRandom(),
  schoolId: uuid('school_id')
    .notNull()
    .references(() => schools.id, { onDelete: 'cascade' }),
  codeHash: text('code_hash').notNull().unique(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  /**
   * Set when a registration took the link (single use); cleared again if that registration failed,
   * until it failed MAX_INVITE_FAILURES times (tenants.invites): then the link stays spent.
   */
  usedAt: timestamp('used_at', { withTimezone: true }),
  /** Registrations through this link that failed (the LMS could not be read, or refused). */
  failedAttempts: integer('failed_attempts').notNull().default(0),
  registrationId: uuid('registration_id').references(() => registrations.id, { onDelete: 'set null' }),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One OIDC login in flight: the state and the nonce this tool sent, bound to the registration and
 * the target link. Consumed (deleted) by the launch that answers it.
 */
export const ltiLoginStates = pgTable(
  'lti_login_states',
  {
    state: text('state').primaryKey(),
    nonce: text('nonce').notNull(),
    registrationId: uuid('registration_id')
      .notNull()
      .references(() => registrations.id, { onDelete: 'cascade' }),
    targetLinkUri: text('target_link_uri').notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
    /**
     * Where the browser also keeps this state when a cookie may not come back: the LMS's platform
     * storage (a frame name and the origin to post to) or the tool window's own storage.
     */
    clientStore: jsonb('client_store').$type<ClientStore>(),
  },
  (table) => [index('lti_login_states_expires_at_idx').on(table.expiresAt)],
);

/**
 * ltijs' own storage (platforms, tool keys, id/context tokens, nonces, states, access tokens),
 * kept by our ltijs database plugin. `doc` holds the document as ltijs sees it; for the encrypted
 * collections it holds the index fields in clear and the sealed payload in `sealed`.
 */
export const ltijsDocuments = pgTable(
  'ltijs_documents',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    collection: text('collection').notNull(),
    doc: jsonb('doc').$type<Record<string, unknown>>().notNull(),
    sealed: text('sealed'),
    /** For ltijs' launch sessions (idtoken, contexttoken): their identifying fields, so a launch writes and reads one row by key. */
    docKey: text('doc_key'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    expiresAt: timestamp('expires_at', { withTimezone: true }),
  },
  (table) => [
    // No index on the documents' content: the sessions every launch writes are found by `doc_key`,
    // and the other collections (platforms, keys, tokens) are a handful of rows each.
    uniqueIndex('ltijs_documents_doc_key')
      .on(table.collection, table.docKey)
      .where(sql`${table.docKey} is not null`),
    index('ltijs_documents_collection_idx').on(table.collection),
    index('ltijs_documents_expires_at_idx').on(table.expiresAt),
    uniqueIndex('ltijs_documents_nonce_key')
      .on(table.collection, sql`(${table.doc}->>'nonce')`)
      .where(sql`${table.collection} = 'nonce'`),
    uniqueIndex('ltijs_documents_state_key')
      .on(table.collection, sql`(${table.doc}->>'state')`)
      .where(sql`${table.collection} = 'state'`),
  ],
);

/**
 * A school's Zoom connection (at most one per school): account-level OAuth or the school's own
 * Server-to-Server app. Every secret is sealed (AES-256-GCM); nothing here is readable in clear.
 * The refresh lease makes token refreshes single-flight across every instance of the tool.
 */
export const zoomConnections = pgTable(
  'zoom_connections',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .unique()
      .references(() => schools.id, { onDelete: 'cascade' }),
    kind: text('kind', { enum: ['oauth', 's2s'] }).notNull(),
    zoomAccountId: text('zoom_account_id').notNull(),
    status: text('status', { enum: ['connected', 'reconnect_required', 'disconnected'] })
      .notNull()
      .default('connected'),
    scopes: jsonb('scopes')
      .$type<string[]>()
      .notNull()
      .default(sql`'[]'::jsonb`),
    accessTokenSealed: text('access_token_sealed'),
    accessTokenExpiresAt: timestamp('access_token_expires_at', { withTimezone: true }),
    refreshTokenSealed: text('refresh_token_sealed'),
    s2sClientId: text('s2s_client_id'),
    s2sClientSecretSealed: text('s2s_client_secret_sealed'),
    webhookSecretSealed: text('webhook_secret_sealed'),
    /** Random path segment of the school's own webhook URL (S2S schools). */
    webhookId: text('webhook_id').notNull().unique(),
    refreshLeaseUntil: timestamp('refresh_lease_until', { withTimezone: true }),
    refreshLeaseOwner: text('refresh_lease_owner'),
    tokenVersion: integer('token_version').notNull().default(0),
    /** Why the connection needs attention (an error id, never a secret). */
    lastError: text('last_error'),
    connectedBy: text('connected_by'),
    connectedAt: timestamp('connected_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('zoom_connections_account_key')
      .on(table.zoomAccountId)
      .where(sql`${table.status} <> 'disconnected'`),
  ],
);

/** One "Connect Zoom" in flight: single use, bound to school, user and expiry. Keyed by the state's hash. */
export const zoomOauthStates = pgTable('zoom_oauth_states', {
  stateHash: text('state_hash').primaryKey(),
  schoolId: uuid('school_id')
    .notNull()
    .references(() => schools.id, { onDelete: 'cascade' }),
  userKey: text('user_key').notNull(),
  codeVerifierSealed: text('code_verifier_sealed').notNull(),
  /** The admin's ltik, sealed, to bring them back to the tool after Zoom (none when a connect link started it). */
  returnLtikSealed: text('return_ltik_sealed'),
  /** The connect link (sealed) that started this attempt, when the school's Zoom admin came through one. */
  connectLinkSealed: text('connect_link_sealed'),
  /**
   * sha256 of the random value in the first-party cookie set on the page that sent this browser to
   * Zoom: the callback must come back in the same browser.
   */
  browserBindingHash: text('browser_binding_hash'),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
});

/** Webhook deliveries already handled (Zoom retries; each delivery is handled once). */
export const zoomWebhookDeliveries = pgTable(
  'zoom_webhook_deliveries',
  {
    deliveryKey: text('delivery_key').primaryKey(),
    event: text('event').notNull(),
    zoomAccountId: text('zoom_account_id'),
    receivedAt: timestamp('received_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [index('zoom_webhook_deliveries_received_at_idx').on(table.receivedAt)],
);

/** How a school wants its instructors created in Zoom (edited on the school admin page). */
export const provisioningSettings = pgTable('provisioning_settings', {
  schoolId: uuid('school_id')
    .primaryKey()
    .references(() => schools.id, { onDelete: 'cascade' }),
  action: text('action', { enum: ['create', 'autoCreate', 'ssoCreate', 'custCreate'] })
    .notNull()
    .default('create'),
  licence: text('licence', { enum: ['licensed', 'basic'] })
    .notNull()
    .default('licensed'),
  /** When no licensed seat is left: create a Basic user instead, or refuse. */
  whenNoSeat: text('when_no_seat', { enum: ['basic', 'refuse'] })
    .notNull()
    .default('basic'),
  /**
   * LMS administrators who are not instructors of the course get a Zoom user too (off by default: a
   * Zoom user may take one of the school's paid seats).
   */
  provisionAdministrators: boolean('provision_administrators').notNull().default(false),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * The Zoom user of an instructor or administrator of a school, keyed by school + LMS user
 * (issuer + sub). The lease makes provisioning single-flight across processes.
 */
export const zoomUsers = pgTable(
  'zoom_users',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    lmsIssuer: text('lms_issuer').notNull(),
    lmsUserId: text('lms_user_id').notNull(),
    name: text('name').notNull().default(''),
    email: text('email'),
    zoomUserId: text('zoom_user_id'),
    status: text('status', { enum: ['provisioning', 'active', 'pending', 'inactive', 'deleted', 'failed'] })
      .notNull()
      .default('provisioning'),
    /** Zoom user type: 1 Basic, 2 Licensed, 99 None. */
    licenceType: integer('licence_type'),
    /** Why the last attempt did not give an active user (an outcome id). */
    lastOutcome: text('last_outcome'),
    lastCheckedAt: timestamp('last_checked_at', { withTimezone: true }),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    primaryKey({ columns: [table.schoolId, table.lmsIssuer, table.lmsUserId] }),
    index('zoom_users_school_idx').on(table.schoolId, table.status),
  ],
);

/**
 * Durable background work (provisioning retries; later the scheduler's sync jobs). One pending job
 * per kind and key. A runner claims due jobs with a lease it renews while the job runs; a job whose
 * runner died is claimed again once its lease has expired. `generation` grows on every enqueue, so
 * a job asked for again while it runs is run again rather than deleted.
 */
export const backgroundJobs = pgTable(
  'background_jobs',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    kind: text('kind').notNull(),
    key: text('key').notNull(),
    payload: jsonb('payload').$type<Record<string, unknown>>().notNull(),
    status: text('status', { enum: ['pending', 'failed'] })
      .notNull()
      .default('pending'),
    runAt: timestamp('run_at', { withTimezone: true }).notNull().defaultNow(),
    attempts: integer('attempts').notNull().default(0),
    generation: integer('generation').notNull().default(0),
    leaseOwner: text('lease_owner'),
    leaseUntil: timestamp('lease_until', { withTimezone: true }),
    /** Why the last attempt failed (an error id or message, never a secret). */
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('background_jobs_kind_key').on(table.kind, table.key),
    index('background_jobs_due_idx').on(table.status, table.runAt),
  ],
);

// The meetings capability's tables (courses, meetings, occurrences, recordings, host usage).
export * from './storage.schema.meetings';
// Zoom pacing shared by every instance (rate lanes, spent daily limits).
export * from './storage.schema.zoom';
// The operator console: the operator's password hash, sessions, login limits, schools' latest errors.
export * from './storage.schema.admin';
// Attendance and grades: course people, registrants, held instances, results, rules, gradebook columns.
export * from './storage.schema.attendance';

/**
 * Attendance (issue 19): one participant session of a held meeting instance (Zoom's instance uuid),
 * from Zoom's participant webhooks or the past meeting's report. A redelivered join or leave finds
 * its row by (instance, participant_uuid, join time) or (…, leave time) and changes nothing; a leave
 * that came before its join is a row with no join time until the join arrives.
 */
export const attendanceSessions = pgTable(
  'attendance_sessions',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    zoomMeetingUuid: text('zoom_meeting_uuid').notNull(),
    participantUuid: text('participant_uuid').notNull(),
    /** Zoom's per-session participant `user_id`. */
    zoomUserId: text('zoom_user_id'),
    /** The participant's `id`: a Zoom user id when signed in, null otherwise. */
    zoomAccountUserId: text('zoom_account_user_id'),
    registrantId: text('registrant_id'),
    email: text('email'),
    displayName: text('display_name').notNull().default(''),
    /** Null while only the leave has arrived. */
    joinedAt: timestamp('joined_at', { withTimezone: true }),
    leftAt: timestamp('left_at', { withTimezone: true }),
    source: text('source', { enum: ['webhook', 'report'] }).notNull(),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('attendance_sessions_join_key').on(
      table.schoolId,
      table.zoomMeetingUuid,
      table.participantUuid,
      table.joinedAt,
    ),
    uniqueIndex('attendance_sessions_leave_key').on(
      table.schoolId,
      table.zoomMeetingUuid,
      table.participantUuid,
      table.leftAt,
    ),
    index('attendance_sessions_instance_idx').on(table.schoolId, table.meetingId, table.zoomMeetingUuid),
  ],
);
