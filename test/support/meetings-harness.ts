import request from 'supertest';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/storage';
import type { LaunchOptions, LmsEmulator, LmsProfileName } from '../../src/sandbox/lms';
import type { TestDatabaseKind } from './db';
import { createZoomHarness, type ZoomHarness } from './zoom-harness';

/** A meeting form as an instructor fills it (labels in the issue), with sensible defaults. */
export function meetingForm(
  overrides: Record<string, string | string[]> = {},
): Record<string, string | string[]> {
  return {
    topic: 'Biology 101',
    date: '2030-03-04',
    startTime: '09:00',
    duration: '60',
    timeZone: 'America/New_York',
    repeats: 'never',
    ends: 'after',
    endAfter: '10',
    passcode: 'abc123',
    waitingRoom: 'on',
    ...overrides,
  };
}

export interface Page {
  ltik: string;
  text: string;
  csrf: string;
  intent: string;
}

/**
 * The tool with Zoom connected (the school's own S2S app) and the instructor's Zoom user active,
 * ready to schedule; the simulator's clock is the real one (dates in 2030 are in the future).
 */
export interface MeetingsHarness extends ZoomHarness {
  /** Launches and reads the course page: its ltik, html, form token and creation intent. */
  page(userId: string, lms?: LmsEmulator, query?: string, launch?: LaunchOptions): Promise<Page>;
  /** Posts a form (with the page's ltik and csrf) to an /lti path. */
  post(page: Page, path: string, fields?: Record<string, string | string[]>): request.Test;
  /** Schedules a meeting from the instructor's page; returns our meeting id (from the row). */
  schedule(
    page: Page,
    fields?: Record<string, string | string[]>,
  ): Promise<{ response: request.Response; id: string }>;
  meetingRows(): Promise<Array<Record<string, unknown>>>;
  /** Makes an LMS user an active Zoom user of the school (first launch, activation, second launch). */
  activate(userId: string, lms?: LmsEmulator): Promise<void>;
}

export async function createMeetingsHarness(
  options: {
    databaseKind?: TestDatabaseKind;
    env?: Record<string, string>;
    logLines?: string[];
    profile?: LmsProfileName;
  } = {},
): Promise<MeetingsHarness> {
  const h = await createZoomHarness({
    profile: options.profile,
    databaseKind: options.databaseKind,
    env: options.env,
    logLines: options.logLines,
    plan: 'business',
  });
  await h.connectS2S();
  const harness: MeetingsHarness = {
    ...h,
    async page(userId, lms = h.lms, query = '', launch = undefined) {
      const { ltik } = await h.launch(userId, launch, lms);
      const response = await request(h.app)
        .get(`/lti/course?ltik=${encodeURIComponent(ltik)}${query}`)
        .accept('html');
      return {
        ltik,
        text: response.text,
        csrf: /name="csrf" value="([^"]+)"/.exec(response.text)?.[1] ?? '',
        intent: /name="intent" value="([^"]+)"/.exec(response.text)?.[1] ?? '',
      };
    },
    post(page, path, fields = {}) {
      return request(h.app)
        .post(`/lti${path}`)
        .type('form')
        .accept('html')
        .send({ ltik: page.ltik, csrf: page.csrf, ...fields });
    },
    async schedule(page, fields = {}) {
      const response = await harness.post(page, '/meetings', meetingForm({ intent: page.intent, ...fields }));
      const location = String(response.headers.location ?? '');
      const id = new URL(location || 'http://x/', 'http://x').searchParams.get('m') ?? '';
      return { response, id };
    },
    async meetingRows() {
      return queryRows(h.database.db, sql`select * from meetings order by created_at`);
    },
    async activate(userId, lms = h.lms) {
      const user = lms.findUser(userId);
      await h.launch(userId, undefined, lms);
      if (user?.email) h.zoom.activateUser(user.email);
      await h.launch(userId, undefined, lms);
    },
  };
  await harness.activate(h.lms.users.instructor.id);
  return harness;
}
