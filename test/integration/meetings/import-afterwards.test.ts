import { sql } from 'drizzle-orm';
import {
  drainJobs,
  meetingItem,
  meetingRow,
  plain,
  rows,
  settleJobs,
  soonDate,
} from '../../support/meetings-fixtures';
import {
  afterImport,
  importPage,
  importSetup,
  profilesOn,
  zoomMeeting,
  type ImportSetup,
} from './import-fixture';

/**
 * Issue 20 item 1: an imported meeting behaves like one scheduled here (Zoom's webhooks, attendance's
 * registration and links), and the host's meeting list is followed across its pages.
 */
describe.each(profilesOn())(
  'importing meetings from Zoom: afterwards and at scale (%s, %s)',
  (profile, databaseKind) => {
    let s: ImportSetup;
    beforeAll(async () => {
      s = await importSetup(profile, databaseKind);
    }, 60_000);
    afterAll(() => s.h.close());
    const post = (fields: Record<string, string>, page = s.staff) => s.h.post(page, '/import', fields);

    describe('an imported meeting behaves like the rest', () => {
      it('meeting.updated from Zoom changes the imported row', async () => {
        const made = await zoomMeeting(s.zoom, s.host, { topic: 'Before the webhook' });
        const { id } = await afterImport(s.h, await post({ meeting: made.id }));
        await s.zoom('PATCH', `/meetings/${made.id}`, { topic: 'Renamed in Zoom' });
        await s.h.zoom.flushWebhooks();
        await settleJobs(s.h);
        expect(await meetingRow(s.h, id)).toMatchObject({ topic: 'Renamed in Zoom', origin: 'imported' });
        expect(s.hooks.last('meeting.updated').ok).toBe(true);
      });

      it('takes attendance: registration turned on at Zoom as creates set it, and the students’ links made', async () => {
        // Links are made a week ahead: a class in two days has them now.
        const made = await zoomMeeting(s.zoom, s.host, {
          topic: 'With attendance',
          start_time: `${soonDate()}T10:00:00`,
        });
        s.h.zoom.clearRequests();
        const { id } = await afterImport(s.h, await post({ meeting: made.id }));
        const patch = s.h.zoom.requests({ method: 'PATCH', path: `/v2/meetings/${made.id}` });
        expect(patch.map((r) => r.status)).toEqual([204]);
        const atZoom = s.h.zoom.meetings(s.h.account.account_id).find((m) => String(m.id) === made.id);
        expect(atZoom?.settings).toMatchObject({
          approval_type: 0,
          registration_type: 1,
          registrants_confirmation_email: false,
          registrants_email_notification: false,
        });
        expect((await meetingRow(s.h, id)).settings).toMatchObject({ registration: true });
        await drainJobs(s.h);
        const made2 = await rows<{ state: string }>(
          s.h,
          sql`select state from meeting_registrants where meeting_id = ${id}`,
        );
        // The links job ran for it: the learner's own registrant link at Zoom.
        expect(made2.map((r) => r.state)).toEqual(['ready']);
        const registrants = s.h.zoom.requests({
          method: 'POST',
          path: `/v2/meetings/${made.id}/registrants`,
        });
        expect(registrants.length).toBeGreaterThan(0);
        const learner = await s.h.page(s.h.lms.users.learner.id);
        expect(meetingItem(learner.text, id)).toContain(`/lti/meetings/${id}/join?ltik=`);
      }, 60_000);

      it('with attendance off: no change asked of Zoom', async () => {
        await rows(
          s.h,
          sql`insert into attendance_settings (school_id, lms_issuer, context_id, enabled)
            select school_id, lms_issuer, context_id, false from courses
            on conflict (school_id, lms_issuer, context_id) do update set enabled = false`,
        );
        try {
          const made = await zoomMeeting(s.zoom, s.host, { topic: 'No attendance' });
          s.h.zoom.clearRequests();
          const { id } = await afterImport(s.h, await post({ meeting: made.id }));
          expect(s.h.zoom.requests({ method: 'PATCH' })).toEqual([]);
          expect((await meetingRow(s.h, id)).settings).not.toHaveProperty('registration');
        } finally {
          await rows(s.h, sql`update attendance_settings set enabled = true`);
        }
      });
    });

    it('a meeting already taking registrants: no change asked of Zoom, its links asked for with the row', async () => {
      const made = await zoomMeeting(s.zoom, s.host, {
        topic: 'Registration already on',
        start_time: `${soonDate()}T11:00:00`,
        settings: { approval_type: 0, registration_type: 1 },
      });
      s.h.zoom.clearRequests();
      const { id } = await afterImport(s.h, await post({ meeting: made.id }));
      expect(s.h.zoom.requests({ method: 'PATCH' })).toEqual([]);
      expect((await meetingRow(s.h, id)).settings).toMatchObject({ registration: true });
      await drainJobs(s.h);
      const made2 = await rows<{ state: string }>(
        s.h,
        sql`select state from meeting_registrants where meeting_id = ${id}`,
      );
      expect(made2.map((r) => r.state)).toEqual(['ready']);
    }, 60_000);

    it('Zoom refusing registration leaves the meeting imported, and the page says attendance cannot be taken yet', async () => {
      const made = await zoomMeeting(s.zoom, s.host, { topic: 'Registration refused' });
      s.h.zoom.injectFault({
        match: { method: 'PATCH', path: `/v2/meetings/${made.id}` },
        kind: 'refuse',
        status: 400,
        code: 300,
        count: 1,
      });
      const { id, text } = await afterImport(s.h, await post({ meeting: made.id }));
      expect(text).toContain('Zoom did not turn on registration for it');
      expect(await meetingRow(s.h, id)).toMatchObject({ origin: 'imported', state: 'scheduled' });
      expect((await meetingRow(s.h, id)).settings).not.toHaveProperty('registration');
      s.h.zoom.clearFaults();
    });

    it('follows the host’s meeting list across pages (300 a page)', async () => {
      s.h.zoom.setLimits(s.h.account.account_id, { enabled: false });
      try {
        for (let batch = 0; batch < 10; batch += 1)
          await Promise.all(
            Array.from({ length: 30 }, (_, i) =>
              zoomMeeting(s.zoom, s.host, {
                topic: `Filler ${batch * 30 + i}`,
                start_time: `2031-01-${String(1 + (i % 28)).padStart(2, '0')}T10:00:00`,
              }),
            ),
          );
        const last = await zoomMeeting(s.zoom, s.host, {
          topic: 'On the second page',
          start_time: '2032-06-01T10:00:00',
        });
        s.h.zoom.clearRequests();
        const text = plain((await importPage(s.h, s.staff)).text);
        expect(text).toContain('On the second page');
        expect(text).toContain(`data-zoom-meeting="${last.id}"`);
        const pages = s.h.zoom
          .requests({ method: 'GET' })
          .filter((r) => /\/users\/[^/]+\/meetings/.test(r.path));
        expect(pages.length).toBeGreaterThanOrEqual(2);
        const { id } = await afterImport(s.h, await post({ meeting: last.id }));
        expect((await meetingRow(s.h, id)).topic).toBe('On the second page');
      } finally {
        s.h.zoom.setLimits(s.h.account.account_id, { enabled: true });
      }
    }, 120_000);
  },
);
