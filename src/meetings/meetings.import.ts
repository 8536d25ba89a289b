import type { Logger } from 'pino';
import { isStaff, type LaunchContext } from '../lti';
import { errors } from '../shared/errors';
import type { Db } from '../storage';
import { ZoomApiError, type ZoomMeeting, type ZoomMeetingListItem } from '../zoom';
import type { MeetingAttendance } from './meetings.attendance';
import type { CoursePanelSource } from './meetings.panels';
import { heldZoomIds, insertImported, releaseDeleted } from './meetings.import.repo';
import { recordZoomAnswer } from './meetings.record';
import * as repo from './meetings.repo';
import type { Actor, MeetingsService, ZoomUserLookup } from './meetings.service';
import { fromZoomTime } from './meetings.time';
import { reserveHostRequest, sendsCounted } from './meetings.usage';
import { fromZoomMeeting, REGISTRATION, takesRegistration } from './meetings.zoom';

/** The host's meeting list is read this many pages deep (300 meetings a page). */
export const IMPORT_LIST_PAGES = 10;

/** Why a meeting is not brought into the course (catalog `import.refused.*`); nothing was changed. */
export type ImportRefusal =
  'invalid' | 'notFound' | 'notHost' | 'here' | 'elsewhere' | 'over' | 'noFixedTime';

const REFUSAL_STATUS: Record<ImportRefusal, number> = {
  invalid: 400,
  notFound: 404,
  notHost: 403,
  here: 409,
  elsewhere: 409,
  over: 409,
  noFixedTime: 409,
};

export class ImportRefused extends Error {
  readonly status: number;
  constructor(readonly reason: ImportRefusal) {
    super(`import refused: ${reason}`);
    this.status = REFUSAL_STATUS[reason];
  }
}

/** One of the host's upcoming meetings that no course of the school holds. */
export interface ImportCandidate {
  zoomMeetingId: string;
  topic: string;
  /** The start (a series: its next occurrence), UTC. */
  startTime: Date;
  durationMinutes: number;
  series: boolean;
}

export interface ImportOutcome {
  meeting: repo.MeetingRow;
  /** The course already had it (a second Add, or two at once): nothing new was written. */
  already: boolean;
  /** The course takes attendance: `on` when Zoom takes registrants for it, `failed` when Zoom refused to. */
  registration: 'on' | 'failed' | 'none';
}

/**
 * Zoom's meeting id from what an instructor pasted: the number (spaces and dashes as Zoom prints
 * it) or a join link (`https://<any>.zoom.us/j/<id>?pwd=…`, `/w/<id>`, or the simulator's `/j/<id>`).
 */
export function meetingIdFrom(input: string): string | undefined {
  const text = input.trim();
  if (/^[\d\s-]+$/.test(text)) {
    const digits = text.replace(/[\s-]/g, '');
    return /^\d{9,11}$/.test(digits) ? digits : undefined;
  }
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    return undefined;
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return undefined;
  return /^\/(?:j|w|wc(?:\/join)?)\/(\d{9,11})\/?$/.exec(url.pathname)?.[1];
}

/**
 * Bringing an instructor's own Zoom meetings into a course (docs/architecture.md, "Importing
 * meetings"): the host's upcoming meetings no course of the school holds, or one named by id or
 * link. Refused in words, with nothing changed: another course's, one they do not host, one of
 * another account, one that is over. The row is what a confirmed create leaves (origin `imported`),
 * so webhooks, reconciles, recordings and attendance treat it like the rest; when the course takes
 * attendance Zoom is asked to take registrants for it, as creates do.
 */
export class MeetingImports {
  private readonly now: () => number;

  constructor(
    private readonly deps: {
      db: Db;
      meetings: MeetingsService;
      zoomUserOf: ZoomUserLookup;
      /** Attendance's part (services.ts); none: no registration. */
      attendance?: MeetingAttendance;
      logger: Logger;
    },
  ) {
    this.now = () => deps.meetings.now();
  }

  /** Staff whose own Zoom user is active (as for scheduling): no Zoom call. */
  async canImport(schoolId: string, launch: LaunchContext): Promise<boolean> {
    if (!isStaff(launch.role)) return false;
    const person = await this.deps.zoomUserOf({ schoolId, issuer: launch.issuer, userId: launch.userId });
    return person?.status === 'active' && Boolean(person.zoomUserId);
  }

  /** The actor's upcoming meetings in the school's Zoom account that no course of the school holds. */
  async candidates(course: repo.CourseKey, actor: Actor): Promise<ImportCandidate[]> {
    const host = await this.hostOf(course.schoolId, actor);
    const api = await this.deps.meetings.api(course.schoolId);
    const listed: ZoomMeetingListItem[] = [];
    let token: string | undefined;
    try {
      for (let page = 0; page < IMPORT_LIST_PAGES; page += 1) {
        const list = await api.list(host, token);
        listed.push(...list.meetings);
        token = list.next_page_token;
        if (!token) break;
      }
    } catch (error) {
      throw this.deps.meetings.refusal(error, actor);
    }
    const now = this.now();
    const ahead = listed.filter((m) => m.host_id === host && isAhead(m, now));
    const held = await heldZoomIds(
      this.deps.db,
      course.schoolId,
      ahead.map((m) => m.id),
    );
    const seen = new Set<string>();
    return ahead
      .filter((m) => !held.has(m.id) && !seen.has(m.id) && seen.add(m.id))
      .map((m) => ({
        zoomMeetingId: m.id,
        topic: m.topic,
        startTime: fromZoomTime(m.start_time ?? ''),
        durationMinutes: m.duration ?? 60,
        series: m.type === 8,
      }))
      .sort((a, b) => a.startTime.getTime() - b.startTime.getTime());
  }

  /** Brings the meeting named by `input` (an id or a join link) into the course. */
  async import(course: repo.CourseKey, actor: Actor, input: string): Promise<ImportOutcome> {
    const zoomId = meetingIdFrom(input);
    if (!zoomId) throw new ImportRefused('invalid');
    const host = await this.hostOf(course.schoolId, actor);
    const { db } = this.deps;
    const holder = await repo.meetingByZoomId(db, course.schoolId, zoomId);
    if (holder && holder.state !== 'deleted') return this.heldBy(course, holder);
    const api = await this.deps.meetings.api(course.schoolId);
    let zoom: ZoomMeeting;
    try {
      zoom = await api.get(zoomId);
    } catch (error) {
      // Another account's meeting, a deleted one, one Zoom forgot: "not found" (3001), as is a host gone (1001).
      if (
        error instanceof ZoomApiError &&
        (error.kind === 'not_found' || [3001, 1001].includes(error.code ?? 0))
      )
        throw new ImportRefused('notFound');
      throw this.deps.meetings.refusal(error, actor);
    }
    // Only the host brings a meeting in (an alternative host is not its host).
    if (zoom.host_id !== host) throw new ImportRefused('notHost');
    if (zoom.type === 3) throw new ImportRefused('noFixedTime');
    if (!isAheadMeeting(zoom, this.now())) throw new ImportRefused('over');

    const registration = await this.takesAttendance(course, host);
    const { values, occurrences } = fromZoomMeeting(zoom, {
      startTime: new Date(this.now()),
      durationMinutes: 60,
      timeZone: actor.timeZone,
      settings: { waitingRoom: false, joinBeforeHost: false, autoRecording: 'none', alternativeHosts: [] },
    });
    const needsRegistration = registration && !takesRegistration({ settings: values.settings! });
    const written = await db.transaction(async (tx) => {
      // A deleted row of the school gives the Zoom id up: the meeting may come in again.
      const found = holder ?? (await repo.meetingByZoomId(tx, course.schoolId, zoomId));
      const deleted = found?.state === 'deleted' ? found : undefined;
      if (deleted) await releaseDeleted(tx, deleted);
      const row = await insertImported(
        tx,
        {
          ...course,
          ...values,
          intentKey: `import:${course.schoolId}:${zoomId}${deleted ? `:${deleted.id}` : ''}`,
          origin: 'imported',
          state: 'scheduled',
          zoomMeetingId: zoomId,
          hostZoomUserId: host,
          hostLmsUserId: actor.userId,
          hostName: actor.name,
          scheduledBy: actor.userId,
        } as repo.NewMeeting,
        occurrences,
      );
      // Already taking registrants: its links are asked for with the row (as after a create).
      if (row && registration && !needsRegistration) await this.deps.attendance?.recorded(tx, row);
      return row;
    });
    if (!written) {
      const now = await repo.meetingByZoomId(db, course.schoolId, zoomId);
      if (now && now.state !== 'deleted') return this.heldBy(course, now);
      throw new ImportRefused('elsewhere');
    }
    this.deps.logger.info({ meetingId: written.id }, 'meeting imported from Zoom');
    if (!needsRegistration)
      return { meeting: written, already: false, registration: registration ? 'on' : 'none' };
    return this.turnRegistrationOn(course, actor, written);
  }

  /**
   * The course takes attendance and the host is licensed: Zoom is asked to take registrants for the
   * meeting with the settings creates send (`REGISTRATION`); its answer is recorded and the links
   * enqueued with it. A refusal leaves the meeting imported without them (the page says so).
   */
  private async turnRegistrationOn(
    course: repo.CourseKey,
    actor: Actor,
    meeting: repo.MeetingRow,
  ): Promise<ImportOutcome> {
    const { db, attendance } = this.deps;
    const zoomId = meeting.zoomMeetingId ?? '';
    const host = meeting.hostZoomUserId;
    try {
      const api = await this.deps.meetings.api(course.schoolId);
      const reserve = () => reserveHostRequest(db, course.schoolId, host, actor, this.now());
      await reserve();
      await api.update(zoomId, host, { settings: { ...REGISTRATION } }, sendsCounted(reserve));
      const fresh = await api.get(zoomId);
      const recorded = await recordZoomAnswer(db, meeting, fresh, {
        at: new Date(this.now()),
        ...(attendance ? { inTransaction: (tx, row) => attendance.recorded(tx, row) } : {}),
      });
      return {
        meeting: recorded,
        already: false,
        registration: takesRegistration(recorded) ? 'on' : 'failed',
      };
    } catch (error) {
      this.deps.logger.warn(
        { meetingId: meeting.id, err: error instanceof Error ? error.message : String(error) },
        'imported meeting kept without registration: Zoom did not take the change',
      );
      return { meeting, already: false, registration: 'failed' };
    }
  }

  /** The school already holds the meeting: this course (nothing to do) or another (refused, unnamed). */
  private heldBy(course: repo.CourseKey, holder: repo.MeetingRow): ImportOutcome {
    const here =
      holder.lmsIssuer === course.lmsIssuer &&
      holder.contextId === course.contextId &&
      holder.schoolId === course.schoolId;
    if (!here) throw new ImportRefused('elsewhere');
    return { meeting: holder, already: true, registration: 'none' };
  }

  private async takesAttendance(course: repo.CourseKey, host: string): Promise<boolean> {
    return (await this.deps.attendance?.takesAttendance(course, host)) ?? false;
  }

  private async hostOf(schoolId: string, actor: Actor): Promise<string> {
    const person = await this.deps.zoomUserOf({ schoolId, issuer: actor.issuer, userId: actor.userId });
    if (!person?.zoomUserId || person.status !== 'active') throw errors.meetingHostNotReady();
    return person.zoomUserId;
  }
}

/** A listed meeting whose (next) start has not ended yet; a series' list start is its next occurrence. */
function isAhead(meeting: ZoomMeetingListItem, now: number): boolean {
  if ((meeting.type !== 2 && meeting.type !== 8) || !meeting.start_time) return false;
  return fromZoomTime(meeting.start_time).getTime() + (meeting.duration ?? 0) * 60_000 > now;
}

/** A meeting Zoom still has whose start (or an available occurrence) has not ended. */
function isAheadMeeting(meeting: ZoomMeeting, now: number): boolean {
  if (meeting.status === 'started') return true;
  const ends = (start: string, minutes: number | undefined) =>
    fromZoomTime(start).getTime() + (minutes ?? 0) * 60_000 > now;
  if (meeting.type === 8)
    return (meeting.occurrences ?? []).some(
      (o) => (o.status === undefined || o.status === 'available') && ends(o.start_time, o.duration),
    );
  if (meeting.type === 2) return Boolean(meeting.start_time) && ends(meeting.start_time!, meeting.duration);
  return false;
}

/** The card on the course page for staff who can import (no Zoom call: listing is on the import page). */
export function importPanel(imports: MeetingImports): CoursePanelSource {
  return async (input) => {
    if (!(await imports.canImport(input.schoolId, input.launch))) return undefined;
    return {
      view: 'course-life/import-card',
      locals: { t: input.viewer.translator.t, href: input.link('/import') },
    };
  };
}
