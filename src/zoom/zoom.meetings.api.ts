import { z } from 'zod';
import { zoomNoContentSchema } from './zoom.api.schema';
import type { ZoomAccountApi, ZoomCallOptions } from './zoom.client';

/**
 * Zoom's meeting endpoints (ZOOM-NOTES "Meetings", "Recordings"), over a connection's client.
 * Create and update count against the host's 100 requests a day (`dailyLimitUser`); create is
 * Medium, the rest Light. A create is a POST: never repeated by the client after an ambiguous
 * failure (the caller looks for the meeting on the host first).
 */

/** Zoom's meeting id is a 9–11 digit number (the OpenAPI file says string: both are accepted). */
const meetingNumber = z.union([z.number(), z.string()]).transform(String);

export const zoomOccurrenceSchema = z.looseObject({
  occurrence_id: z.union([z.string(), z.number()]).transform(String),
  start_time: z.string(),
  duration: z.number().int(),
  status: z.string().optional(),
});

export const zoomRecurrenceSchema = z.looseObject({
  type: z.union([z.literal(1), z.literal(2), z.literal(3)]),
  repeat_interval: z.number().int().optional(),
  weekly_days: z.string().optional(),
  monthly_day: z.number().int().optional(),
  end_times: z.number().int().optional(),
  end_date_time: z.string().optional(),
});

export const zoomMeetingSchema = z.looseObject({
  id: meetingNumber,
  uuid: z.string(),
  host_id: z.string(),
  topic: z.string(),
  type: z.number().int(),
  status: z.string().optional(),
  start_time: z.string().optional(),
  duration: z.number().int().optional(),
  timezone: z.string().optional(),
  join_url: z.string(),
  start_url: z.string().optional(),
  password: z.string().optional(),
  occurrences: z.array(zoomOccurrenceSchema).optional(),
  recurrence: zoomRecurrenceSchema.optional(),
  settings: z
    .looseObject({
      waiting_room: z.boolean().optional(),
      join_before_host: z.boolean().optional(),
      auto_recording: z.string().optional(),
      alternative_hosts: z.string().optional(),
      approval_type: z.number().int().optional(),
    })
    .optional(),
});
export type ZoomMeeting = z.infer<typeof zoomMeetingSchema>;

export const zoomMeetingListSchema = z.looseObject({
  next_page_token: z.string().optional(),
  meetings: z.array(
    z.looseObject({
      id: meetingNumber,
      uuid: z.string(),
      host_id: z.string(),
      topic: z.string(),
      type: z.number().int(),
      start_time: z.string().optional(),
      duration: z.number().int().optional(),
      timezone: z.string().optional(),
      created_at: z.string().optional(),
      join_url: z.string(),
    }),
  ),
});
export type ZoomMeetingListItem = z.infer<typeof zoomMeetingListSchema>['meetings'][number];

export const zoomRecordingSchema = z.looseObject({
  uuid: z.string(),
  id: meetingNumber,
  start_time: z.string().optional(),
  share_url: z.string().optional(),
  recording_files: z
    .array(z.looseObject({ id: z.string().optional(), play_url: z.string().optional() }))
    .optional(),
});
export type ZoomRecording = z.infer<typeof zoomRecordingSchema>;

/** The body of a meeting create or update (only what the tool sets). */
export interface ZoomMeetingInput {
  topic?: string;
  type?: 2 | 8;
  /** Local wall time `yyyy-MM-ddTHH:mm:ss` in `timezone` (Zoom keeps recurrences on local time). */
  start_time?: string;
  duration?: number;
  timezone?: string;
  password?: string;
  recurrence?: {
    type: 1 | 2 | 3;
    repeat_interval?: number;
    weekly_days?: string;
    monthly_day?: number;
    end_times?: number;
    end_date_time?: string;
  };
  settings?: {
    waiting_room?: boolean;
    join_before_host?: boolean;
    auto_recording?: 'cloud' | 'none';
    alternative_hosts?: string;
    /** Registration (attendance): 0 automatic approval, 2 none (Zoom's default). */
    approval_type?: 0 | 2;
    /** 1: one registration covers every occurrence of a series. */
    registration_type?: 1;
    registrants_confirmation_email?: boolean;
    registrants_email_notification?: boolean;
  };
}

/**
 * Meeting endpoints. A create or update counts toward the host's daily limit at each send Zoom may
 * count: `options.beforeRetry` hears of every retry (zoom.client.ts).
 */
export interface ZoomMeetingsApi {
  create(hostId: string, input: ZoomMeetingInput, options?: ZoomCallOptions): Promise<ZoomMeeting>;
  get(meetingId: string): Promise<ZoomMeeting>;
  update(
    meetingId: string,
    hostId: string,
    input: ZoomMeetingInput,
    options?: ZoomCallOptions & { occurrenceId?: string },
  ): Promise<void>;
  delete(meetingId: string, occurrenceId?: string): Promise<void>;
  /** One page of a host's meetings (`scheduled` by default); `nextPageToken` '' or absent = last page. */
  list(hostId: string, pageToken?: string): Promise<z.infer<typeof zoomMeetingListSchema>>;
  recordings(meetingId: string): Promise<ZoomRecording>;
}

export function zoomMeetings(api: ZoomAccountApi): ZoomMeetingsApi {
  return {
    create: (hostId, input, options = {}) =>
      api.request({
        method: 'POST',
        path: '/users/{userId}/meetings',
        pathParams: { userId: hostId },
        body: input,
        category: 'medium',
        schema: zoomMeetingSchema,
        dailyLimitUser: hostId,
        beforeRetry: options.beforeRetry,
      }),
    get: (meetingId) =>
      api.request({
        method: 'GET',
        path: '/meetings/{meetingId}',
        pathParams: { meetingId },
        query: { show_previous_occurrences: 'true' },
        category: 'light',
        schema: zoomMeetingSchema,
      }),
    update: async (meetingId, hostId, input, options = {}) => {
      await api.request({
        method: 'PATCH',
        path: '/meetings/{meetingId}',
        pathParams: { meetingId },
        query: { occurrence_id: options.occurrenceId },
        body: input,
        category: 'light',
        schema: zoomNoContentSchema,
        dailyLimitUser: hostId,
        // The same PATCH twice leaves the same meeting: safe to repeat after an ambiguous failure.
        idempotent: true,
        beforeRetry: options.beforeRetry,
      });
    },
    delete: async (meetingId, occurrenceId) => {
      await api.request({
        method: 'DELETE',
        path: '/meetings/{meetingId}',
        pathParams: { meetingId },
        query: { occurrence_id: occurrenceId },
        category: 'light',
        schema: zoomNoContentSchema,
      });
    },
    list: (hostId, pageToken) =>
      api.request({
        method: 'GET',
        path: '/users/{userId}/meetings',
        pathParams: { userId: hostId },
        query: { type: 'scheduled', page_size: 300, next_page_token: pageToken || undefined },
        category: 'medium',
        schema: zoomMeetingListSchema,
      }),
    recordings: (meetingId) =>
      api.request({
        method: 'GET',
        path: '/meetings/{meetingId}/recordings',
        pathParams: { meetingId },
        category: 'light',
        schema: zoomRecordingSchema,
      }),
  };
}
