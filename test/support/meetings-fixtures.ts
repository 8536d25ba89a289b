import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { DateTime } from 'luxon';
import request from 'supertest';
import { queryRows } from '../../src/storage';
import { signZoomWebhook } from '../../src/zoom/zoom.webhooks.service';
import type { WebhookAttempt } from '../../src/sandbox/zoom';
import type { MeetingsHarness, Page } from './meetings-harness';

/**
 * Helpers shared by the meetings acceptance tests: fresh form intents, pages read as text, background
 * jobs waited for, the school's Zoom admin acting in Zoom directly, Zoom's webhooks wired from the
 * simulator to the tool, and a small RFC 5545 reader.
 */

/** A new creation intent, as a fresh form would carry. */
export function newIntent(): string {
  return crypto.randomBytes(18).toString('base64url');
}

/** Page text with Intl's narrow and non-breaking spaces ("9:00\u202fAM") as plain spaces. */
export function plain(html: string): string {
  return html.replace(/[\u202f\u00a0]/g, ' ');
}

/** Loads the course page again with a page's ltik (no new launch); `query` e.g. `&tz=Europe/Madrid`. */
export async function coursePage(h: MeetingsHarness, page: Page, query = ''): Promise<string> {
  const response = await request(h.app)
    .get(`/lti/course?ltik=${encodeURIComponent(page.ltik)}${query}`)
    .accept('html');
  if (response.status !== 200) throw new Error(`course page answered ${response.status}`);
  return plain(response.text);
}

/** Follows a change's 303 back to the course page. */
export async function followRedirect(h: MeetingsHarness, response: request.Response): Promise<string> {
  if (response.status !== 303) throw new Error(`expected a 303, got ${response.status}: ${response.text}`);
  return plain((await request(h.app).get(String(response.headers.location)).accept('html')).text);
}

/** Ids of the meetings a page lists (`data-meeting`), in order. */
export function listedMeetings(html: string): string[] {
  return [...html.matchAll(/data-meeting="([^"]+)"/g)].map((m) => m[1] ?? '');
}

/** What a page shows of one meeting: up to the next meeting, heading or section ('' when not listed). */
export function meetingItem(html: string, id: string): string {
  const start = html.indexOf(`data-meeting="${id}"`);
  if (start < 0) return '';
  const ends = ['data-meeting="', '<h3', '</section>']
    .map((marker) => html.indexOf(marker, start + 1))
    .filter((at) => at > 0);
  return html.slice(start, ends.length > 0 ? Math.min(...ends) : undefined);
}

export async function rows<T = Record<string, unknown>>(h: MeetingsHarness, query: ReturnType<typeof sql>) {
  return queryRows<T>(h.database.db, query);
}

export async function meetingRow(h: MeetingsHarness, id: string): Promise<Record<string, unknown>> {
  const [row] = await rows(h, sql`select * from meetings where id = ${id}`);
  if (!row) throw new Error(`no meeting row ${id}`);
  return row;
}

/** Our occurrences of a meeting, earliest first, as ISO instants with their status. */
export async function occurrencesOf(h: MeetingsHarness, id: string) {
  const found = await rows<{ occurrence_id: string; start_time: Date | string; status: string }>(
    h,
    sql`select occurrence_id, start_time, status from meeting_occurrences where meeting_id = ${id} order by start_time`,
  );
  return found.map((o) => ({
    id: o.occurrence_id,
    start: new Date(o.start_time).toISOString(),
    status: o.status,
  }));
}

/** Waits until no background job is pending (or running); the runner of the harness runs them. */
export async function settleJobs(h: MeetingsHarness, timeoutMs = 15_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await rows<{ n: string | number }>(
      h,
      sql`select count(*) as n from background_jobs where status = 'pending' and run_at <= now() + interval '1 second'`,
    );
    if (Number(row?.n ?? 0) === 0) return;
    if (Date.now() > until) throw new Error('background jobs did not settle');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Waits until no job is left, including one a busy machine put off (a retry's backoff, a
 * pacing's wait), but not one put off for over an hour on purpose, nor a class's sweep (due after
 * its end): for a test that must know no Zoom call is still to come while it runs.
 */
export async function drainJobs(h: MeetingsHarness, timeoutMs = 60_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  for (;;) {
    const [row] = await rows<{ n: string | number }>(
      h,
      // A job put off on purpose (registrant links a week before a class, the sweep of a class's
      // instances 15 minutes after its scheduled end) is not work in progress.
      sql`select count(*) as n from background_jobs
          where status = 'pending' and run_at < now() + interval '1 hour' and kind <> 'attendance.sweep'`,
    );
    if (Number(row?.n ?? 0) === 0) return;
    if (Date.now() > until) throw new Error('background jobs did not drain');
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** The school's Zoom admin working in Zoom itself (their own app): not the tool. */
export async function zoomAdmin(h: MeetingsHarness) {
  const app = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
  const { access_token: token } = h.zoom.issueTokens(app.client_id, h.account.account_id);
  const call = async (method: string, path: string, body?: unknown) => {
    const response = await fetch(`${h.zoom.baseUrl}/v2${path}`, {
      method,
      headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    if (response.status >= 300)
      throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
  };
  return {
    clientId: app.client_id,
    patch: (zoomId: string, body: Record<string, unknown>) => call('PATCH', `/meetings/${zoomId}`, body),
    remove: (zoomId: string, occurrenceId?: string) =>
      call('DELETE', `/meetings/${zoomId}${occurrenceId ? `?occurrence_id=${occurrenceId}` : ''}`),
  };
}

/**
 * Zoom's webhooks from the simulator to the tool: the school reconnects with its own S2S app whose
 * Event Subscription points at the school's endpoint (`/zoom/webhook/<id>`) with the app's secret.
 */
export async function connectWebhooks(h: MeetingsHarness, options: { events?: string[] } = {}) {
  const webhookId = String((await h.connectionRow(`${h.lms.profile} school`))?.webhook_id ?? '');
  const path = `/zoom/webhook/${webhookId}`;
  // `events`: the app subscribes to these only (the others are never sent); default all.
  const app = await h.zoom.createApp({
    kind: 's2s',
    account_id: h.account.account_id,
    webhook_url: `${h.listeningUrl}${path}`,
    ...(options.events ? { events: options.events } : {}),
  });
  /** The school's admin (re)enters the app's credentials and a secret token in the tool. */
  const reconnect = async (webhookSecretToken: string) => {
    const ltik = await h.adminLtik();
    const connected = await request(h.app)
      .post('/lti/zoom/s2s')
      .type('form')
      .send({
        ltik,
        csrf: h.formToken(ltik),
        accountId: h.account.account_id,
        clientId: app.client_id,
        clientSecret: app.client_secret,
        webhookSecretToken,
      });
    if (connected.status !== 303) throw new Error(`reconnect answered ${connected.status}`);
  };
  await reconnect(app.webhook_secret_token);
  const deliveries = (event?: string) =>
    h.zoom.webhookDeliveries({ client_id: app.client_id, ...(event ? { event } : {}) });
  return {
    path,
    secret: app.webhook_secret_token,
    clientId: app.client_id,
    reconnect,
    deliveries,
    /** The last delivery of `event` Zoom made (and the tool took). */
    last(event: string): WebhookAttempt {
      const attempt = deliveries(event).at(-1);
      if (!attempt?.ok) throw new Error(`no delivered ${event}: ${JSON.stringify(attempt)}`);
      return attempt;
    },
    /** Zoom's retry of a delivery: the same body, signed again now. */
    retry(attempt: WebhookAttempt) {
      const timestamp = String(Math.floor(Date.now() / 1000));
      return request(h.app)
        .post(path)
        .set('content-type', 'application/json')
        .set('x-zm-request-timestamp', timestamp)
        .set('x-zm-signature', signZoomWebhook(app.webhook_secret_token, timestamp, attempt.body))
        .send(attempt.body);
    },
  };
}

/** A calendar component: its properties (name with parameters, value) and sub-components. */
export interface IcsComponent {
  name: string;
  props: Array<{ name: string; params: Record<string, string>; value: string }>;
  children: IcsComponent[];
}

/**
 * Reads an iCalendar text (RFC 5545 §3.1): CRLF lines of at most 75 octets, folded lines unfolded,
 * BEGIN/END balanced. Throws on anything else, so a test fails on an invalid feed.
 */
export function parseIcs(text: string): IcsComponent {
  if (!text.endsWith('\r\n')) throw new Error('content lines end with CRLF');
  const physical = text.slice(0, -2).split('\r\n');
  for (const line of physical)
    if (Buffer.byteLength(line) > 75) throw new Error(`line longer than 75 octets: ${line}`);
  const lines: string[] = [];
  for (const line of physical) {
    if (/^[ \t]/.test(line) && lines.length > 0) lines[lines.length - 1] += line.slice(1);
    else lines.push(line);
  }
  const root: IcsComponent = { name: '', props: [], children: [] };
  const stack = [root];
  for (const line of lines) {
    const match = /^([A-Za-z0-9-]+)((?:;[^:]*)?):(.*)$/.exec(line);
    if (!match) throw new Error(`not a content line: ${line}`);
    const [, name = '', rawParams = '', value = ''] = match;
    const top = stack[stack.length - 1]!;
    if (name === 'BEGIN') {
      const child: IcsComponent = { name: value, props: [], children: [] };
      top.children.push(child);
      stack.push(child);
    } else if (name === 'END') {
      if (top.name !== value || stack.length === 1) throw new Error(`END:${value} closes ${top.name}`);
      stack.pop();
    } else {
      const params = Object.fromEntries(
        rawParams
          .split(';')
          .filter(Boolean)
          .map((p) => p.split('=') as [string, string]),
      );
      top.props.push({ name, params, value });
    }
  }
  if (stack.length !== 1 || root.children.length !== 1) throw new Error('unbalanced BEGIN/END');
  return root.children[0]!;
}

export function prop(component: IcsComponent, name: string) {
  return component.props.find((p) => p.name === name);
}

/**
 * A form date two days ahead (yyyy-mm-dd, in America/New_York, the form's default zone): a meeting
 * then is within the week before which students' registrant links are made ahead.
 */
export function soonDate(days = 2): string {
  return DateTime.now().setZone('America/New_York').plus({ days }).toISODate() ?? '';
}
