import crypto from 'node:crypto';
import icalGenerator, { ICalCalendarMethod } from 'ical-generator';
import { DateTime } from 'luxon';
import { timingSafeEqualText } from '../shared/crypto';
import { calendarZoneName, vtimezone } from './meetings.ics-zones';
import type { CourseKey, CourseRow, MeetingWithDetails } from './meetings.repo';

/**
 * The course's calendar feed (RFC 5545, through ical-generator): every upcoming occurrence of every
 * live meeting, each in its own time zone (with its VTIMEZONE, `meetings.ics-zones.ts`), and the join link. The URL is
 * signed over the course and its feed version, so an instructor rotates it by bumping the version.
 */

/** `/calendar/<course ref>/<signature>.ics`: the course is named in the ref, the signature proves it. */
export function feedPath(key: Buffer, course: CourseRow): string {
  const ref = Buffer.from(JSON.stringify([course.schoolId, course.lmsIssuer, course.contextId])).toString(
    'base64url',
  );
  return `/calendar/${ref}/${signature(key, course)}.ics`;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/i;

/** The course a feed URL names, if its ref decodes (the signature is checked against the course's row). */
export function courseOfRef(ref: string): CourseKey | undefined {
  try {
    const parsed = JSON.parse(Buffer.from(ref, 'base64url').toString('utf8')) as unknown;
    if (!Array.isArray(parsed) || parsed.length !== 3 || !parsed.every((part) => typeof part === 'string'))
      return undefined;
    const [schoolId, lmsIssuer, contextId] = parsed as [string, string, string];
    // A school is a UUID: anything else names no course (and must not reach a uuid column).
    if (!UUID.test(schoolId)) return undefined;
    return { schoolId, lmsIssuer, contextId };
  } catch {
    return undefined;
  }
}

export function signatureMatches(key: Buffer, course: CourseRow, given: string): boolean {
  return timingSafeEqualText(given, signature(key, course));
}

function signature(key: Buffer, course: CourseRow): string {
  return crypto
    .createHmac('sha256', key)
    .update(`${course.schoolId}\n${course.lmsIssuer}\n${course.contextId}\n${course.feedVersion}`)
    .digest('base64url');
}

export function courseCalendar(course: CourseRow, meetings: MeetingWithDetails[], publicUrl: string): string {
  const events = meetings.flatMap(eventsOf);
  // Each zone's VTIMEZONE covers its events' span (written from the runtime's zone data).
  const spans = new Map<string, { zone: string; from: Date; to: Date }>();
  for (const { zone, event } of events) {
    const span = spans.get(event.timezone);
    const start = event.start.toJSDate();
    const end = event.end.toJSDate();
    if (!span) spans.set(event.timezone, { zone, from: start, to: end });
    else {
      if (start < span.from) span.from = start;
      if (end > span.to) span.to = end;
    }
  }
  const calendar = icalGenerator({
    name: course.title || 'Class meetings',
    prodId: { company: 'zoom-lti', product: 'class-meetings', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 60 * 60,
    url: publicUrl,
    timezone: {
      name: null,
      generator: (tzid) => {
        const span = spans.get(tzid);
        return span ? vtimezone(tzid, span.zone, span.from, span.to) : null;
      },
    },
  });
  for (const { event } of events) calendar.createEvent(event);
  // RFC 5545 §3.4: the stream ends with CRLF after END:VCALENDAR (ical-generator leaves it out).
  return `${calendar.toString()}\r\n`;
}

/**
 * One event per upcoming occurrence of a live meeting, at its wall time in the meeting's zone (named
 * as calendar apps know it). SEQUENCE is the meeting's version, which every change of the row or its
 * occurrences bumps, so a calendar app takes a moved occurrence instead of keeping the old time;
 * DTSTAMP and LAST-MODIFIED are that change's time.
 */
function eventsOf(meeting: MeetingWithDetails) {
  if (meeting.state === 'creating' || meeting.state === 'deleted' || meeting.state === 'failed') return [];
  const occurrences = meeting.recurrence
    ? meeting.occurrences
        .filter((o) => o.status === 'available')
        .map((o) => ({ id: o.occurrenceId, start: o.startTime, minutes: o.durationMinutes }))
    : [{ id: 'single', start: meeting.startTime, minutes: meeting.durationMinutes }];
  const tzid = calendarZoneName(meeting.timeZone);
  return occurrences.map((occurrence) => {
    // ical-generator writes a JS Date's wall time in the process's own zone beside the TZID: a
    // luxon DateTime in the meeting's zone is written as that zone's wall time (09:00 New York).
    const start = DateTime.fromJSDate(occurrence.start, { zone: meeting.timeZone });
    return {
      zone: meeting.timeZone,
      event: {
        id: `${meeting.id}-${occurrence.id}@zoom-lti`,
        sequence: meeting.version,
        stamp: meeting.updatedAt,
        lastModified: meeting.updatedAt,
        start,
        end: start.plus({ minutes: occurrence.minutes }),
        timezone: tzid,
        summary: meeting.topic,
        description: meeting.joinUrl ? `Join: ${meeting.joinUrl}` : undefined,
        location: meeting.joinUrl ?? undefined,
        url: meeting.joinUrl ?? undefined,
      },
    };
  });
}
