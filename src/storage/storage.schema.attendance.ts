import { sql } from 'drizzle-orm';
import {
  boolean,
  doublePrecision,
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
import { meetings } from './storage.schema.meetings';

// Attendance and grades (issue 19; docs/architecture.md, "Attendance (design)"). Every row names its
// school; people are LMS user ids of the course's issuer, never an email of theirs.

const courseColumns = () => ({
  schoolId: uuid('school_id')
    .notNull()
    .references(() => schools.id, { onDelete: 'cascade' }),
  lmsIssuer: text('lms_issuer').notNull(),
  contextId: text('context_id').notNull(),
});

/**
 * The people of a course as Names and Roles last listed them (or as they launched): a student who
 * left the course is `removed` (their history stays, they get no new score).
 */
export const coursePeople = pgTable(
  'course_people',
  {
    ...courseColumns(),
    lmsUserId: text('lms_user_id').notNull(),
    name: text('name').notNull().default(''),
    roles: jsonb('roles').$type<string[]>().notNull().default([]),
    /** A learner of the course (graded); staff are listed only to name hosts. */
    isStudent: boolean('is_student').notNull().default(false),
    state: text('state', { enum: ['active', 'removed'] })
      .notNull()
      .default('active'),
    seenAt: timestamp('seen_at', { withTimezone: true }).notNull().defaultNow(),
    removedAt: timestamp('removed_at', { withTimezone: true }),
    /** The sections (or groups) the LMS puts them in; empty when it sends none. */
    sectionIds: jsonb('section_ids').$type<string[]>().notNull().default([]),
  },
  (table) => [primaryKey({ columns: [table.schoolId, table.lmsIssuer, table.contextId, table.lmsUserId] })],
);

/**
 * A student's registration to a meeting (Zoom's registrant): made ahead from the roster or on their
 * first click. An intent first (`creating`) so an ambiguous POST is adopted, never repeated; the
 * join URL lets anyone join as that student, so it is sealed.
 */
export const meetingRegistrants = pgTable(
  'meeting_registrants',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    lmsUserId: text('lms_user_id').notNull(),
    /** The secondary id given to Zoom as the registrant's email (`u-<hash>@<domain>`). */
    email: text('email').notNull(),
    state: text('state', { enum: ['creating', 'ready', 'failed'] })
      .notNull()
      .default('creating'),
    registrantId: text('registrant_id'),
    joinUrlSealed: text('join_url_sealed'),
    attempts: integer('attempts').notNull().default(0),
    lastError: text('last_error'),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('meeting_registrants_person_key').on(table.meetingId, table.lmsUserId),
    uniqueIndex('meeting_registrants_zoom_key')
      .on(table.schoolId, table.meetingId, table.registrantId)
      .where(sql`${table.registrantId} is not null`),
    index('meeting_registrants_email_idx').on(table.schoolId, table.email),
  ],
);

/**
 * A held instance of a meeting (Zoom's instance uuid): when it started and ended, where its
 * past-participants report stands, and when its attendance became final.
 */
export const meetingInstances = pgTable(
  'meeting_instances',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    meetingId: uuid('meeting_id')
      .notNull()
      .references(() => meetings.id, { onDelete: 'cascade' }),
    zoomUuid: text('zoom_uuid').notNull(),
    /** The occurrence of a series it was held for (the nearest scheduled start), if any. */
    occurrenceId: text('occurrence_id'),
    /** The scheduled start and length it is measured against. */
    scheduledStart: timestamp('scheduled_start', { withTimezone: true }),
    scheduledMinutes: integer('scheduled_minutes'),
    startedAt: timestamp('started_at', { withTimezone: true }),
    endedAt: timestamp('ended_at', { withTimezone: true }),
    /** `pending` until the report was read (or Zoom said it has none for this account). */
    reportState: text('report_state', { enum: ['pending', 'read', 'unavailable'] })
      .notNull()
      .default('pending'),
    reportAttempts: integer('report_attempts').notNull().default(0),
    reportError: text('report_error'),
    /** Results computed (after the end); recomputed when late data or a rule changes them. */
    computedAt: timestamp('computed_at', { withTimezone: true }),
    finalAt: timestamp('final_at', { withTimezone: true }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('meeting_instances_zoom_key').on(table.schoolId, table.zoomUuid),
    index('meeting_instances_meeting_idx').on(table.schoolId, table.meetingId),
  ],
);

export type AttendanceStatus = 'present' | 'late' | 'absent' | 'excused';

/** One attended interval (ISO instants), after the union of a person's sessions. */
export interface AttendedInterval {
  from: string;
  to: string;
}

/**
 * A student's attendance of one held instance: as computed from the sessions and the rules, and as
 * the instructor overrode it (the reason kept). The effective status is the override's, else the
 * computed one.
 */
export const attendanceResults = pgTable(
  'attendance_results',
  {
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    instanceId: uuid('instance_id')
      .notNull()
      .references(() => meetingInstances.id, { onDelete: 'cascade' }),
    lmsUserId: text('lms_user_id').notNull(),
    status: text('status', { enum: ['present', 'late', 'absent'] }).notNull(),
    seconds: integer('seconds').notNull().default(0),
    firstJoinAt: timestamp('first_join_at', { withTimezone: true }),
    intervals: jsonb('intervals').$type<AttendedInterval[]>().notNull().default([]),
    /** Why a session deserves a look (a rename, a forwarded link): never changes the status. */
    flags: jsonb('flags').$type<string[]>().notNull().default([]),
    overrideStatus: text('override_status', { enum: ['present', 'excused'] }),
    overrideReason: text('override_reason'),
    overrideBy: text('override_by'),
    overrideAt: timestamp('override_at', { withTimezone: true }),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.instanceId, table.lmsUserId] })],
);

/** A course's attendance rules and how its grades reach the LMS. */
export const attendanceSettings = pgTable(
  'attendance_settings',
  {
    ...courseColumns(),
    /** Registrant links are made for this course's meetings (attendance is taken). */
    enabled: boolean('enabled').notNull().default(true),
    presentPercent: integer('present_percent').notNull().default(75),
    lateMinutes: integer('late_minutes').notNull().default(10),
    /** Meetings that do not count (office hours, a review session). */
    excludedMeetingIds: jsonb('excluded_meeting_ids').$type<string[]>().notNull().default([]),
    gradeMode: text('grade_mode', { enum: ['off', 'course', 'meeting'] })
      .notNull()
      .default('off'),
    /** The last refusal of the LMS's grade service, as an error id (shown with its fix). */
    gradeError: text('grade_error'),
    gradeErrorAt: timestamp('grade_error_at', { withTimezone: true }),
    updatedBy: text('updated_by'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [primaryKey({ columns: [table.schoolId, table.lmsIssuer, table.contextId] })],
);

/** A gradebook column the tool keeps in the LMS: the course's "Attendance", or one held meeting's. */
export const gradeLines = pgTable(
  'grade_lines',
  {
    id: uuid('id').primaryKey().defaultRandom(),
    ...courseColumns(),
    /** `zoom-attendance:course` or `zoom-attendance:<instance id>`. */
    resourceId: text('resource_id').notNull(),
    instanceId: uuid('instance_id').references(() => meetingInstances.id, { onDelete: 'cascade' }),
    label: text('label').notNull(),
    scoreMaximum: doublePrecision('score_maximum').notNull(),
    lineItemUrl: text('line_item_url'),
    state: text('state', { enum: ['ok', 'deleted_in_lms'] })
      .notNull()
      .default('ok'),
    updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
  },
  (table) => [
    uniqueIndex('grade_lines_resource_key').on(
      table.schoolId,
      table.lmsIssuer,
      table.contextId,
      table.resourceId,
    ),
  ],
);

/** What the tool last sent the LMS for one student in one column (a score equal to it is not sent again). */
export const gradeScores = pgTable(
  'grade_scores',
  {
    lineId: uuid('line_id')
      .notNull()
      .references(() => gradeLines.id, { onDelete: 'cascade' }),
    lmsUserId: text('lms_user_id').notNull(),
    scoreGiven: doublePrecision('score_given').notNull(),
    activityProgress: text('activity_progress').notNull(),
    gradingProgress: text('grading_progress').notNull(),
    /** The `timestamp` of the last score sent: the next is later, never earlier. */
    sentAt: timestamp('sent_at', { withTimezone: true, precision: 3 }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.lineId, table.lmsUserId] })],
);
