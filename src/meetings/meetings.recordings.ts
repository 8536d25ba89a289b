import { z } from 'zod';

/**
 * The link students follow to a class's recording. With the account's "Require passcode to access
 * shared cloud recordings" on (Zoom's default), Zoom's `share_url` opens a passcode prompt students
 * cannot answer: they were never told the passcode. Zoom's recording object carries it twice: the
 * passcode itself (`password`) and an encoded form made for links (`recording_play_passcode`,
 * "splice it into play_url or share_url with ?pwd="). The stored link is Zoom's `share_url` with
 * that passcode embedded, which opens the recording directly; without a passcode, `share_url` as
 * it is (or the first file's `play_url` when Zoom gave no share link). Only http(s) links are kept.
 */
const recordingLinks = z.looseObject({
  share_url: z.string().optional(),
  recording_play_passcode: z.string().optional(),
  recording_files: z.array(z.looseObject({ play_url: z.string().optional() })).optional(),
});

/** The link to keep for students, or undefined when Zoom's object names none. */
export function recordingLink(object: unknown): string | undefined {
  const parsed = recordingLinks.safeParse(object);
  if (!parsed.success) return undefined;
  const { share_url: shareUrl, recording_play_passcode: playPasscode, recording_files: files } = parsed.data;
  const url = shareUrl ?? files?.find((file) => file.play_url)?.play_url;
  const link = url ? webLink(url) : undefined;
  if (!link) return undefined;
  if (playPasscode) link.searchParams.set('pwd', playPasscode);
  return link.toString();
}

/** Only an http(s) URL becomes a link students click. */
function webLink(url: string): URL | undefined {
  try {
    const link = new URL(url);
    return link.protocol === 'https:' || link.protocol === 'http:' ? link : undefined;
  } catch {
    return undefined;
  }
}

/**
 * A recording's name in our links (`/lti/recordings/:meetingId/:key/watch`): Zoom's instance UUID
 * (which may hold `/`, `+` and `=`) as base64url.
 */
export function recordingKey(zoomUuid: string): string {
  return Buffer.from(zoomUuid, 'utf8').toString('base64url');
}

/** The instance UUID a key names, or undefined for what no key of ours looks like. */
export function zoomUuidOfKey(key: string): string | undefined {
  if (!/^[A-Za-z0-9_-]{1,400}$/.test(key)) return undefined;
  const uuid = Buffer.from(key, 'base64url').toString('utf8');
  return uuid.length > 0 && recordingKey(uuid) === key ? uuid : undefined;
}

/** The path (under /lti, behind the launch) by which a recording is watched. */
export function watchPath(meetingId: string, zoomUuid: string): string {
  return `/recordings/${encodeURIComponent(meetingId)}/${recordingKey(zoomUuid)}/watch`;
}
