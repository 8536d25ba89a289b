import request from 'supertest';
import { sql } from 'drizzle-orm';
import { databaseKinds } from '../../support/db';
import {
  connectWebhooks,
  coursePage,
  meetingRow,
  newIntent,
  rows,
  settleJobs,
} from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness, type Page } from '../../support/meetings-harness';

/**
 * Issue 20, item 5: hiding a recording from students revokes it for anyone who kept its link
 * (unlike mod_zoom #652). Students are served through our own link (`/lti/recordings/:meetingId/
 * :key/watch`, a 303 to Zoom's current link), never Zoom's URL on the page. Hide turns Zoom's sharing
 * of it off and rotates its passcode (a job); Show shares it again with a new passcode and keeps
 * the new link. The simulator refuses a kept link as Zoom does.
 */
describe.each(databaseKinds('both'))('recordings that stay hidden (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let hooks: Awaited<ReturnType<typeof connectWebhooks>>;
  let instructor: Page;
  let student: Page;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    hooks = await connectWebhooks(h);
    instructor = await h.page(h.lms.users.instructor.id);
    student = await h.page(h.lms.users.learner.id);
  });
  afterAll(() => h.close());
  afterEach(() => h.zoom.clearFaults());

  const SETTINGS_PATH = '^/v2/meetings/[^/]+/recordings/settings$';

  /** A class scheduled, its recordings shown to students, held and recorded in Zoom (the webhook delivered). */
  const recordedClass = async (topic: string) => {
    const { response, id } = await h.schedule(instructor, { topic, intent: newIntent() });
    expect(response.status).toBe(303);
    await settleJobs(h);
    expect((await h.post(instructor, `/meetings/${id}/recordings`, { show: 'on' })).status).toBe(303);
    h.zoom.endMeeting(String((await meetingRow(h, id)).zoom_meeting_id), {
      participants: 2,
      recording: true,
    });
    await h.zoom.flushWebhooks();
    const object = JSON.parse(hooks.last('recording.completed').body).payload.object as {
      share_url: string;
      recording_play_passcode: string;
      recording_files: Array<{ play_url: string }>;
    };
    return { id, object };
  };
  /** Our watch link of a meeting's recording on a page (undefined when not listed). */
  const watchLink = (html: string, id: string) =>
    new RegExp(`href="(/lti/recordings/${id}/([A-Za-z0-9_-]+)/watch\\?ltik=[^"]+)"`).exec(html);
  /** What a browser gets at Zoom's URL (the simulator's share or play page). */
  const atZoom = async (href: string) => {
    const link = new URL(href);
    return request(h.zoom.app).get(`${link.pathname}${link.search}`);
  };
  const plays = (page: request.Response) => page.status === 200 && page.text.includes('data-recording=');
  const recordingRow = async (id: string) => {
    const [row] = await rows<{
      hidden: boolean;
      hidden_by: string | null;
      share_state: string;
      share_error: string | null;
      play_url: string;
    }>(
      h,
      sql`select hidden, hidden_by, share_state, share_error, play_url from meeting_recordings where meeting_id = ${id}`,
    );
    if (!row) throw new Error(`no recording of ${id}`);
    return row;
  };
  const visibility = (
    page: Page,
    id: string,
    key: string,
    action: string,
    fields: Record<string, string> = {},
  ) => h.post(page, `/recordings/${id}/${key}/visibility`, { action, ...fields });
  const until = async (done: () => Promise<boolean>, timeoutMs: number) => {
    const end = Date.now() + timeoutMs;
    while (!(await done())) {
      if (Date.now() > end) throw new Error('timed out');
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  };
  /** The student follows our link: the 303 to Zoom's current link. */
  const follow = async (href: string) => {
    const res = await request(h.app).get(href.replace(/&amp;/g, '&')).accept('html');
    return res;
  };

  it('a student who kept a hidden recording’s link cannot play it; after Show our link plays and the kept one still does not', async () => {
    const { id, object } = await recordedClass('Kept link class');
    const page = await coursePage(h, student);
    // The page never shows Zoom's URL to students: only our watch link.
    expect(page).not.toContain(object.share_url);
    expect(page).not.toMatch(/\/rec\/(share|play)\//);
    const ours = watchLink(page, id);
    expect(ours).toBeTruthy();
    const [, href, key] = ours!;
    const first = await follow(href!);
    expect(first.status).toBe(303);
    expect(first.headers['cache-control']).toBe('no-store');
    const kept = String(first.headers.location);
    expect(kept).toBe(`${object.share_url}?pwd=${object.recording_play_passcode}`);
    expect(plays(await atZoom(kept))).toBe(true);

    // Staff hide it: Zoom's sharing turned off and the passcode rotated by the job.
    expect((await visibility(instructor, id, key!, 'hide')).status).toBe(303);
    expect(await recordingRow(id)).toMatchObject({ hidden: true, share_state: 'revoking' });
    await settleJobs(h);
    expect(await recordingRow(id)).toMatchObject({
      hidden: true,
      hidden_by: h.lms.users.instructor.id,
      share_state: 'revoked',
      share_error: null,
    });
    const refused = await atZoom(kept);
    expect(refused.status).toBe(404);
    expect(refused.text).toContain('This recording does not exist.');
    expect(plays(await atZoom(object.recording_files[0]!.play_url))).toBe(false);
    // Our link: a page in words, no redirect; the course page no longer lists it for students.
    const hidden = await follow(href!);
    expect(hidden.status).toBe(403);
    expect(hidden.headers.location).toBeUndefined();
    expect(hidden.text).toContain('Your instructor has hidden this recording');
    expect(watchLink(await coursePage(h, student), id)).toBeNull();
    const staffPage = await coursePage(h, instructor);
    expect(staffPage).toContain('Hidden from students');
    expect(staffPage).toMatch(/data-recording-of="[^"]+"[^>]*data-hidden="true" data-share-state="revoked"/);

    // Shown again: shared with a new passcode, the new link kept; the old kept link still refused.
    expect((await visibility(instructor, id, key!, 'show')).status).toBe(303);
    await settleJobs(h);
    const shown = await recordingRow(id);
    expect(shown).toMatchObject({ hidden: false, share_state: 'shared', share_error: null });
    expect(shown.play_url).not.toBe(kept);
    const again = await follow(watchLink(await coursePage(h, student), id)![1]!);
    expect(again.status).toBe(303);
    expect(String(again.headers.location)).toBe(shown.play_url);
    expect(plays(await atZoom(String(again.headers.location)))).toBe(true);
    const old = await atZoom(kept);
    expect(plays(old)).toBe(false);
    expect(old.text).toContain('data-passcode-prompt');
  });

  it('the meeting’s "show recordings" switch off revokes its recordings too; on again shares them with a new passcode', async () => {
    const { id } = await recordedClass('Switched class');
    const [, href] = watchLink(await coursePage(h, student), id)!;
    const kept = String((await follow(href!)).headers.location);
    expect((await h.post(instructor, `/meetings/${id}/recordings`, { show: '' })).status).toBe(303);
    await settleJobs(h);
    expect(await recordingRow(id)).toMatchObject({ hidden: false, share_state: 'revoked' });
    expect((await atZoom(kept)).status).toBe(404);
    expect((await follow(href!)).status).toBe(403);
    expect((await h.post(instructor, `/meetings/${id}/recordings`, { show: 'on' })).status).toBe(303);
    await settleJobs(h);
    const row = await recordingRow(id);
    expect(row.share_state).toBe('shared');
    expect(plays(await atZoom(row.play_url))).toBe(true);
    expect(plays(await atZoom(kept))).toBe(false);
  });

  it('Zoom failing while revoking: share_state failed with a clear staff message, the job retried until it is revoked', async () => {
    const { id } = await recordedClass('Failing revoke class');
    const [, href, key] = watchLink(await coursePage(h, student), id)!;
    const kept = String((await follow(href!)).headers.location);
    h.zoom.injectFault({
      match: { method: 'PATCH', path: SETTINGS_PATH },
      kind: 'status5xx',
      status: 503,
      count: 50,
    });
    expect((await visibility(instructor, id, key!, 'hide')).status).toBe(303);
    await settleJobs(h);
    expect(await recordingRow(id)).toMatchObject({
      hidden: true,
      share_state: 'failed',
      share_error: 'unavailable',
    });
    const staffPage = await coursePage(h, instructor);
    expect(staffPage).toContain('Zoom’s sharing was not changed.');
    expect(staffPage).toContain('Zoom did not answer. We try again by ourselves');
    // Students are not served it meanwhile.
    expect(watchLink(await coursePage(h, student), id)).toBeNull();
    h.zoom.clearFaults();
    // The job was put off (5 s backoff) and tries again by itself.
    await until(async () => (await recordingRow(id)).share_state === 'revoked', 30_000);
    expect(await recordingRow(id)).toMatchObject({ hidden: true, share_state: 'revoked', share_error: null });
    expect((await atZoom(kept)).status).toBe(404);
  });

  it('Zoom refusing the change (400): failed, and staff are told what to do in Zoom', async () => {
    const { id } = await recordedClass('Refused revoke class');
    const [, , key] = watchLink(await coursePage(h, student), id)!;
    h.zoom.injectFault({
      match: { method: 'PATCH', path: SETTINGS_PATH },
      kind: 'refuse',
      status: 400,
      code: 300,
      count: 50,
    });
    await visibility(instructor, id, key!, 'hide');
    await settleJobs(h);
    expect(await recordingRow(id)).toMatchObject({ share_state: 'failed', share_error: 'refused' });
    const staffPage = await coursePage(h, instructor);
    expect(staffPage).toContain('Zoom refused the change. Press Try again');
    expect(staffPage).toMatch(
      /aria-label="Try again to change Zoom’s sharing of the recording of Refused revoke class/,
    );
    // Staff press Try again (the same change asked again) once Zoom takes it.
    h.zoom.clearFaults();
    expect((await visibility(instructor, id, key!, 'hide')).status).toBe(303);
    await settleJobs(h);
    expect(await recordingRow(id)).toMatchObject({ hidden: true, share_state: 'revoked', share_error: null });
  });

  it('a connection without the recording write scope: failed, staff told to reconnect, Zoom not asked (the connection stays up)', async () => {
    const { id } = await recordedClass('Unscoped revoke class');
    const [, , key] = watchLink(await coursePage(h, student), id)!;
    const before = await rows<{ scopes: string[] }>(
      h,
      sql`select scopes from zoom_connections where status = 'connected'`,
    );
    await rows(
      h,
      sql`update zoom_connections set scopes = ${JSON.stringify(['user:read:admin', 'meeting:write:admin'])}::jsonb where status = 'connected'`,
    );
    const patches = h.zoom
      .requests({ method: 'PATCH' })
      .filter((r) => r.path.endsWith('/recordings/settings')).length;
    try {
      await visibility(instructor, id, key!, 'hide');
      await settleJobs(h);
      expect(await recordingRow(id)).toMatchObject({
        hidden: true,
        share_state: 'failed',
        share_error: 'connection',
      });
      expect(await coursePage(h, instructor)).toContain('reconnect Zoom with the recording permission');
      expect(
        h.zoom.requests({ method: 'PATCH' }).filter((r) => r.path.endsWith('/recordings/settings')),
      ).toHaveLength(patches);
      expect(
        await rows(h, sql`select status from zoom_connections where status = 'reconnect_required'`),
      ).toEqual([]);
    } finally {
      await rows(
        h,
        sql`update zoom_connections set scopes = ${JSON.stringify(before[0]?.scopes ?? [])}::jsonb where status = 'connected'`,
      );
    }
    // Reconnected with the scope: the job, tried again by itself, revokes it.
    await until(async () => (await recordingRow(id)).share_state === 'revoked', 30_000);
  });

  describe('who may', () => {
    let id: string;
    let key: string;
    beforeAll(async () => {
      ({ id } = await recordedClass('Guarded class'));
      key = watchLink(await coursePage(h, student), id)![2]!;
    });

    it('a learner cannot hide (403), nothing changes', async () => {
      const response = await visibility(student, id, key, 'hide');
      expect(response.status).toBe(403);
      expect(await recordingRow(id)).toMatchObject({ hidden: false, share_state: 'shared' });
    });

    it('a bad form token is refused (403), nothing changes', async () => {
      const response = await h.post(instructor, `/recordings/${id}/${key}/visibility`, {
        action: 'hide',
        csrf: 'forged',
      });
      expect(response.status).toBe(403);
      expect((await recordingRow(id)).hidden).toBe(false);
    });

    it('bad input: an unknown action (400), a key that names nothing (404)', async () => {
      expect((await visibility(instructor, id, key, 'delete')).status).toBe(400);
      expect((await visibility(instructor, id, 'bm90LWEtcmVjb3JkaW5n', 'hide')).status).toBe(404);
      expect((await visibility(instructor, id, 'not*a*key', 'hide')).status).toBe(404);
      expect((await recordingRow(id)).hidden).toBe(false);
    });

    it('another school’s instructor gets 404 for hiding and for watching', async () => {
      const lms = await h.addLms({ profile: 'canvas', school: 'Other school' });
      const page = await h.page(lms.users.instructor.id, lms);
      expect((await visibility(page, id, key, 'hide')).status).toBe(404);
      const watch = await request(h.app)
        .get(`/lti/recordings/${id}/${key}/watch?ltik=${encodeURIComponent(page.ltik)}`)
        .accept('html');
      expect(watch.status).toBe(404);
      expect(watch.headers.location).toBeUndefined();
      expect((await recordingRow(id)).hidden).toBe(false);
    });

    it('without a launch: 401, no redirect', async () => {
      const watch = await request(h.app).get(`/lti/recordings/${id}/${key}/watch`).accept('html');
      expect(watch.status).toBe(401);
      expect(watch.headers.location).toBeUndefined();
      const post = await request(h.app)
        .post(`/lti/recordings/${id}/${key}/visibility`)
        .type('form')
        .send({ action: 'hide' });
      expect(post.status).toBe(401);
    });

    it('in Spanish, the hidden page says it in Spanish', async () => {
      expect((await visibility(instructor, id, key, 'hide')).status).toBe(303);
      await settleJobs(h);
      const es = await h.page(h.lms.users.learner.id, h.lms, '', { locale: 'es' });
      const res = await request(h.app)
        .get(`/lti/recordings/${id}/${key}/watch?ltik=${encodeURIComponent(es.ltik)}`)
        .accept('html');
      expect(res.status).toBe(403);
      expect(res.text).toContain('Su docente ocultó esta grabación');
    });
  });

  it('a recording appears on the student’s page as soon as Zoom’s recording.completed is delivered', async () => {
    const { response, id } = await h.schedule(instructor, {
      topic: 'Fresh recording class',
      intent: newIntent(),
    });
    expect(response.status).toBe(303);
    await settleJobs(h);
    await h.post(instructor, `/meetings/${id}/recordings`, { show: 'on' });
    expect(watchLink(await coursePage(h, student), id)).toBeNull();
    const before = h.zoom.now();
    h.zoom.endMeeting(String((await meetingRow(h, id)).zoom_meeting_id), {
      participants: 1,
      recording: true,
    });
    await h.zoom.flushWebhooks();
    // No job to wait for: the webhook's transaction wrote it; well within a minute of Zoom's clock.
    expect(watchLink(await coursePage(h, student), id)).toBeTruthy();
    expect(h.zoom.now() - before).toBeLessThan(60_000);
  });

  it('a recording.completed of a meeting no course holds is not kept (no row, no job)', async () => {
    const jobsBefore = await rows(h, sql`select count(*) as n from background_jobs`);
    const recordingsBefore = await rows(h, sql`select count(*) as n from meeting_recordings`);
    // The school's Zoom admin schedules it in Zoom with another app (no course knows it).
    const other = await h.zoom.createApp({ kind: 'oauth', redirect_uri: 'https://elsewhere.example/cb' });
    const token = h.zoom.issueTokens(other.client_id, h.account.account_id).access_token;
    const made = await request(h.zoom.app)
      .post('/v2/users/me/meetings')
      .set('Authorization', `Bearer ${token}`)
      .send({ topic: 'Not a course meeting', type: 2 });
    h.zoom.endMeeting(made.body.id, { participants: 1, recording: true });
    await h.zoom.flushWebhooks();
    expect(hooks.last('recording.completed').body).toContain('Not a course meeting');
    expect(await rows(h, sql`select count(*) as n from meeting_recordings`)).toEqual(recordingsBefore);
    expect(await rows(h, sql`select count(*) as n from background_jobs`)).toEqual(jobsBefore);
  });
});
