import { z } from 'zod';
import type { Viewer } from './meetings.presenter';
import type { CourseKey } from './meetings.repo';
import type { MeetingsService, Outcome } from './meetings.service';
import { formatInstant, nextUtcMidnight } from './meetings.time';

/**
 * The notice a course page shows after a change, carried in its query (`?notice=…&m=<meeting>
 * &usage=<count>`) across the redirect: which change, the meeting's topic (read in this course
 * only) and, from the 80th change of the day, how many Zoom still allows.
 */

/** The query of the page a change redirects to. */
export const noticeParams = (outcome: Outcome, notice: string) => ({
  notice: outcome.pending ? 'pending' : notice,
  m: outcome.meeting.id,
  usage: outcome.usage ? String(outcome.usage.count) : undefined,
});

const noticeQuery = z.object({
  notice: z
    .enum([
      'scheduled',
      'updated',
      'deleted',
      'occurrenceDeleted',
      'recordings',
      'feedRotated',
      'pending',
      'pendingPick',
    ])
    .optional(),
  m: z.string().optional(),
  usage: z.coerce.number().int().min(1).max(1000).optional(),
});

/** The notice after a change (`?notice=…&m=<meeting>&usage=<count>`), in the viewer's language. */
export async function noticeText(
  meetings: Pick<MeetingsService, 'topicOf'>,
  rawQuery: unknown,
  course: CourseKey,
  viewer: Viewer & { userId: string },
): Promise<string[]> {
  const query = noticeQuery.safeParse(rawQuery);
  if (!query.success || !query.data.notice) return [];
  const { t } = viewer.translator;
  const meeting = query.data.m ? await meetings.topicOf(course, query.data.m) : undefined;
  const lines = [t(`meetings.notices.${query.data.notice}`, { topic: meeting?.topic ?? '' })];
  if (query.data.usage && query.data.usage >= 80) {
    // The count is the host's (Zoom counts per host): a co-instructor reads whose it is.
    const ofOther = meeting && meeting.hostLmsUserId !== viewer.userId && meeting.hostName;
    lines.push(
      t(ofOther ? 'meetings.notices.usageWarningOfHost' : 'meetings.notices.usageWarning', {
        host: meeting?.hostName,
        count: query.data.usage,
        reset: formatInstant(nextUtcMidnight(viewer.now), viewer.timeZone, viewer.translator.locale),
      }),
    );
  }
  return lines;
}
