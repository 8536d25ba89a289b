import { sql } from 'drizzle-orm';
import { queryRows } from '../../src/storage';
import type { ZoomHarness } from './zoom-harness';

/**
 * What must hold after a fault storm once the tool's background work has run: Zoom's users and
 * meetings of the school and our rows map one to one, no create is left unconfirmed, and no refresh
 * token Zoom rotated was lost. Each check answers a list of offenders (empty when it holds), so a
 * failing test names them.
 */

const rowsOf = <T>(h: ZoomHarness, query: ReturnType<typeof sql>) => queryRows<T>(h.database.db, query);

/** A query of the test's own that may meet the database "restarting": tried again shortly. */
export async function patiently<T>(work: () => Promise<T>, attempts = 20): Promise<T> {
  for (let i = 1; ; i += 1) {
    try {
      return await work();
    } catch (error) {
      if (i >= attempts) throw error;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
  }
}

/**
 * Waits until nothing is in flight: no Zoom request unanswered, no provisioning lease held, no
 * background job pending (due ones are run now: the confirm job's 30 s and backoffs are not waited
 * out; a job put off for longer than an hour on purpose, as registrant links a week before a class,
 * is not in flight). `relay` delivers Zoom's webhooks meanwhile.
 */
export async function settle(h: ZoomHarness, relay: () => Promise<void>, timeoutMs = 45_000): Promise<void> {
  const until = Date.now() + timeoutMs;
  let quietChecks = 0;
  while (quietChecks < 3) {
    if (Date.now() > until) throw new Error(`the tool did not settle: ${JSON.stringify(await busy(h))}`);
    await relay();
    await patiently(() =>
      rowsOf(
        h,
        sql`update background_jobs set run_at = now()
            where status = 'pending' and run_at > now() and run_at < now() + interval '1 hour'`,
      ),
    );
    const state = await patiently(() => busy(h));
    quietChecks = state.zoomInFlight + state.leases + state.jobs === 0 ? quietChecks + 1 : 0;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

async function busy(h: ZoomHarness) {
  const [leases] = await rowsOf<{ n: string | number }>(
    h,
    sql`select count(*) as n from zoom_users where lease_owner is not null`,
  );
  const [jobs] = await rowsOf<{ n: string | number }>(
    h,
    sql`select count(*) as n from background_jobs where status = 'pending' and run_at < now() + interval '1 hour'`,
  );
  return {
    zoomInFlight: h.zoom.requests().filter((r) => r.status === null).length,
    leases: Number(leases?.n ?? 0),
    jobs: Number(jobs?.n ?? 0),
  };
}

export interface Invariants {
  /** Zoom users of the school's account (not its owner) with no row of ours naming them. */
  zoomUsersWithoutRow: string[];
  /** Rows naming a Zoom user the account does not have. */
  rowsWithoutZoomUser: string[];
  /** Zoom users named by more than one row. */
  zoomUsersWithSeveralRows: string[];
  /** Zoom meetings of the account with no live row of ours. */
  zoomMeetingsWithoutRow: string[];
  /** Live rows naming a meeting Zoom does not have. */
  rowsWithoutZoomMeeting: string[];
  /** Zoom meetings named by more than one live row. */
  zoomMeetingsWithSeveralRows: string[];
  /** Creates never confirmed nor dropped (state `creating`). */
  unconfirmedCreates: string[];
  /** Background jobs given up (status `failed`). */
  failedJobs: string[];
  /** Refresh requests Zoom refused as unknown or rotated away (4711): a rotated token that was lost. */
  lostRefreshTokens: number;
}

export async function checkInvariants(h: ZoomHarness): Promise<Invariants> {
  const accountId = h.account.account_id;
  const zoomUsers = h.zoom.users(accountId).filter((u) => u.role_id !== '0');
  const userRows = await rowsOf<{ zoom_user_id: string; lms_user_id: string }>(
    h,
    sql`select zoom_user_id, lms_user_id from zoom_users where zoom_user_id is not null`,
  );
  const zoomMeetings = h.zoom.meetings(accountId);
  const meetingRows = await rowsOf<{
    id: string;
    zoom_meeting_id: string | null;
    state: string;
    topic: string;
  }>(h, sql`select id, zoom_meeting_id, state, topic from meetings where state <> 'deleted'`);
  const failed = await rowsOf<{ kind: string; key: string }>(
    h,
    sql`select kind, key from background_jobs where status = 'failed'`,
  );
  const userIds = new Set(zoomUsers.map((u) => u.id));
  const meetingIds = new Set(zoomMeetings.map((m) => String(m.id)));
  const live = meetingRows.filter((r) => r.zoom_meeting_id !== null);
  return {
    zoomUsersWithoutRow: zoomUsers
      .filter((u) => !userRows.some((r) => r.zoom_user_id === u.id))
      .map((u) => u.email),
    rowsWithoutZoomUser: userRows.filter((r) => !userIds.has(r.zoom_user_id)).map((r) => r.lms_user_id),
    zoomUsersWithSeveralRows: several(userRows.map((r) => r.zoom_user_id)),
    zoomMeetingsWithoutRow: zoomMeetings
      .filter((m) => !live.some((r) => r.zoom_meeting_id === String(m.id)))
      .map((m) => `${m.id} ${m.topic}`),
    rowsWithoutZoomMeeting: live
      .filter((r) => !meetingIds.has(String(r.zoom_meeting_id)))
      .map((r) => `${r.id} ${r.topic}`),
    zoomMeetingsWithSeveralRows: several(live.map((r) => String(r.zoom_meeting_id))),
    unconfirmedCreates: meetingRows.filter((r) => r.state === 'creating').map((r) => `${r.id} ${r.topic}`),
    failedJobs: failed.map((j) => `${j.kind} ${j.key}`),
    lostRefreshTokens: h.zoom
      .requests({ path: '/oauth/token' })
      .filter((r) => r.grant_type === 'refresh_token' && r.error_code === 4711).length,
  };
}

export const HOLDS: Invariants = {
  zoomUsersWithoutRow: [],
  rowsWithoutZoomUser: [],
  zoomUsersWithSeveralRows: [],
  zoomMeetingsWithoutRow: [],
  rowsWithoutZoomMeeting: [],
  zoomMeetingsWithSeveralRows: [],
  unconfirmedCreates: [],
  failedJobs: [],
  lostRefreshTokens: 0,
};

function several(values: string[]): string[] {
  const counts = new Map<string, number>();
  for (const value of values) counts.set(value, (counts.get(value) ?? 0) + 1);
  return [...counts].filter(([, n]) => n > 1).map(([value]) => value);
}
