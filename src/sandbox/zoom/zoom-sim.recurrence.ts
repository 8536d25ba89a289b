import { DateTime } from 'luxon';
import { seriesStarts, type RecurrenceLimits } from '../../shared/recurrence';
import type { SimRecurrence } from './zoom-sim.types';

/**
 * The occurrences of a recurring meeting with fixed time (type 8), computed like Zoom: in the
 * meeting's time zone at the start's local time of day; a monthly series on the 29th–31st falls on
 * a shorter month's last day. The rules are the ones the meeting form counts with
 * (`src/shared/recurrence.ts`), so the form's 50-occurrence check and the simulator agree.
 */
export type { RecurrenceLimits };

/** Start instants (UTC ms) of the occurrences. */
export function occurrenceStarts(
  start: number,
  timeZone: string,
  r: SimRecurrence,
  limits: RecurrenceLimits,
): number[] {
  return seriesStarts(DateTime.fromMillis(start, { zone: timeZone }), r, limits).map((at) => at.toMillis());
}
