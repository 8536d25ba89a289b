import { sql } from 'drizzle-orm';
import { queryRows, type Queryable } from '../storage';
import type { RateCategory } from './zoom.types';

/**
 * Where every instance of the tool shares its Zoom pacing: send slots per (account, category), the
 * pauses Zoom asked for (429 `Retry-After`) and the daily limits Zoom said are spent.
 *
 * Times are the database's clock (`clock_timestamp()`), never an instance's: instances hand over
 * durations ("in 250 ms", "for 3 s") and get durations back, so clocks of different machines are
 * never compared.
 */
export interface ZoomRateStore {
  /**
   * Reserves `count` consecutive send slots `spacingMs` apart in the account's lane, none before
   * `notBeforeMs` from now nor inside a pause, in one atomic statement. Answers how long until the
   * first slot (ms; 0 or less: now).
   */
  reserve(lane: LaneRef, spacingMs: number, count: number, notBeforeMs: number): Promise<number>;
  /** Nothing more is sent in the lane for `forMs` (never shortens a pause). */
  pause(lane: LaneRef, forMs: number): Promise<void>;
  /** A daily limit (scope: a category or one user's meeting writes) is spent for `forMs`. */
  hold(accountId: string, scope: string, forMs: number): Promise<void>;
  /** The account's spent daily limits and how long each still holds. */
  holds(accountId: string): Promise<{ scope: string; remainingMs: number }[]>;
}

export interface LaneRef {
  accountId: string;
  category: RateCategory;
}

const ms = (value: number) => sql`(${value}::float8 * interval '1 millisecond')`;

export function zoomRateStore(db: Queryable): ZoomRateStore {
  return {
    async reserve({ accountId, category }, spacingMs, count, notBeforeMs) {
      if (!(spacingMs > 0) || !Number.isInteger(count) || count < 1)
        throw new RangeError('a reservation needs a positive spacing and count');
      const span = spacingMs * count;
      // The row's next_at moves past this caller's slots; the caller's first slot is where it was
      // (or now, or after a pause). Concurrent callers queue on the row lock, each after the last.
      const rows = await queryRows<{ wait_ms: number | string }>(
        db,
        sql`insert into zoom_rate_lanes as lane (account_id, category, next_at)
            values (${accountId}, ${category}, clock_timestamp() + ${ms(Math.max(0, notBeforeMs) + span)})
            on conflict (account_id, category) do update set next_at = greatest(
              lane.next_at,
              clock_timestamp() + ${ms(Math.max(0, notBeforeMs))},
              coalesce(lane.paused_until, '-infinity'::timestamptz)
            ) + ${ms(span)}
            returning (extract(epoch from (lane.next_at - clock_timestamp())) * 1000)::float8 as wait_ms`,
      );
      const waitMs = Number(rows[0]?.wait_ms);
      if (!Number.isFinite(waitMs)) throw new Error('the rate lane reservation answered no slot');
      return waitMs - span;
    },

    async pause({ accountId, category }, forMs) {
      await db.execute(
        sql`insert into zoom_rate_lanes as lane (account_id, category, next_at, paused_until)
            values (${accountId}, ${category}, clock_timestamp(), clock_timestamp() + ${ms(forMs)})
            on conflict (account_id, category) do update set paused_until = greatest(
              coalesce(lane.paused_until, '-infinity'::timestamptz), excluded.paused_until
            )`,
      );
    },

    async hold(accountId, scope, forMs) {
      await db.execute(
        sql`insert into zoom_daily_holds as hold (account_id, scope, held_until)
            values (${accountId}, ${scope}, clock_timestamp() + ${ms(forMs)})
            on conflict (account_id, scope) do update set held_until = greatest(
              hold.held_until, excluded.held_until
            )`,
      );
      // Spent limits of past days are of no use to anyone.
      await db.execute(
        sql`delete from zoom_daily_holds where account_id = ${accountId} and held_until < clock_timestamp()`,
      );
    },

    async holds(accountId) {
      const rows = await queryRows<{ scope: string; remaining_ms: number | string }>(
        db,
        sql`select scope, (extract(epoch from (held_until - clock_timestamp())) * 1000)::float8 as remaining_ms
            from zoom_daily_holds
            where account_id = ${accountId} and held_until > clock_timestamp()`,
      );
      return rows.map((row) => ({ scope: row.scope, remainingMs: Number(row.remaining_ms) }));
    },
  };
}
