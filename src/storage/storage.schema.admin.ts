import { bigserial, index, integer, pgTable, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { schools } from './storage.schema';

/**
 * The operator console (src/admin). The operator's password is kept only as a scrypt hash with its
 * own salt and parameters (`scrypt$…`); sessions only as the SHA-256 of their random id.
 */
export const operatorAccounts = pgTable('operator_accounts', {
  username: text('username').primaryKey(),
  passwordHash: text('password_hash').notNull(),
  updatedAt: timestamp('updated_at', { withTimezone: true }).notNull().defaultNow(),
});

/** A signed-in operator: idle for at most 30 min, alive for at most 8 h (src/admin/admin.sessions.ts). */
export const operatorSessions = pgTable(
  'operator_sessions',
  {
    idHash: text('id_hash').primaryKey(),
    username: text('username')
      .notNull()
      .references(() => operatorAccounts.username, { onDelete: 'cascade' }),
    createdAt: timestamp('created_at', { withTimezone: true }).notNull(),
    lastSeenAt: timestamp('last_seen_at', { withTimezone: true }).notNull(),
    expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  },
  (table) => [index('operator_sessions_username_idx').on(table.username)],
);

/**
 * Console sign-in attempts per address, per address and name, and failures per name (src/admin/admin.limiter.ts;
 * rate-limiter-flexible's RateLimiterDrizzle store:
 * its column names), shared by every instance of the tool.
 */
export const operatorLoginLimits = pgTable('operator_login_limits', {
  key: text('key').primaryKey(),
  points: integer('points').notNull(),
  expire: timestamp('expire', { withTimezone: true }),
});

/**
 * The latest catalogued errors requests of a school met (bounded per school): an error id, the
 * request id and the path without its query. Never a secret.
 */
export const schoolErrors = pgTable(
  'school_errors',
  {
    id: bigserial('id', { mode: 'number' }).primaryKey(),
    schoolId: uuid('school_id')
      .notNull()
      .references(() => schools.id, { onDelete: 'cascade' }),
    errorId: text('error_id').notNull(),
    status: integer('status').notNull(),
    requestId: text('request_id').notNull(),
    path: text('path').notNull(),
    at: timestamp('at', { withTimezone: true }).notNull(),
  },
  (table) => [index('school_errors_school_at_idx').on(table.schoolId, table.at)],
);
