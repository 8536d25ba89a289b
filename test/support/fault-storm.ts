import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import pg from 'pg';
import request from 'supertest';
import { LMS_ROLES, type LmsUser } from '../../src/sandbox/lms';
import type { FaultInput } from '../../src/sandbox/zoom';
import { errors } from '../../src/shared/errors';
import { queryRows } from '../../src/storage';
import { adminUrl } from './db';
import { patiently } from './fault-storm.invariants';
import { meetingForm } from './meetings-harness';
import type { ZoomHarness } from './zoom-harness';

/**
 * The fault storm (issue 9, item 4): a mixed load through the real app — learners' launches and
 * course pages, instructors' first launches (provisioning), hosts scheduling, editing and deleting,
 * Zoom's webhooks — while the Zoom simulator injects faults in sequence and overlapping, the
 * school's grant is revoked (and an admin reconnects), and on PostgreSQL every connection of the
 * test database is terminated. Every answer a person got is recorded for the checks
 * (fault-storm.invariants.ts).
 */

export const CREATE_MEETING = '^/v2/users/[^/]+/meetings$';
/** The tool's Zoom client timeout in the storm (ZOOM_API_TIMEOUT_MS; 10 s by default). */
export const ZOOM_TIMEOUT_MS = 3_000;
/** Longer than the tool's Zoom client timeout: the answer arrives after the tool gave up. */
export const LATE_ANSWER_MS = ZOOM_TIMEOUT_MS + 500;

/** Every error id of the catalog (src/shared/errors.ts). */
export const CATALOG_IDS: ReadonlySet<string> = new Set(
  Object.values(errors).map((factory) => (factory as () => { id: string })().id),
);

/** One answer the load got. `errorId`: the catalog id a failure page (or JSON) named. */
export interface Seen {
  op: string;
  status: number;
  errorId?: string;
}

export class StormLog {
  readonly seen: Seen[] = [];

  record(op: string, response: { status: number; text: string }): void {
    const entry: Seen = { op, status: response.status };
    if (response.status >= 400) entry.errorId = errorIdOf(response.text);
    this.seen.push(entry);
  }

  failures(): Seen[] {
    return this.seen.filter((s) => s.status >= 400);
  }
}

/** The id a failure names: the error page's reference line, or `{error: {id}}` JSON. */
export function errorIdOf(text: string): string | undefined {
  const page = /Error <code>([a-z_]+)<\/code>/.exec(text);
  if (page) return page[1];
  try {
    // `{error: {id}}` from the app's handler, `{error: id}` from the webhook endpoints.
    const { error } = JSON.parse(text) as { error?: string | { id?: string } };
    return typeof error === 'string' ? error : error?.id;
  } catch {
    return undefined;
  }
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A course page reached through a full launch (or undefined when some step failed: it is recorded). */
export interface StormPage {
  ltik: string;
  csrf: string;
  intent: string;
  text: string;
}

/** OIDC login, the LMS's answer, the launch, the course page: each answer recorded, nothing thrown. */
export async function launch(h: ZoomHarness, log: StormLog, op: string, userId: string) {
  const server = h.listeningUrl;
  const login = await request(server).post('/lti/login').type('form').send(h.lms.loginInitiation(userId));
  log.record(`${op}:login`, login);
  if (login.status !== 302) return undefined;
  const cookie = ([] as string[]).concat(login.headers['set-cookie'] ?? [])[0]?.split(';')[0] ?? '';
  const answer = await h.lms.authorize(String(login.headers.location));
  const posted = await request(server)
    .post('/lti/launch')
    .type('form')
    .accept('html')
    .set('Cookie', cookie)
    .send({ id_token: answer.fields.id_token, state: answer.fields.state });
  log.record(`${op}:launch`, posted);
  if (posted.status !== 303) return undefined;
  const course = await request(server).get(String(posted.headers.location)).accept('html');
  log.record(`${op}:course`, course);
  if (course.status !== 200) return undefined;
  return {
    ltik: new URL(String(posted.headers.location), 'http://x').searchParams.get('ltik') ?? '',
    csrf: /name="csrf" value="([^"]+)"/.exec(course.text)?.[1] ?? '',
    intent: /name="intent" value="([^"]+)"/.exec(course.text)?.[1] ?? '',
    text: course.text,
  } satisfies StormPage;
}

function post(h: ZoomHarness, page: StormPage, path: string, fields: Record<string, string | string[]>) {
  return request(h.listeningUrl)
    .post(`/lti${path}`)
    .type('form')
    .accept('html')
    .send({ ltik: page.ltik, csrf: page.csrf, ...fields });
}

/** A host schedules from a fresh page; the meeting's id (from the 303) when it was accepted. */
export async function schedule(h: ZoomHarness, log: StormLog, host: LmsUser, topic: string) {
  const page = await launch(h, log, 'host', host.id);
  if (!page) return undefined;
  const response = await post(h, page, '/meetings', meetingForm({ intent: page.intent, topic }));
  log.record('schedule', response);
  return response.status === 303 ? page : undefined;
}

/** One of the host's scheduled meetings (ours), edited or deleted from a fresh page. */
export async function changeOne(h: ZoomHarness, log: StormLog, host: LmsUser, how: 'edit' | 'delete') {
  const [meeting] = await patiently(() =>
    queryRows<{ id: string; topic: string }>(
      h.database.db,
      sql`select id, topic from meetings where host_lms_user_id = ${host.id} and state = 'scheduled'
          order by random() limit 1`,
    ),
  );
  if (!meeting) return;
  const page = await launch(h, log, 'host', host.id);
  if (!page) return;
  const response =
    how === 'edit'
      ? await post(
          h,
          page,
          `/meetings/${meeting.id}`,
          meetingForm({
            intent: page.intent,
            topic: `${meeting.topic.replace(/ \(edited\)$/, '')} (edited)`,
          }),
        )
      : await post(h, page, `/meetings/${meeting.id}/delete`, { scope: 'all' });
  log.record(how, response);
}

/** New instructors of the course (first launch = provisioning), unique per run. */
export function newInstructors(h: ZoomHarness, run: string, count: number): LmsUser[] {
  return Array.from({ length: count }, (_, i) => {
    const user: LmsUser = {
      id: `storm-${run}-${i}`,
      givenName: 'Storm',
      familyName: `Teacher ${run}-${i}`,
      name: `Storm Teacher ${run}-${i}`,
      email: `storm.${run}.${i}@school.edu`,
      roles: [LMS_ROLES.membershipInstructor],
    };
    h.lms.addUser(user);
    return user;
  });
}

/**
 * Zoom's webhooks to the Marketplace endpoint: the simulator records each delivery it attempts (its
 * `webhook_url` is the tool's public URL, which nothing serves in tests); each is delivered here,
 * signed with the app's secret, and delivered again while it is not answered 2xx, as Zoom retries.
 */
export function webhookRelay(h: ZoomHarness, log: () => StormLog) {
  const answered = new Map<string, number>();
  const deliver = async () => {
    for (const attempt of h.zoom.webhookDeliveries({ client_id: h.app_.client_id })) {
      const status = answered.get(attempt.delivery_id);
      if (status !== undefined && status < 300) continue;
      answered.set(attempt.delivery_id, 0);
      const response = await h.deliver(
        '/zoom/webhook',
        h.app_.webhook_secret_token,
        JSON.parse(attempt.body) as unknown,
      );
      answered.set(attempt.delivery_id, response.status);
      log().record(`webhook:${attempt.event}`, response);
    }
  };
  /** Deliveries the tool has not taken (yet). */
  const untaken = () => [...answered].filter(([, status]) => status >= 300).map(([id]) => id);
  return { deliver, untaken };
}

/** What a restart of PostgreSQL looks like to the tool's pool: every connection of its database ends. */
export async function restartDatabase(url: string, refuseMs: number): Promise<number> {
  const name = new URL(url).pathname.slice(1);
  const admin = new pg.Client({ connectionString: adminUrl() });
  await admin.connect();
  try {
    // While "down": new connections are refused, then every open one is terminated.
    await admin.query(`alter database ${name} allow_connections false`);
    const killed = await admin.query(
      'select pg_terminate_backend(pid) from pg_stat_activity where datname = $1 and pid <> pg_backend_pid()',
      [name],
    );
    await sleep(refuseMs);
    return killed.rowCount ?? 0;
  } finally {
    await admin.query(`alter database ${name} allow_connections true`);
    await admin.end();
  }
}

/** Faults with a start time (ms after the storm starts), injected in that order. */
export type FaultStep = { at: number; fault?: FaultInput; action?: () => Promise<unknown> };

export function faultScript(accountId: string): FaultStep[] {
  const api = (f: Omit<FaultInput, 'match'>, path = '/v2/', method?: string): FaultInput => ({
    ...f,
    match: { path, account_id: accountId, ...(method ? { method } : {}) },
  });
  return [
    // First: the late answers take longest (past the client's timeout), so they overlap everything.
    {
      at: 0,
      fault: api({ kind: 'commit_then_delay', ms: LATE_ANSWER_MS, count: 1 }, CREATE_MEETING, 'POST'),
    },
    { at: 0, fault: api({ kind: 'commit_then_delay', ms: LATE_ANSWER_MS, count: 1 }, '/v2/users', 'POST') },
    { at: 0, fault: api({ kind: 'latency', ms: 400, count: 6 }) },
    { at: 0, fault: api({ kind: 'status5xx', status: 502, count: 2 }, CREATE_MEETING, 'POST') },
    { at: 400, fault: api({ kind: 'status5xx', status: 500, count: 2 }, '/v2/users', 'POST') },
    { at: 800, fault: api({ kind: 'commit_then_drop', count: 1 }, '/v2/users', 'POST') },
    { at: 800, fault: api({ kind: 'commit_then_drop', count: 1 }, CREATE_MEETING, 'POST') },
    { at: 1600, fault: api({ kind: 'rate_limit', count: 4 }) },
    { at: 2000, fault: api({ kind: 'status5xx', status: 503, count: 3 }, '/v2/meetings/') },
    { at: 2000, fault: api({ kind: 'commit_then_drop', count: 1 }, '/v2/meetings/', 'PATCH') },
    // The access token dies; the renewal's first answer is a 500 (nothing rotated), the next works.
    { at: 2600, fault: { kind: 'status5xx', status: 500, count: 1, match: { path: '/oauth/token' } } },
    { at: 2600, fault: api({ kind: 'revoke_tokens', tokens: 'access', count: 1 }) },
    { at: 3200, fault: api({ kind: 'latency', ms: 1200, count: 3 }) },
    { at: 3600, fault: api({ kind: 'rate_limit', count: 3, category: 'Light' }, '/v2/users/') },
  ];
}

/** The grant dies (access and refresh tokens): the tool must say "reconnect" until an admin does. */
export const REVOKE_GRANT_AT = 4200;

export function revokeGrant(accountId: string): FaultInput {
  return { kind: 'revoke_tokens', tokens: 'all', count: 1, match: { path: '/v2/', account_id: accountId } };
}

/** Runs the script's steps at their times (relative to `start`). */
export async function playScript(h: ZoomHarness, steps: FaultStep[], start: number): Promise<void> {
  for (const step of [...steps].sort((a, b) => a.at - b.at)) {
    const wait = start + step.at - Date.now();
    if (wait > 0) await sleep(wait);
    if (step.fault) h.zoom.injectFault(step.fault);
    if (step.action) await step.action();
  }
}

/** Repeats `work` until `until` (ms epoch), at least `minimum` times. */
export async function repeat(until: number, minimum: number, work: (i: number) => Promise<unknown>) {
  for (let i = 0; i < minimum || Date.now() < until; i += 1) await work(i);
}

export function stormTopic(run: string, host: string, i: number): string {
  return `Storm ${run} ${host} #${i} ${crypto.randomBytes(3).toString('hex')}`;
}

export { sleep };
