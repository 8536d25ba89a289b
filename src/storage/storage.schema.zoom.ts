import { pgTable, primaryKey, text, timestamp, uuid } from 'drizzle-orm/pg-core';
import { schools } from './storage.schema';

/**
 * Zoom's rate limits, shared by every instance of the tool (zoom/zoom.pacer.ts): one lane per Zoom
 * account and rate category. `next_at` is where the next free send slot starts; an instance
 * reserves slots by moving it on in one atomic statement. `paused_until` holds the lane after a
 * 429 (`Retry-After`). Times are the database's clock.
 */
export const zoomRateLanes = pgTable(
  'zoom_rate_lanes',
  {
    accountId: text('account_id').notNull(),
    category: text('category').notNull(),
    nextAt: timestamp('next_at', { withTimezone: true }).notNull(),
    pausedUntil: timestamp('paused_until', { withTimezone: true }),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.category] })],
);

/**
 * Daily limits Zoom said are spent, until their reset: scope `category:<name>` for an account's
 * category, `user:<id>` for one user's meeting writes. No call in a held scope is sent.
 */
export const zoomDailyHolds = pgTable(
  'zoom_daily_holds',
  {
    accountId: text('account_id').notNull(),
    scope: text('scope').notNull(),
    heldUntil: timestamp('held_until', { withTimezone: true }).notNull(),
  },
  (table) => [primaryKey({ columns: [table.accountId, table.scope] })],
);

/**
 * A school's live "connect link" (at most one): a signed, expiring URL its LMS admin forwards to
 * the school's Zoom admin. The link names `link_id`; making a new link replaces the row, and
 * connecting Zoom (by any way) deletes it, so an older or used link stops working.
 */
export const zoomConnectLinks = pgTable('zoom_connect_links', {
  schoolId: uuid('school_id')
    .primaryKey()
    .references(() => schools.id, { onDelete: 'cascade' }),
  linkId: text('link_id').notNull(),
  expiresAt: timestamp('expires_at', { withTimezone: true }).notNull(),
  /** Who made it (issuer | LMS user id), never a secret. */
  createdBy: text('created_by').notNull(),
  createdAt: timestamp('created_at', { withTimezone: true }).notNull().defaultNow(),
});
