import { z } from 'zod';
import { zoomNoContentSchema } from './zoom.api.schema';
import type { ZoomAccountApi } from './zoom.client';
import { zoomRecordingSchema, type ZoomRecording } from './zoom.meetings.api';
import { instancePathValue } from './zoom.reports.api';

/**
 * A cloud recording's sharing (ZOOM-NOTES "Recordings and attendance"): `PATCH
 * /meetings/{meetingId}/recordings/settings` turns its share link on or off (`share_recording`
 * publicly | internally | none) and sets its passcode (`password`: a new one makes every link that
 * carries the old `?pwd=` ask again); `GET /meetings/{meetingId}/recordings` reads its current
 * share link and play passcode. Both address one instance by its UUID (encoded twice when it
 * starts with `/` or holds `//`). Scopes: `recording:write:admin` (granular
 * `cloud_recording:update:recording_settings:admin`) and `recording:read:admin`.
 */
export interface ZoomRecordingSharing {
  share_recording: 'publicly' | 'internally' | 'none';
  /** Zoom's rule: at most 10 characters, letters, digits and `@ - _ *`. */
  password: string;
  viewer_download?: boolean;
  on_demand?: boolean;
}

const recordingWithPasscode = zoomRecordingSchema.extend({
  recording_play_passcode: z.string().optional(),
  password: z.string().optional(),
});
export type ZoomRecordingLinks = ZoomRecording & z.infer<typeof recordingWithPasscode>;

export interface ZoomRecordingsApi {
  /** Sharing on or off and a new passcode for one recorded instance (idempotent: safe to repeat). */
  updateSharing(instanceUuid: string, sharing: ZoomRecordingSharing): Promise<void>;
  /** The instance's recording as Zoom has it now: its share link and play passcode. */
  recording(instanceUuid: string): Promise<ZoomRecordingLinks>;
}

export function zoomRecordings(api: ZoomAccountApi): ZoomRecordingsApi {
  return {
    async updateSharing(instanceUuid, sharing) {
      await api.request({
        method: 'PATCH',
        path: '/meetings/{meetingId}/recordings/settings',
        pathParams: { meetingId: instancePathValue(instanceUuid) },
        body: sharing,
        category: 'light',
        schema: zoomNoContentSchema,
        idempotent: true,
      });
    },
    recording: (instanceUuid) =>
      api.request({
        method: 'GET',
        path: '/meetings/{meetingId}/recordings',
        pathParams: { meetingId: instancePathValue(instanceUuid) },
        category: 'light',
        schema: recordingWithPasscode,
      }),
  };
}
