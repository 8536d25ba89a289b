import crypto from 'node:crypto';
import { DateTime } from 'luxon';
import type { Logger } from 'pino';
import { contextHistory, isStaff, type LaunchContext } from '../lti';
import { errors } from '../shared/errors';
import type { Translator } from '../shared/i18n';
import type { Db } from '../storage';
import type { MeetingRecurrence } from '../storage/storage.schema';
import { recurrenceText } from './meetings.invitation';
import * as nextTermRepo from './meetings.nextterm.repo';
import type { CoursePanel, CoursePanelInput } from './meetings.panels';
import type { Viewer } from './meetings.presenter';
import { refusalOf } from './meetings.refusals';
import {
  courseRow,
  type CourseKey,
  type CourseRow,
  type MeetingRow,
  type MeetingWithDetails,
} from './meetings.repo';
import { MAX_OCCURRENCES, type MeetingRequest } from './meetings.schema';
import type { Actor, MeetingsService } from './meetings.service';
import { formatInstant, formParts, wallTime } from './meetings.time';

/**
 * Next term: a course the LMS copied from an earlier one (its copy history, lti.context-history.ts)
 * starts empty; its staff are offered the earlier course's series to bring over with new dates.
 * Each one brought is scheduled afresh through the normal create (a new Zoom meeting with the
 * launching instructor as host, origin `copied`); nothing of the earlier course's attendance,
 * recordings, people or registrants is read, let alone copied.
 */
export interface NextTermOptions {
  db: Db;
  meetings: MeetingsService;
  logger: Logger;
}

/** One series of the earlier course as the offer page shows it. */
export interface SeriesChoice {
  id: string;
  topic: string;
  /** "Every week on Monday, Wednesday, 9:00 AM" or, for a single meeting, its date and time. */
  pattern: string;
  durationMinutes: number;
  timeZone: string;
  recurring: boolean;
  /** The suggested new first date (`yyyy-MM-dd`) and time, and for a series how many occurrences. */
  date: string;
  time: string;
  count: number | undefined;
}

/** The instructor's choice for one series: a new first date and, for a series, how many times. */
export interface SeriesPick {
  meetingId: string;
  date: string;
  count: number | undefined;
}

export interface BringResult {
  brought: MeetingRow[];
  /** The series Zoom (or the host's readiness) refused, with what to do. */
  refused: { meetingId: string; topic: string; lines: string[] }[];
}

export class NextTermService {
  constructor(private readonly options: NextTermOptions) {}

  /**
   * The offer standing for this course: recorded once, on a staff launch of a course without
   * meetings whose history names an earlier course of the same school and LMS that has meetings.
   */
  async offerOf(
    course: CourseKey,
    launch: LaunchContext,
  ): Promise<{ state: string; from: CourseRow } | undefined> {
    const { db } = this.options;
    const row = await courseRow(db, course);
    if (!row?.copyOfferState) {
      if (!isStaff(launch.role)) return undefined;
      const history = contextHistory(launch.custom, course.contextId);
      if (history.length === 0 || (await nextTermRepo.hasAnyMeeting(db, course))) return undefined;
      const from = await nextTermRepo.earlierCourseWithMeetings(db, course, history);
      if (!from) return undefined;
      const title = launch.course.title ?? launch.course.label ?? '';
      if (await nextTermRepo.recordOffer(db, course, title, from.contextId)) {
        this.options.logger.info({ from: from.contextId }, 'next term: earlier course offered');
        return { state: 'offered', from };
      }
      return this.recorded(course);
    }
    return this.recorded(course, row);
  }

  private async recorded(course: CourseKey, known?: CourseRow) {
    const row = known ?? (await courseRow(this.options.db, course));
    if (!row?.copyOfferState || !row.copiedFromContextId) return undefined;
    const from = await courseRow(this.options.db, { ...course, contextId: row.copiedFromContextId });
    return from ? { state: row.copyOfferState, from } : undefined;
  }

  /** The course page's card (staff, while offered). */
  async panel(input: CoursePanelInput): Promise<CoursePanel | undefined> {
    if (!isStaff(input.launch.role)) return undefined;
    const offer = await this.offerOf(input.course, input.launch);
    if (offer?.state !== 'offered') return undefined;
    return {
      view: 'course-life/next-term-card',
      locals: { t: input.viewer.translator.t, link: input.link, fromTitle: titleOf(offer.from) },
    };
  }

  /** The offer page's model: the earlier course and its series, each with a suggested new date. */
  async choices(
    course: CourseKey,
    launch: LaunchContext,
    viewer: Viewer,
  ): Promise<{ fromTitle: string; series: SeriesChoice[] }> {
    const offer = await this.requireOffer(course, launch);
    const series = await nextTermRepo.seriesOf(this.options.db, offer.from);
    return {
      fromTitle: titleOf(offer.from),
      series: series.map((meeting) => choiceOf(meeting, viewer)),
    };
  }

  /**
   * Schedules each picked series in this course with its settings (new dates, a new Zoom meeting,
   * the launching instructor as host). The offer is `done` once every pick is brought; a refused
   * one stays to try again (a repeat makes nothing twice: each copy's intent is its own).
   */
  async bring(
    course: CourseKey,
    launch: LaunchContext,
    actor: Actor,
    translator: Translator,
    picks: SeriesPick[],
  ): Promise<BringResult> {
    if (picks.length === 0) throw errors.badRequest('Tick at least one meeting to bring over.');
    const offer = await this.requireOffer(course, launch);
    const series = new Map((await nextTermRepo.seriesOf(this.options.db, offer.from)).map((m) => [m.id, m]));
    const requests = picks.map((pick) => {
      const meeting = series.get(pick.meetingId);
      if (!meeting) throw errors.notFound('That meeting is not one of the earlier course’s.');
      return { meeting, request: requestOf(course, meeting, pick) };
    });
    const result: BringResult = { brought: [], refused: [] };
    for (const { meeting, request } of requests) {
      try {
        const outcome = await this.options.meetings.schedule(course, actor, request, {
          copiedFromMeetingId: meeting.id,
        });
        result.brought.push(outcome.meeting);
      } catch (error) {
        const refusal = refusalOf(error, translator);
        if (!refusal) throw error;
        result.refused.push({ meetingId: meeting.id, topic: meeting.topic, lines: refusal.lines });
      }
    }
    if (result.refused.length === 0) await nextTermRepo.closeOffer(this.options.db, course, 'done');
    return result;
  }

  /** "No thanks": the offer is not shown again. */
  async dismiss(course: CourseKey, launch: LaunchContext): Promise<void> {
    await this.requireOffer(course, launch);
    await nextTermRepo.closeOffer(this.options.db, course, 'dismissed');
  }

  private async requireOffer(course: CourseKey, launch: LaunchContext) {
    const offer = await this.offerOf(course, launch);
    if (offer?.state !== 'offered')
      throw errors.notFound('This course has no earlier meetings to bring over.');
    return offer;
  }
}

const titleOf = (course: CourseRow) => course.title || course.contextId;

/** How many times a series ran (or was to run): Zoom's count, else its occurrences, at most Zoom's 50. */
function countOf(meeting: MeetingRow): number | undefined {
  if (!meeting.recurrence) return undefined;
  return Math.min(MAX_OCCURRENCES, Math.max(1, meeting.recurrence.end_times ?? MAX_OCCURRENCES));
}

/**
 * The same weekday (and wall time, in the meeting's zone) in the week of `now`, or the week after
 * when that day has passed: last term's Monday 9:00 class is offered for this (or next) Monday.
 */
export function suggestedDate(meeting: Pick<MeetingRow, 'startTime' | 'timeZone'>, now: number): string {
  const first = DateTime.fromJSDate(meeting.startTime, { zone: meeting.timeZone });
  const today = DateTime.fromMillis(now, { zone: meeting.timeZone });
  let day = today.startOf('week').plus({ days: first.weekday - 1 });
  const start = day.set({ hour: first.hour, minute: first.minute });
  if (start.toMillis() <= now) day = day.plus({ weeks: 1 });
  return day.toFormat('yyyy-MM-dd');
}

function choiceOf(meeting: MeetingRow, viewer: Viewer): SeriesChoice {
  const details = { ...meeting, occurrences: [], recordings: [] } as unknown as MeetingWithDetails;
  const { locale } = viewer.translator;
  return {
    id: meeting.id,
    topic: meeting.topic,
    pattern: recurrenceText(details, viewer) ?? formatInstant(meeting.startTime, meeting.timeZone, locale),
    durationMinutes: meeting.durationMinutes,
    timeZone: meeting.timeZone,
    recurring: meeting.recurrence !== null,
    date: suggestedDate(meeting, viewer.now),
    time: formParts(meeting.startTime, meeting.timeZone).time,
    count: countOf(meeting),
  };
}

/** The request that schedules a copy: the earlier meeting's settings, its wall time on the new date. */
export function requestOf(course: CourseKey, meeting: MeetingRow, pick: SeriesPick): MeetingRequest {
  const { time } = formParts(meeting.startTime, meeting.timeZone);
  const start = wallTime(pick.date, time, meeting.timeZone);
  if (!start.isValid) throw errors.badRequest('That date has no such time in the meeting’s time zone.');
  let recurrence: MeetingRecurrence | undefined;
  if (meeting.recurrence) {
    const { end_date_time: _end, end_times: _times, ...rule } = meeting.recurrence;
    recurrence = { ...rule, end_times: pick.count ?? countOf(meeting) };
    if (rule.type === 3) recurrence.monthly_day = start.day;
  }
  return {
    intent: intentOf(course, meeting.id),
    topic: meeting.topic,
    start: start.toJSDate(),
    durationMinutes: meeting.durationMinutes,
    timeZone: meeting.timeZone,
    recurrence,
    // A new meeting gets its own passcode from Zoom: last term's is not carried over.
    passcode: undefined,
    settings: { ...meeting.settings, alternativeHosts: [...meeting.settings.alternativeHosts] },
  };
}

/** One copy per earlier meeting and course: a repeated submit finds the copy already made. */
function intentOf(course: CourseKey, meetingId: string): string {
  const digest = crypto
    .createHash('sha256')
    .update(`${course.schoolId}|${course.lmsIssuer}|${course.contextId}|${meetingId}`)
    .digest('base64url');
  return `copy-${digest.slice(0, 40)}`;
}
