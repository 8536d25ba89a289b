import crypto from 'node:crypto';
import { getVtimezoneComponent } from '@touch4it/ical-timezones';
import icalGenerator, { ICalCalendarMethod } from 'ical-generator';
import { DateTime } from 'luxon';
import { timingSafeEqualText } from '../shared/crypto';
import type { CourseKey, CourseRow, MeetingWithDetails } from './meetings.repo';

/**
 * The course's calendar feed (RFC 5545, through ical-generator): every upcoming occurrence of every
 * live meeting, each in its own time zone (with its VTIMEZONE), and the join link. The URL is
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
  const calendar = icalGenerator({
    name: course.title || 'Class meetings',
    prodId: { company: 'zoom-lti', product: 'class-meetings', language: 'EN' },
    method: ICalCalendarMethod.PUBLISH,
    ttl: 60 * 60,
    url: publicUrl,
    timezone: { name: null, generator: getVtimezoneComponent },
  });
  for (const meeting of meetings) {
    if (meeting.state === 'creating' || meeting.state === 'deleted') continue;
    const occurrences = meeting.recurrence
      ? meeting.occurrences
          .filter((o) => o.status === 'available')
          .map((o) => ({ id: o.occurrenceId, start: o.startTime, minutes: o.durationMinutes }))
      : [{ id: 'single', start: meeting.startTime, minutes: meeting.durationMinutes }];
    for (const occurrence of occurrences) {
      // ical-generator writes a JS Date's wall time in the process's own zone beside the TZID: a
      // luxon DateTime in the meeting's zone is written as that zone's wall time (09:00 New York).
      const start = DateTime.fromJSDate(occurrence.start, { zone: meeting.timeZone });
      calendar.createEvent({
        id: `${meeting.id}-${occurrence.id}@zoom-lti`,
        start,
        end: start.plus({ minutes: occurrence.minutes }),
        timezone: meeting.timeZone,
        summary: meeting.topic,
        description: meeting.joinUrl ? `Join: ${meeting.joinUrl}` : undefined,
        location: meeting.joinUrl ?? undefined,
        url: meeting.joinUrl ?? undefined,
      });
    }
  }
  // RFC 5545 §3.4: the stream ends with CRLF after END:VCALENDAR (ical-generator leaves it out).
  return `${calendar.toString()}\r\n`;
}
