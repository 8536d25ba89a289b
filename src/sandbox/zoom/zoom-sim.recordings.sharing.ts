import crypto from 'node:crypto';
import { z } from 'zod';

/**
 * How a cloud recording is shared, per instance, as Zoom's recording settings
 * (`GET/PATCH /meetings/{meetingId}/recordings/settings`, `RecordingSettings` in openapi.v2.json).
 * `share_recording` 'none' turns its share and play links off ("This recording does not exist");
 * a new `password` rotates the passcode, and with it `recording_play_passcode`, so a link that
 * carries the old one as `?pwd=` asks for the passcode again. An empty `password` removes it.
 */
export interface RecordingPasscode {
  /** What a viewer types at the share page's prompt. */
  password: string;
  /** The same passcode encoded for links (`recording_play_passcode`, given as `?pwd=`). */
  play: string;
}

export interface RecordingSharingSettings {
  share_recording: 'publicly' | 'internally' | 'none';
  viewer_download: boolean;
  on_demand: boolean;
  approval_type: 0 | 1 | 2;
  send_email_to_host: boolean;
  show_social_share_buttons: boolean;
}

/** Zoom's passcode rule for recordings: at most 10 characters, letters, digits and `@ - _ *`. */
const passcode = z
  .string()
  .max(10, 'Password can only have a maximum of 10 characters.')
  .regex(/^[A-Za-z0-9@_*-]*$/, 'Password can only contain the following characters: [a-z A-Z 0-9 @ - _ *].');

export const recordingSettingsUpdateSchema = z.object({
  share_recording: z.enum(['publicly', 'internally', 'none']).optional(),
  viewer_download: z.boolean().optional(),
  password: passcode.optional(),
  on_demand: z.boolean().optional(),
  approval_type: z.union([z.literal(0), z.literal(1), z.literal(2)]).optional(),
  send_email_to_host: z.boolean().optional(),
  show_social_share_buttons: z.boolean().optional(),
});
export type RecordingSettingsUpdate = z.infer<typeof recordingSettingsUpdateSchema>;

const ALPHABET = 'abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789';

/** The passcode Zoom gives a new recording (deterministic per instance, so runs repeat). */
export function initialPassword(instanceUuid: string): string {
  const digest = crypto.createHash('sha256').update(`${instanceUuid}:password`).digest();
  return [...digest.subarray(0, 8)].map((b) => ALPHABET[b % ALPHABET.length]).join('');
}

/** The link form of a passcode: a new passcode gives a new one. */
function playPasscode(instanceUuid: string, password: string): string {
  return crypto
    .createHash('sha256')
    .update(`${instanceUuid}:play:${password}`)
    .digest('base64url')
    .slice(0, 32);
}

interface Entry {
  settings: RecordingSharingSettings;
  passcode: RecordingPasscode | undefined;
}

/** Each recorded instance's sharing, by instance UUID. */
export class RecordingSharing {
  private readonly entries = new Map<string, Entry>();

  /** A new recording: shared publicly, with a passcode when the account requires one. */
  create(instanceUuid: string, withPasscode: boolean): void {
    const password = initialPassword(instanceUuid);
    this.entries.set(instanceUuid, {
      settings: {
        share_recording: 'publicly',
        viewer_download: true,
        on_demand: false,
        approval_type: 2,
        send_email_to_host: false,
        show_social_share_buttons: false,
      },
      passcode: withPasscode ? { password, play: playPasscode(instanceUuid, password) } : undefined,
    });
  }

  passcode(instanceUuid: string): RecordingPasscode | undefined {
    return this.entries.get(instanceUuid)?.passcode;
  }

  /** How it is shared (a recording from before sharing was modelled: publicly). */
  shareMode(instanceUuid: string): RecordingSharingSettings['share_recording'] {
    return this.entries.get(instanceUuid)?.settings.share_recording ?? 'publicly';
  }

  /** The settings as `GET .../recordings/settings` answers them. */
  settings(instanceUuid: string): Record<string, unknown> {
    const entry = this.entryOf(instanceUuid);
    return { ...entry.settings, password: entry.passcode?.password ?? '' };
  }

  update(instanceUuid: string, update: RecordingSettingsUpdate): void {
    const entry = this.entryOf(instanceUuid);
    const { password, ...settings } = update;
    entry.settings = { ...entry.settings, ...settings };
    if (password !== undefined)
      entry.passcode = password === '' ? undefined : { password, play: playPasscode(instanceUuid, password) };
  }

  private entryOf(instanceUuid: string): Entry {
    let entry = this.entries.get(instanceUuid);
    if (!entry) {
      this.create(instanceUuid, false);
      entry = this.entries.get(instanceUuid)!;
    }
    return entry;
  }
}
