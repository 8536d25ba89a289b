import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { signZoomWebhook } from '../../../src/zoom/zoom.webhooks.service';
import { connectWebhooks, meetingRow, rows } from '../../support/meetings-fixtures';
import type { MeetingsHarness } from '../../support/meetings-harness';

/**
 * A class held in the Zoom simulator for the attendance suites (issue 19): the school's S2S app
 * subscribed to Zoom's events (all, or only some: the others are never sent), a meeting scheduled
 * through the tool at a chosen minute, its students on the roster with registrant links made
 * directly in Zoom (the LINKS helper makes them in the tool), and Zoom's deliveries brought to the
 * tool. Playing a class moves the simulator's clock an hour ahead of the tool's, past the 5 minutes
 * the tool allows a webhook's timestamp: those deliveries are refused, and `redeliver` sends each
 * again as Zoom's retries do, the same body under a fresh timestamp and signature.
 */
export interface Student {
  id: string;
  name: string;
}

const BASE32 = 'abcdefghijklmnopqrstuvwxyz234567';
/** A secondary email like the design's: `u-<26 base32 characters>@registrants.<host>`. */
export function secondaryEmail(userId: string): string {
  const digest = crypto.createHash('sha256').update(userId).digest();
  let id = '';
  for (let k = 0; k < 26; k += 1) id += BASE32[(digest[k] ?? 0) % 32];
  return `u-${id}@registrants.tool.test`;
}

export interface ClassMeeting {
  id: string;
  zoomId: string;
  startsAt: Date;
  schoolId: string;
  lmsIssuer: string;
  contextId: string;
  hostZoomUserId: string;
}

export async function classFixture(h: MeetingsHarness, options: { events?: string[] } = {}) {
  const hooks = await connectWebhooks(h, options);
  const { path } = hooks;
  const app = { client_id: hooks.clientId, webhook_secret_token: hooks.secret };
  // The school's Zoom admin working in Zoom itself (their own app; a new token of the tool's app would end the tool's).
  const admin = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
  const { access_token: token } = h.zoom.issueTokens(admin.client_id, h.account.account_id);
  const api = async (method: string, apiPath: string, body?: unknown) => {
    const response = await fetch(`${h.zoom.baseUrl}/v2${apiPath}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`${method} ${apiPath}: ${response.status} ${await response.text()}`);
    return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
  };
  const redelivered = new Set<string>();

  const fixture = {
    path,
    secret: app.webhook_secret_token,
    clientId: app.client_id,
    /** Signs and posts a body now, as Zoom does. */
    deliver: (body: unknown, secret = app.webhook_secret_token) => h.deliver(path, secret, body),
    /** Schedules a class at the first whole minute 5 minutes past both clocks; registration on in Zoom. */
    async schedule(topic: string, minutes = 60, fields: Record<string, string> = {}): Promise<ClassMeeting> {
      const at = new Date(Math.ceil((Math.max(Date.now(), h.zoom.now()) + 5 * 60_000) / 60_000) * 60_000);
      const page = await h.page(h.lms.users.instructor.id);
      const { response, id } = await h.schedule(page, {
        topic,
        date: at.toISOString().slice(0, 10),
        startTime: at.toISOString().slice(11, 16),
        timeZone: 'UTC',
        duration: String(minutes),
        ...fields,
      });
      if (response.status !== 303) throw new Error(`schedule answered ${response.status}: ${response.text}`);
      await waitFor(async () => Boolean((await meetingRow(h, id)).zoom_meeting_id));
      const row = await meetingRow(h, id);
      const zoomId = String(row.zoom_meeting_id);
      await api('PATCH', `/meetings/${zoomId}`, { settings: { approval_type: 0 } });
      return {
        id,
        zoomId,
        startsAt: at,
        schoolId: String(row.school_id),
        lmsIssuer: String(row.lms_issuer),
        contextId: String(row.context_id),
        hostZoomUserId: String(row.host_zoom_user_id),
      };
    },
    /** Puts students on the course's roster and registers each in Zoom; answers their join links. */
    async enrol(
      meeting: ClassMeeting,
      students: readonly Student[],
    ): Promise<Map<string, { joinUrl: string; registrantId: string }>> {
      const links = new Map<string, { joinUrl: string; registrantId: string }>();
      // Enrolled in the LMS too, so a roster read from Names and Roles keeps them active.
      for (const s of students) {
        const [givenName = '', ...rest] = s.name.split(' ');
        h.lms.addUser({
          id: s.id,
          givenName,
          familyName: rest.join(' '),
          name: s.name,
          roles: [...h.lms.users.learner.roles],
        });
      }
      // The tool's own link-making (another part of issue 19) may be at work on this meeting: let it finish.
      await fixture.runJobs('attendance.roster', 'attendance.links');
      for (const s of students) {
        const [first = '', ...rest] = s.name.split(' ');
        const email = secondaryEmail(s.id);
        const answer = await api('POST', `/meetings/${meeting.zoomId}/registrants`, {
          email,
          first_name: first,
          last_name: rest.join(' '),
        });
        const registrantId = String(answer.registrant_id);
        links.set(s.id, { joinUrl: String(answer.join_url), registrantId });
        await rows(
          h,
          sql`insert into course_people (school_id, lms_issuer, context_id, lms_user_id, name, roles, is_student, state)
              values (${meeting.schoolId}, ${meeting.lmsIssuer}, ${meeting.contextId}, ${s.id}, ${s.name},
                      '["Learner"]'::jsonb, true, 'active')
              on conflict (school_id, lms_issuer, context_id, lms_user_id) do update
                set name = excluded.name, is_student = true, state = 'active', removed_at = null`,
        );
        await rows(
          h,
          sql`insert into meeting_registrants (school_id, meeting_id, lms_user_id, email, state, registrant_id)
              values (${meeting.schoolId}, ${meeting.id}, ${s.id}, ${email}, 'ready', ${registrantId})
              on conflict (meeting_id, lms_user_id) do update
                set email = excluded.email, state = 'ready', registrant_id = excluded.registrant_id`,
        );
      }
      return links;
    },
    /** Brings the simulator's clock to the class's start. */
    async startTime(meeting: { startsAt: Date }) {
      const ahead = meeting.startsAt.getTime() - h.zoom.now();
      if (ahead > 0) await h.zoom.advanceClock(ahead / 1000);
    },
    /** Every delivery of this app the tool refused (a stale timestamp), sent again in order, fresh. */
    async redeliver() {
      await h.zoom.flushWebhooks();
      const attempts = h.zoom.webhookDeliveries({ client_id: app.client_id });
      const delivered = new Set(attempts.filter((a) => a.ok).map((a) => a.delivery_id));
      for (const attempt of attempts) {
        if (delivered.has(attempt.delivery_id) || redelivered.has(attempt.delivery_id)) continue;
        // The class's events only (a user.created of an instructor's first launch is not ours to replay).
        if (!attempt.event.startsWith('meeting.')) continue;
        redelivered.add(attempt.delivery_id);
        const timestamp = String(Math.floor(Date.now() / 1000));
        const answer = await request(h.app)
          .post(path)
          .set('content-type', 'application/json')
          .set('x-zm-request-timestamp', timestamp)
          .set('x-zm-signature', signZoomWebhook(app.webhook_secret_token, timestamp, attempt.body))
          .send(attempt.body);
        if (answer.status >= 300)
          throw new Error(`redelivery of ${attempt.event} answered ${answer.status}: ${answer.text}`);
      }
    },
    /** Runs the named jobs now (they wait 30 s or minutes in production) and waits until they are done. */
    async runJobs(...kinds: string[]) {
      for (const kind of kinds)
        await rows(
          h,
          sql`update background_jobs set run_at = now() where kind = ${kind} and status = 'pending'`,
        );
      await waitFor(async () => {
        const [row] = await rows<{ n: string | number }>(
          h,
          sql`select count(*) as n from background_jobs
              where status = 'pending' and run_at <= now() + interval '1 second'
                and kind in (${sql.join(
                  kinds.map((k) => sql`${k}`),
                  sql`, `,
                )})`,
        );
        return Number(row?.n ?? 0) === 0;
      });
    },
  };
  return fixture;
}

export async function waitFor(check: () => Promise<boolean>, timeoutMs = 30_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > until) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

export interface ResultRow {
  lms_user_id: string;
  status: string;
  seconds: number;
  flags: string[];
  first_join_at: Date | string | null;
  override_status: string | null;
  updated_at: Date | string;
}

export async function resultsOf(h: MeetingsHarness, meetingId: string) {
  const found = await rows<ResultRow>(
    h,
    sql`select r.* from attendance_results r join meeting_instances i on i.id = r.instance_id
        where i.meeting_id = ${meetingId} order by r.lms_user_id`,
  );
  return new Map(found.map((r) => [r.lms_user_id, r]));
}

export async function instancesOf(h: MeetingsHarness, meetingId: string) {
  return rows<Record<string, unknown>>(
    h,
    sql`select * from meeting_instances where meeting_id = ${meetingId}`,
  );
}
