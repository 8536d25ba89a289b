import request from 'supertest';
import { sql } from 'drizzle-orm';
import { databaseKinds } from '../../support/db';
import {
  connectWebhooks,
  coursePage,
  meetingItem,
  meetingRow,
  rows,
  settleJobs,
} from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness, type Page } from '../../support/meetings-harness';

/**
 * Issue 17, item 20 (c): with Zoom's "Require passcode to access shared cloud recordings" on (its
 * default), a recording's `share_url` asks for a passcode students were never told. The link the
 * course page gives students opens the recording itself: Zoom's share link with the recording's
 * passcode embedded, as Zoom provides it (`recording_play_passcode` as `?pwd=`).
 */
describe.each(databaseKinds('one'))('recordings behind a passcode (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let hooks: Awaited<ReturnType<typeof connectWebhooks>>;
  let instructor: Page;
  let student: Page;
  let accountId: string;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    hooks = await connectWebhooks(h);
    instructor = await h.page(h.lms.users.instructor.id);
    student = await h.page(h.lms.users.learner.id);
    accountId = String((await h.connectionRow())?.zoom_account_id);
  });
  afterAll(() => h.close());

  /** A class recorded in Zoom and shown to students; what Zoom's webhook said of the recording. */
  const recordedClass = async (topic: string) => {
    const { response, id } = await h.schedule(instructor, { topic });
    expect(response.status).toBe(303);
    await settleJobs(h);
    h.zoom.endMeeting(String((await meetingRow(h, id)).zoom_meeting_id), {
      participants: 3,
      recording: true,
    });
    await h.zoom.flushWebhooks();
    await settleJobs(h);
    expect((await h.post(instructor, `/meetings/${id}/recordings`, { show: 'on' })).status).toBe(303);
    const object = JSON.parse(hooks.last('recording.completed').body).payload.object as {
      uuid: string;
      share_url: string;
      password?: string;
      recording_play_passcode?: string;
    };
    return { id, object };
  };
  /**
   * Where the student's course page sends them for the recording Zoom shared at `shareUrl`: the page
   * links to our watch link only (never Zoom's URL), which answers a 303 to Zoom's link.
   */
  const studentLink = async (id: string, shareUrl: string, uuid: string) => {
    const key = Buffer.from(uuid).toString('base64url');
    const page = await coursePage(h, student);
    expect(meetingItem(page, id)).toBeTruthy();
    expect(page).not.toContain(shareUrl);
    const href = new RegExp(`href="(/lti/recordings/${id}/${key}/watch\\?ltik=[^"]+)"`).exec(page)?.[1];
    if (!href) throw new Error(`the student's page has no watch link for ${id}`);
    const watched = await request(h.app).get(href.replace(/&amp;/g, '&')).accept('html');
    expect(watched.status).toBe(303);
    return String(watched.headers.location);
  };
  /** What a student's browser gets when it follows the link (the simulator's share page). */
  const follow = async (href: string) => {
    const link = new URL(href);
    return (await request(h.zoom.app).get(`${link.pathname}${link.search}`)).text;
  };

  it('a student’s link opens a recording that has a passcode, with no prompt', async () => {
    const { id, object } = await recordedClass('Recorded behind a passcode');
    expect(object.recording_play_passcode).toBeTruthy();
    expect(await follow(object.share_url)).toContain('data-passcode-prompt'); // what students got before
    const href = await studentLink(id, object.share_url, object.uuid);
    expect(href).toBe(`${object.share_url}?pwd=${object.recording_play_passcode}`);
    const page = await follow(href);
    expect(page).toContain('data-recording');
    expect(page).not.toContain('data-passcode-prompt');
    const stored = await rows(h, sql`select play_url from meeting_recordings where meeting_id = ${id}`);
    expect(stored).toEqual([{ play_url: href }]);
  });

  it('without a passcode (the setting off), the link is Zoom’s share link as it is', async () => {
    h.zoom.setAccountSettings(accountId, { recording_passcode: false });
    const { id, object } = await recordedClass('Recorded openly');
    expect(object.recording_play_passcode).toBeUndefined();
    const href = await studentLink(id, object.share_url, object.uuid);
    expect(href).toBe(object.share_url);
    expect(await follow(href)).toContain('data-recording');
    h.zoom.setAccountSettings(accountId, { recording_passcode: true });
  });
});
