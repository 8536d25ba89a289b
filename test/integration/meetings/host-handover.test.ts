import { sql } from 'drizzle-orm';
import { drainJobs, meetingRow, plain, rows } from '../../support/meetings-fixtures';
import { databaseKinds } from '../../support/db';
import type { MeetingsHarness } from '../../support/meetings-harness';
import { orphanMeeting } from '../../../src/meetings/meetings.handover.repo';
import { emailOf, hostLeavesHarness, hostLeavesHelpers } from './host-leaves-fixture';

/**
 * Issue 20, item 2: handing over a meeting whose host left. By Zoom's `schedule_for` when Zoom still
 * has the meeting (same id and link); a recreation whose answer Zoom lost stays listed, and its job
 * finishes it without making the meeting twice. The recreation itself, after user.deleted, is in
 * host-leaves.test.ts, whose later tests build on the state it leaves.
 */
describe.each(databaseKinds('one'))(
  'meetings: handing over a meeting whose host left (%s)',
  (databaseKind) => {
    let h: MeetingsHarness;

    beforeAll(async () => {
      ({ h } = await hostLeavesHarness(databaseKind, ['ana', 'dora', 'gus']));
    }, 120_000);
    afterAll(() => h.close());

    const { scheduleAs, hostOf, zoomUserId, handoverPage } = hostLeavesHelpers(() => h);

    it('hand-over by schedule_for: Zoom moves the meeting to the licensed instructor chosen (same id and link)', async () => {
      const id = await scheduleAs('dora', 'Moved geometry');
      h.zoom.deactivateUser(await zoomUserId('dora'));
      await h.zoom.flushWebhooks();
      const before = await meetingRow(h, id);
      expect(before.host_state).toBe('orphaned');
      const page = await handoverPage('ana', `&m=${id}`);
      expect(page.status).toBe(200);
      const response = await h.post(page, '/handover', { to: 'ana', m: id });
      expect(response.status).toBe(303);
      expect(String(response.headers.location)).toContain('moved=1');
      const after = await meetingRow(h, id);
      expect(after).toMatchObject({
        host_state: 'ok',
        host_lost_reason: null,
        host_zoom_user_id: await zoomUserId('ana'),
        host_lms_user_id: 'ana',
        zoom_meeting_id: before.zoom_meeting_id,
        join_url: before.join_url,
        link_changed_at: null,
      });
      expect(Number(after.version)).toBeGreaterThan(Number(before.version));
      const zoom = h.zoom.meetings(h.account.account_id).find((m) => String(m.id) === before.zoom_meeting_id);
      expect(zoom?.host_id).toBe(await zoomUserId('ana'));
      h.zoom.activateUser(await zoomUserId('dora'));
      await h.zoom.flushWebhooks();
      // Handed over already: Dora active again does not take it back.
      expect((await meetingRow(h, id)).host_lms_user_id).toBe('ana');
      // A reconcile that asked Zoom about Dora before the hand-over writes nothing after it.
      const stale = {
        schoolId: String(before.school_id),
        id,
        hostZoomUserId: String(before.host_zoom_user_id),
        zoomMeetingId: String(before.zoom_meeting_id),
      };
      expect(await orphanMeeting(h.database.db, stale, 'not_found', new Date())).toBe(0);
      expect(await hostOf(id)).toMatchObject({ state: 'ok', lmsUser: 'ana' });
    });

    it('a recreation whose answer Zoom lost stays listed, then its job finds the meeting Zoom made: nothing is made twice', async () => {
      const id = await scheduleAs('gus', 'Lost answer art');
      h.zoom.deleteUser(emailOf('gus'));
      await h.zoom.flushWebhooks();
      expect(await hostOf(id)).toMatchObject({ state: 'orphaned', reason: 'deleted' });
      h.zoom.injectFault({
        match: { method: 'POST', path: '^/v2/users/[^/]+/meetings$' },
        kind: 'commit_then_drop',
        count: 1,
      });
      try {
        const page = await handoverPage('ana');
        const response = await h.post(page, '/handover', { to: 'ana', m: id });
        expect(response.status).toBe(303);
        expect(String(response.headers.location)).toContain('pending=1');
      } finally {
        h.zoom.clearFaults();
      }
      expect(await hostOf(id)).toMatchObject({ state: 'orphaned' });
      expect(plain((await h.page('ana')).text)).toContain('Lost answer art');
      await rows(h, sql`update background_jobs set run_at = now() where kind = 'meetings.handover'`);
      await drainJobs(h);
      const made = h.zoom.meetings(h.account.account_id).filter((m) => m.topic === 'Lost answer art');
      expect(made).toHaveLength(1);
      expect(await meetingRow(h, id)).toMatchObject({
        host_state: 'ok',
        host_lms_user_id: 'ana',
        zoom_meeting_id: String(made[0]!.id),
      });
    });
  },
);
