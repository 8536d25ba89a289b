import { sql } from 'drizzle-orm';
import {
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
import { schools } from './storage.schema';

/**
 * A course of a school, as an LMS names it (issuer + context id): what the meetings pages need that
 * is not a meeting. The calendar feed's URL is signed over `feed_version` (rotating it bumps it);
 * `reconciled_at` paces reconciliation with Zoom (at most once every 5 minutes per course).
 */
export const courses = pgTable(
  'courses',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    lmsIssuer: text('lms_issuer').notNull(),
    contextId: text('context_id').notNull(),
    title: text('title').notNull().default(''),
    feedVersion: integer('feed_version').notNull().default(1),
    reconciledAt: timestamp('reconciled_at', { withTimezone: true }),
    /**
     * The LTI services a staff launch offered for the course (the registration and deployment it
     * came through, Names and Roles, AGS and its granted scopes): background work reads the roster
     * and sends grades with them.
     */
    clientId: text('client_id'),
    deploymentId: text('deployment_id'),
    membershipsUrl: text('memberships_url'),
    lineItemsUrl: text('line_items_url'),
    agsScopes: jsonb('ags_scopes').$type<string[]>().notNull().default([]),
    /**
     * Next term: the earlier course of the same issuer this one was copied from, as the LMS said
     * (`$Context.id.history`, Canvas's copy variables), and where the offer to bring its series over
     * stands (`offered` until the instructor brings them or says no).
     */
    copiedFromContextId: text('copied_from_context_id'),
    copyOfferState: text('copy_offer_state', { enum: ['offered', 'dismissed', 'done'] }),
    /** Retention: the last launch into the course, and the end date the LMS gave (term end), if any. */
    lastLaunchAt: timestamp('last_launch_at', { withTimezone: true }),
    endsAt: timestamp('ends_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.schoolId, table.lmsIssuer, table.contextId] })],
);

/** What a meeting's Zoom settings are, as the form sets them. */
export interface MeetingSettings {
  waitingRoom: boolean;
  joinBeforeHost: boolean;
  autoRecording: 'cloud' | 'none';
  /** Emails of the alternative hosts. */
  alternativeHosts: string[];
}

/** Zoom's recurrence object (type 1 daily, 2 weekly, 3 monthly), as sent and as Zoom answered it. */
export interface MeetingRecurrence {
  type: 1 | 2 | 3;
  repeat_interval: number;
  weekly_days?: string;
  monthly_day?: number;
  end_times?: number;
  end_date_time?: string;
}

/**
 * A class meeting of a course (and, when placed by deep linking, of that resource link). Created in
 * state `creating` (the intent, keyed by the form's `intent_key`) before Zoom is asked, so a dropped
 * answer is found again and a repeated submit creates nothing twice. `start_url` is never stored.
 */
export const meetings = pgTable(
  'meetings',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    lmsIssuer: text('lms_issuer').notNull(),
    contextId: text('context_id').notNull(),
    resourceLinkId: text('resource_link_id'),
    intentKey: text('intent_key').notNull().unique(),
    /** `failed`: a create the confirm job gave up on (staff retry or delete it; students never see it). */
    state: text('state', { enum: ['creating', 'scheduled', 'started', 'ended', 'deleted', 'failed'] })
      .notNull()
      .default('creating'),
    zoomMeetingId: text('zoom_meeting_id'),
    zoomUuid: text('zoom_uuid'),
    hostZoomUserId: text('host_zoom_user_id').notNull(),
    hostLmsUserId: text('host_lms_user_id').notNull(),
    /** The host's name as the LMS gave it when the meeting was scheduled (for invitations). */
    hostName: text('host_name').notNull().default(''),
    scheduledBy: text('scheduled_by').notNull(),
    topic: text('topic').notNull(),
    /** First (or only) start, UTC. */
    startTime: timestamp('start_time', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    timeZone: text('time_zone').notNull(),
    recurrence: jsonb('recurrence').$type<MeetingRecurrence>(),
    settings: jsonb('settings').$type<MeetingSettings>().notNull(),
    passcode: text('passcode'),
    joinUrl: text('join_url'),
    showRecordings: boolean('show_recordings').notNull().default(false),
    /** How the meeting came to the course: scheduled here, imported from Zoom, or copied from last term. */
    origin: text('origin', { enum: ['scheduled', 'imported', 'copied'] })
      .notNull()
      .default('scheduled'),
    /** A copied meeting: the meeting of the earlier course it was made from (no key: that course may be purged). */
    copiedFromMeetingId: uuid('copied_from_meeting_id'),
    /** The LMS sections (or groups) the meeting is meant for; empty: the whole course. */
    sectionIds: jsonb('section_ids').$type<string[]>().notNull().default([]),
    /**
     * The host left (dropped from the course, deactivated or deleted in Zoom): `orphaned` until an
     * instructor hands the meeting over. `link_changed_at`: a hand-over recreated it with a new link.
     */
    hostState: text('host_state', { enum: ['ok', 'orphaned'] })
      .notNull()
      .default('ok'),
    hostLostReason: text('host_lost_reason', { enum: ['dropped', 'deactivated', 'deleted', 'not_found'] }),
    hostLostAt: timestamp('host_lost_at', { withTimezone: true }),
    linkChangedAt: timestamp('link_changed_at', { withTimezone: true }),
    /** Zoom's time (`event_ts`) of the last started/ended event applied: an older one arriving late changes nothing. */
    stateEventAt: timestamp('state_event_at', { withTimezone: true }),
    /**
     * Bumped by every write to the row or its occurrences: a write of what was read before a slow
     * call compares it (and the calendar feed's SEQUENCE is it).
     */
    version: integer('version').notNull().default(0),
    /** Why the last reconcile could not read this meeting from Zoom, and when (cleared by a good read). */
    reconcileError: text('reconcile_error'),
    reconcileErrorAt: timestamp('reconcile_error_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    index('meetings_course_idx').on(table.schoolId, table.lmsIssuer, table.contextId),
    uniqueIndex('meetings_zoom_id_key')
      .on(table.schoolId, table.zoomMeetingId)
      .where(sql`${table.zoomMeetingId} is not null`),
  ],
);

/** The occurrences of a recurring meeting, as Zoom returns them. */
export const meetingOccurrences = pgTable(
  'meeting_occurrences',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    occurrenceId: text('occurrence_id').notNull(),
    startTime: timestamp('start_time', { withTimezone: true }).notNull(),
    durationMinutes: integer('duration_minutes').notNull(),
    status: text('status', { enum: ['available', 'deleted'] })
      .notNull()
      .default('available'),
  },
  (table) => [primaryKey({ columns: [table.meetingId, table.occurrenceId] })],
);

/** A cloud recording of one instance of a meeting (`recording.completed`). */
export const meetingRecordings = pgTable(
  'meeting_recordings',
  {
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    zoomUuid: text('zoom_uuid').notNull(),
    startTime: timestamp('start_time', { withTimezone: true }),
    /** Where students watch it (Zoom's share or play URL). */
    playUrl: text('play_url').notNull(),
    fileCount: integer('file_count').notNull().default(0),
    /**
     * Hidden from students by staff: Zoom's sharing of it is turned off and its passcode rotated
     * (`share_state`), so a link anyone kept stops playing; students are served through our own
     * short-lived link, never Zoom's.
     */
    hidden: boolean('hidden').notNull().default(false),
    hiddenAt: timestamp('hidden_at', { withTimezone: true }),
    hiddenBy: text('hidden_by'),
    shareState: text('share_state', { enum: ['shared', 'revoking', 'revoked', 'restoring', 'failed'] })
      .notNull()
      .default('shared'),
    shareError: text('share_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.meetingId, table.zoomUuid] })],
);

/** A section (or group) of a course as the LMS sent it (Canvas sections; Moodle sends none). */
export const courseSections = pgTable(
  'course_sections',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    lmsIssuer: text('lms_issuer').notNull(),
    contextId: text('context_id').notNull(),
    sectionId: text('section_id').notNull(),
    name: text('name').notNull().default(''),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.schoolId, table.lmsIssuer, table.contextId, table.sectionId] })],
);

/**
 * How long a school keeps what a course leaves behind once it has ended, in days (null: kept):
 * meetings and recordings' links, attendance (sessions, results, registrants), logs (webhook
 * deliveries, errors). The purge job reads it.
 */
export const schoolRetention = pgTable('school_retention', {
  schoolId: uuid('school_id')
    .primaryKey()
    .references(() => schools.id, { onDelete: 'cascade' }),
  meetingsDays: integer('meetings_days'),
  attendanceDays: integer('attendance_days'),
  logsDays: integer('logs_days'),
  updatedBy: text('updated_by'),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/**
 * One erasure of an LMS user's data (the operator's privacy delete): who asked and what was
 * removed and kept, by counts. The person is named only by a keyed hash, never by id, name or email.
 */
export const privacyErasures = pgTable('privacy_erasures', {
  id: uuid('id').primaryKey().defaultRandom(),
  schoolId: uuid('school_id')
    .notNull()
    .references(() => schools.id, { onDelete: 'cascade' }),
  subjectHash: text('subject_hash').notNull(),
  requestedBy: text('requested_by').notNull(),
  removed: jsonb('removed').$type<Record<string, number>>().notNull().default({}),
  kept: jsonb('kept').$type<Record<string, number>>().notNull().default({}),
  erasedAt: timestamp('erased_at', { withTimezone: true }).notNull().defaultNow(),
});

/** Meeting create/update requests of one host in one UTC day (Zoom allows 100). */
export const zoomHostUsage = pgTable(
  'zoom_host_usage',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    hostZoomUserId: text('host_zoom_user_id').notNull(),
    day: text('day').notNull(),
    requests: integer('requests').notNull().default(0),
  },
  (table) => [primaryKey({ columns: [table.schoolId, table.hostZoomUserId, table.day] })],
);
