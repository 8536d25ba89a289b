import request from 'supertest';
import { sql } from 'drizzle-orm';
import type { LmsProfileName } from '../../../src/sandbox/lms';
import { databaseKinds, type TestDatabaseKind } from '../../support/db';
import { connectWebhooks, plain, rows } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness, type Page } from '../../support/meetings-harness';

/** Importing meetings from Zoom (issue 20 item 1): what its suites share. */

export type ZoomCall = (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;

/** The school's Zoom account worked in Zoom itself (an admin's own S2S app), or another account's. */
export async function zoomApi(h: MeetingsHarness, accountId = h.account.account_id): Promise<ZoomCall> {
  const app = await h.zoom.createApp({ kind: 's2s', account_id: accountId });
  const { access_token: token } = h.zoom.issueTokens(app.client_id, accountId);
  return async (method, path, body) => {
    const response = await fetch(`${h.zoom.baseUrl}/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    if (response.status >= 300) throw new Error(`${method} ${path}: ${response.status} ${text}`);
    return text ? (JSON.parse(text) as Record<string, unknown>) : {};
  };
}

/** A meeting made in Zoom by (or for) `host`: a single one ahead unless told otherwise. */
export async function zoomMeeting(zoom: ZoomCall, host: string, body: Record<string, unknown> = {}) {
  const made = await zoom('POST', `/users/${encodeURIComponent(host)}/meetings`, {
    topic: 'Made in Zoom',
    type: 2,
    start_time: '2030-05-06T10:00:00',
    timezone: 'America/New_York',
    duration: 45,
    ...body,
  });
  return { id: String(made.id), joinUrl: String(made.join_url), uuid: String(made.uuid) };
}

/** The Zoom user of an LMS user (by email: Canvas launches with an opaque LTI user id). */
export const zoomUserIdOf = async (h: MeetingsHarness, lmsUserId: string) =>
  String(
    (
      await rows<{ zoom_user_id: string }>(
        h,
        sql`select zoom_user_id from zoom_users
            where lower(email) = lower(${h.lms.findUser(lmsUserId)?.email ?? ''}) and zoom_user_id is not null`,
      )
    )[0]?.zoom_user_id,
  );

export const importPage = (h: MeetingsHarness, page: Page, query = '') =>
  request(h.app)
    .get(`/lti/import?ltik=${encodeURIComponent(page.ltik)}${query}`)
    .accept('html');

/** The import page after an Add (its 303 followed). */
export const afterImport = async (h: MeetingsHarness, response: request.Response) => {
  expect(response.status).toBe(303);
  const location = String(response.headers.location);
  expect(location).toContain('/lti/import?');
  const id = new URL(location, 'http://x').searchParams.get('added') ?? '';
  return { id, text: plain((await request(h.app).get(location).accept('html')).text) };
};

/** Each LMS profile on the suite's database(s). */
export function profilesOn(
  scope: 'one' | 'both' = 'one',
): Array<readonly [LmsProfileName, TestDatabaseKind]> {
  return (['moodle', 'canvas'] as LmsProfileName[]).flatMap((profile) =>
    databaseKinds(scope).map((databaseKind) => [profile, databaseKind] as const),
  );
}

export interface ImportSetup {
  h: MeetingsHarness;
  /** The school's Zoom account, worked by its admin. */
  zoom: ZoomCall;
  /** The instructor's Zoom user id. */
  host: string;
  hooks: Awaited<ReturnType<typeof connectWebhooks>>;
  /** The instructor's course page (its ltik and form token). */
  staff: Page;
}

/** A school connected to Zoom with its webhooks, its instructor active in Zoom. */
export async function importSetup(
  profile: LmsProfileName,
  databaseKind: TestDatabaseKind,
): Promise<ImportSetup> {
  const h = await createMeetingsHarness({ profile, databaseKind });
  const hooks = await connectWebhooks(h);
  const zoom = await zoomApi(h);
  const host = await zoomUserIdOf(h, h.lms.users.instructor.id);
  const staff = await h.page(h.lms.users.instructor.id);
  return { h, zoom, host, hooks, staff };
}

/** The meetings and their occurrences as text: "nothing changed" compares it. */
export async function snapshot(h: MeetingsHarness): Promise<string> {
  return JSON.stringify([
    await h.meetingRows(),
    await rows(h, sql`select * from meeting_occurrences order by meeting_id, occurrence_id`),
  ]);
}
