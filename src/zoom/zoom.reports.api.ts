import { z } from 'zod';
import type { ZoomAccountApi } from './zoom.client';

/**
 * Zoom's past meeting participants report (ZOOM-NOTES "Recordings and attendance"):
 * `GET /report/meetings/{uuid}/participants`, paid accounts with `report:read:admin`, Heavy, at most
 * 300 a page. Zoom answers it empty (or not found) while it is still processing the meeting. Only
 * who and when is kept: IP, device, location and attentiveness are dropped at parse.
 */

const zoomInstant = z.iso.datetime({ offset: true }).transform((value) => new Date(value));
/** Zoom's empty strings ('' for a guest's email or a signed-out participant's `id`) are absent values. */
const optionalText = z
  .union([z.string(), z.number()])
  .optional()
  .nullable()
  .transform((value) => (value === undefined || value === null || value === '' ? null : String(value)));

const reportParticipantSchema = z
  .looseObject({
    /** The signed-in Zoom user, if any. */
    id: optionalText,
    /** The participant's id in this meeting (one per session, as the webhooks' `user_id`). */
    user_id: optionalText,
    name: z.string().max(512).optional(),
    user_email: optionalText,
    registrant_id: optionalText,
    participant_user_id: optionalText,
    join_time: zoomInstant,
    leave_time: zoomInstant,
  })
  .transform((p) => ({
    zoomAccountUserId: p.id,
    zoomUserId: p.user_id,
    displayName: p.name ?? '',
    email: p.user_email,
    registrantId: p.registrant_id,
    joinedAt: p.join_time,
    leftAt: p.leave_time,
  }));
export type ZoomReportParticipant = z.output<typeof reportParticipantSchema>;

const reportPageSchema = z.looseObject({
  next_page_token: z.string().optional(),
  participants: z.array(reportParticipantSchema).default([]),
});

/** A meeting instance's UUID as a path segment: one that starts with '/' or has '//' is encoded twice. */
export function instancePathValue(uuid: string): string {
  return uuid.startsWith('/') || uuid.includes('//') ? encodeURIComponent(uuid) : uuid;
}

const pastInstancesSchema = z.looseObject({
  meetings: z
    .array(z.looseObject({ uuid: z.string().min(1).max(256), start_time: zoomInstant.optional() }))
    .default([]),
});
export interface ZoomPastInstance {
  uuid: string;
  startedAt: Date | null;
}

export interface ZoomReportsApi {
  /** Every participant session of an ended instance (all pages); empty while Zoom still processes it. */
  meetingParticipants(instanceUuid: string): Promise<ZoomReportParticipant[]>;
  /** A meeting's ended instances (`GET /past_meetings/{meetingId}/instances`, Medium; no end time given). */
  pastInstances(meetingId: string): Promise<ZoomPastInstance[]>;
}

const MAX_PAGES = 100;

export function zoomReports(api: ZoomAccountApi): ZoomReportsApi {
  return {
    async meetingParticipants(instanceUuid) {
      const all: ZoomReportParticipant[] = [];
      let token: string | undefined;
      for (let page = 0; page < MAX_PAGES; page += 1) {
        const answer = await api.request({
          method: 'GET',
          path: '/report/meetings/{meetingId}/participants',
          pathParams: { meetingId: instancePathValue(instanceUuid) },
          query: { page_size: 300, next_page_token: token },
          category: 'heavy',
          schema: reportPageSchema,
        });
        all.push(...answer.participants);
        token = answer.next_page_token || undefined;
        if (!token) break;
      }
      return all;
    },
    async pastInstances(meetingId) {
      const answer = await api.request({
        method: 'GET',
        path: '/past_meetings/{meetingId}/instances',
        pathParams: { meetingId },
        category: 'medium',
        schema: pastInstancesSchema,
      });
      return answer.meetings.map((m) => ({ uuid: m.uuid, startedAt: m.start_time ?? null }));
    },
  };
}
