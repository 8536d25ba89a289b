import type { Db, Queryable } from '../storage';
import { ZoomApiError, type ZoomMeeting, type ZoomMeetingListItem } from '../zoom';
import * as repo from './meetings.repo';
import type { MeetingRequest } from './meetings.schema';
import { DateTime } from 'luxon';
import { fromZoomTime, zoomLocalTime } from './meetings.time';
import { fromZoomMeeting } from './meetings.zoom';

/**
 * Writing what was learnt from Zoom into a meeting row that was read before Zoom was asked (a
 * reconcile, an edit, a confirmation): Zoom's calls are paced and slow, and a webhook may change
 * the row meanwhile. Every write here says which version of the row it read; when the row moved
 * on, it is read again and what Zoom said is merged into it: its state stays as the newer write
 * left it, and a deleted meeting is never brought back.
 */

/** A guarded write whose row moved on is tried again on the fresh row this many times, then left to the next reconcile. */
const ATTEMPTS = 3;

export interface RecordOptions {
  /**
   * Zoom's `status` (waiting/started) says whether the meeting is live: a `started` row Zoom calls
   * waiting lost its `meeting.ended` (a single meeting ends; a series waits for its next class), a
   * scheduled one Zoom calls started lost its `meeting.started`. Used only while the row is the
   * version read before Zoom answered (a webhook after that knows better).
   */
  repairState?: boolean;
  /** When Zoom answered (the state repair's time: an older webhook arriving later changes nothing). */
  at?: Date;
  /** Run in the transaction that recorded the answer, with the row as recorded (enqueues work with it). */
  inTransaction?: (tx: Queryable, meeting: repo.MeetingRow) => Promise<void>;
}

/** Records Zoom's answer about the meeting; the row as it is afterwards (unchanged when it is gone or deleted). */
export async function recordZoomAnswer(
  db: Db,
  read: repo.MeetingRow,
  zoom: ZoomMeeting,
  options: RecordOptions = {},
): Promise<repo.MeetingRow> {
  const { values, occurrences } = fromZoomMeeting(zoom, read);
  let row = read;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    if (row.state === 'deleted') return row;
    const repaired = attempt === 0 && options.repairState ? repairedState(row, zoom) : undefined;
    const current = row;
    const state = repaired ?? adopted(current.state);
    const writeAnswer = async (tx: Queryable) => {
      // Nothing new (most reconciles): nothing is written, so the version (the calendar's SEQUENCE) stays.
      if (
        state === current.state &&
        current.reconcileError === null &&
        sameValues(current, values) &&
        sameOccurrences(await repo.occurrencesOfMeeting(tx, current.id), occurrences)
      )
        return repo
          .meetingById(tx, current.id)
          .then((row) => (row?.version === current.version ? row : undefined));
      const updated = await repo.updateMeeting(
        tx,
        current.id,
        {
          ...values,
          state,
          ...(repaired ? { stateEventAt: options.at ?? new Date() } : {}),
          reconcileError: null,
          reconcileErrorAt: null,
        },
        { version: current.version },
      );
      if (!updated) return undefined;
      await repo.replaceOccurrences(tx, current.id, occurrences);
      return repo.meetingById(tx, current.id);
    };
    const written = await db.transaction(async (tx) => {
      const recorded = await writeAnswer(tx);
      if (recorded && options.inTransaction) await options.inTransaction(tx, recorded);
      return recorded;
    });
    if (written) return written;
    const fresh = await repo.meetingById(db, read.id);
    if (!fresh) return row;
    row = fresh;
  }
  return row;
}

/**
 * Records what an edit sent to Zoom (Zoom applied it, but its answer could not be read): the time,
 * topic and settings as sent; the occurrences are left for the next reconcile to read.
 */
export async function recordSent(
  db: Db,
  read: repo.MeetingRow,
  request: MeetingRequest,
): Promise<repo.MeetingRow> {
  let row = read;
  for (let attempt = 0; attempt < ATTEMPTS; attempt += 1) {
    if (row.state === 'deleted') return row;
    const written = await repo.updateMeeting(
      db,
      row.id,
      {
        topic: request.topic,
        startTime: request.start,
        durationMinutes: request.durationMinutes,
        timeZone: request.timeZone,
        recurrence: request.recurrence ?? null,
        settings: request.settings,
        ...(request.passcode ? { passcode: request.passcode } : {}),
      },
      { version: row.version },
    );
    if (written) return written;
    const fresh = await repo.meetingById(db, read.id);
    if (!fresh) return row;
    row = fresh;
  }
  return row;
}

/** Marks the meeting gone from Zoom (`ended` when it is over, else `deleted`), unless the row moved on meanwhile. */
export async function recordGone(
  db: Db,
  read: repo.MeetingRow,
  state: 'ended' | 'deleted',
): Promise<repo.MeetingRow | undefined> {
  if (read.state === 'deleted') return read;
  return repo.updateMeeting(db, read.id, { state }, { version: read.version });
}

/** Does the row already hold every value Zoom's answer gives it? */
function sameValues(row: repo.MeetingRow, values: Partial<repo.NewMeeting>): boolean {
  return Object.entries(values).every(([key, value]) => {
    const held = (row as Record<string, unknown>)[key];
    return stable(held) === stable(value ?? null);
  });
}

function sameOccurrences(
  held: repo.OccurrenceRow[],
  zoom: Array<{ occurrenceId: string; startTime: Date; durationMinutes: number; status: string }>,
): boolean {
  const key = (o: { occurrenceId: string; startTime: Date; durationMinutes: number; status: string }) =>
    `${o.occurrenceId}|${o.startTime.getTime()}|${o.durationMinutes}|${o.status}`;
  return held.map(key).sort().join(',') === zoom.map(key).sort().join(',');
}

/** A value as text that does not depend on key order (jsonb gives keys back in its own order). */
function stable(value: unknown): string {
  if (value instanceof Date) return `date:${value.getTime()}`;
  if (Array.isArray(value)) return `[${value.map(stable).join(',')}]`;
  if (value && typeof value === 'object')
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${k}:${stable((value as Record<string, unknown>)[k])}`)
      .join(',')}}`;
  return JSON.stringify(value ?? null);
}

/** A create found at Zoom makes the intent (or a failed create being retried) scheduled; other states stay. */
function adopted(state: repo.MeetingRow['state']): repo.MeetingRow['state'] {
  return state === 'creating' || state === 'failed' ? 'scheduled' : state;
}

function repairedState(row: repo.MeetingRow, zoom: ZoomMeeting): repo.MeetingRow['state'] | undefined {
  if (zoom.status === 'started' && (row.state === 'scheduled' || row.state === 'ended')) return 'started';
  if (zoom.status === 'waiting' && row.state === 'started') return row.recurrence ? 'scheduled' : 'ended';
  return undefined;
}

/** How much earlier than the intent Zoom's `created_at` may be (clocks differ; Zoom rounds to the second). */
const CREATED_BEFORE_MS = 2 * 60_000;
/** How much later: the create may have waited on Zoom's pacing and retries after the intent was recorded. */
const CREATED_AFTER_MS = 15 * 60_000;

/**
 * Is this meeting of the host's list the one the intent asked Zoom to make? Same topic, first start,
 * duration, time zone and kind (single or which recurrence: the list gives the type only, 8 for a
 * series with a fixed time), created within a few minutes after the intent.
 */
export function matchesIntent(candidate: ZoomMeetingListItem, intent: repo.MeetingRow): boolean {
  if (candidate.topic !== intent.topic) return false;
  if (candidate.type !== (intent.recurrence ? 8 : 2)) return false;
  if (candidate.duration !== undefined && candidate.duration !== intent.durationMinutes) return false;
  if (candidate.timezone && !sameZone(candidate.timezone, intent)) return false;
  if (candidate.start_time && !sameStart(candidate.start_time, intent)) return false;
  if (!candidate.created_at) return false;
  const created = Date.parse(candidate.created_at);
  const asked = intent.createdAt.getTime();
  return created >= asked - CREATED_BEFORE_MS && created <= asked + CREATED_AFTER_MS + staleFor(intent);
}

/** A create retried later (a failed one) is made then, not when the intent was first recorded. */
function staleFor(intent: repo.MeetingRow): number {
  return Math.max(0, intent.updatedAt.getTime() - intent.createdAt.getTime());
}

/**
 * The list's `start_time` is UTC (`Z`); for a series it is the next occurrence's, which may be later
 * than the intent's first start but keeps its local time of day.
 */
function sameStart(zoomStart: string, intent: repo.MeetingRow): boolean {
  const start = fromZoomTime(zoomStart).getTime();
  if (!intent.recurrence) return start === intent.startTime.getTime();
  if (start < intent.startTime.getTime()) return false;
  const clock = (at: Date) => zoomLocalTime(at, intent.timeZone).slice(11);
  return clock(new Date(start)) === clock(intent.startTime);
}

/** The same zone, or another name of it (Zoom may answer an alias): the same offset at the first start. */
function sameZone(zone: string, intent: repo.MeetingRow): boolean {
  if (zone === intent.timeZone) return true;
  const offset = (name: string) => DateTime.fromJSDate(intent.startTime, { zone: name }).offset;
  const theirs = offset(zone);
  return Number.isFinite(theirs) && theirs === offset(intent.timeZone);
}

/** What staff are shown of a failed read: Zoom's status, code and message (never a token or URL). */
export function reconcileErrorText(error: unknown): string {
  const text =
    error instanceof ZoomApiError
      ? `HTTP ${error.status}${error.code === undefined ? '' : ` (${error.code})`}: ${error.zoomMessage}`
      : 'unexpected error';
  return text.slice(0, 300);
}
