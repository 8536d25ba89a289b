import request from 'supertest';
import { sql } from 'drizzle-orm';
import type { LmsProfileName } from '../../../src/sandbox/lms';
import { drainJobs, plain, rows } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';
import { classFixture, instancesOf } from './class-fixture';

/**
 * Issue 19, the whole path in one course of each LMS profile: the tool makes each student's own
 * registrant link from the roster, each student's Join click leads to it, the class is held in the
 * Zoom simulator through those links, Zoom's events make the results, and the course's
 * "Attendance" column reaches the LMS's gradebook (AGS), then follows an instructor's mark.
 * 10 minutes scheduled: present from 7.5 minutes, late after 10 (never, here).
 */
const students = ['ada', 'ben', 'cy', 'dee', 'eve'].map((name) => ({
  id: `full-path-${name}`,
  name: `${name[0]!.toUpperCase()}${name.slice(1)} Learner`,
}));

describe.each<LmsProfileName>(['moodle', 'canvas'])(
  'attendance from Join to the gradebook (%s)',
  (profile) => {
    let h: MeetingsHarness;
    beforeAll(async () => {
      h = await createMeetingsHarness({ profile });
      for (const s of students)
        h.lms.addUser({
          id: s.id,
          givenName: s.name.split(' ')[0]!,
          familyName: 'Learner',
          name: s.name,
          roles: [...h.lms.users.learner.roles],
        });
    }, 60_000);
    afterAll(() => h.close());

    const column = () => {
      const book = h.lms.gradebook();
      const item = book.lineItems.find((entry) => entry.resourceId === 'zoom-attendance:course');
      const scores = new Map<string, number | undefined>();
      for (const score of book.scores)
        if (item && score.lineItemId === item.id) scores.set(score.userId, score.scoreGiven);
      return { item, scores };
    };

    it('links, Join clicks, the class, results and the Attendance column, then an instructor’s mark', async () => {
      const fixture = await classFixture(h);
      const meeting = await fixture.schedule('Full path', 10);
      await fixture.runJobs('attendance.roster', 'attendance.links');
      // The LTI user ids (Canvas's are opaque), from the roster the tool read.
      const sub = new Map<string, string>();
      for (const s of students) {
        const [person] = await rows<{ lms_user_id: string }>(
          h,
          sql`select lms_user_id from course_people where name = ${s.name} and is_student`,
        );
        sub.set(s.id, String(person?.lms_user_id));
      }
      const made = await rows<{ lms_user_id: string; state: string }>(
        h,
        sql`select lms_user_id, state from meeting_registrants where meeting_id = ${meeting.id}`,
      );
      expect(made.filter((r) => r.state === 'ready').map((r) => r.lms_user_id)).toEqual(
        expect.arrayContaining([...sub.values()]),
      );

      // Each student opens the course and clicks Join: their own link at Zoom, no Zoom request.
      const links = new Map<string, string>();
      await drainJobs(h); // the instructor's reconciliation after scheduling (a retry, after the reconnect)
      const since = h.zoom.requests().at(-1)?.seq ?? 0;
      for (const s of students) {
        const page = await h.page(s.id);
        const click = await request(h.app).get(
          `/lti/meetings/${meeting.id}/join?ltik=${encodeURIComponent(page.ltik)}`,
        );
        expect(click.status).toBe(303);
        expect(String(click.headers.location)).toMatch(new RegExp(`/w/${meeting.zoomId}\\?tk=`));
        links.set(s.id, String(click.headers.location));
      }
      expect(links.size).toBe(new Set(links.values()).size);
      expect(h.zoom.requests({ since }).filter((r) => r.path.startsWith('/v2/'))).toEqual([]);

      // The instructor sends attendance to the gradebook as one column.
      const staff = await h.page(h.lms.users.instructor.id);
      const saved = await h.post(staff, '/attendance/settings', {
        presentPercent: '75',
        lateMinutes: '10',
        counted: [meeting.id],
        gradeMode: 'course',
      });
      expect(saved.status).toBe(303);

      await fixture.startTime(meeting);
      const url = (k: number) => links.get(students[k]!.id)!;
      await h.zoom.playClass(meeting.zoomId, {
        end_at: 600,
        attendees: [
          { join_url: url(0), join_at: 0 }, // all of it
          { join_url: url(1), join_at: 30, leave_at: 590 }, // 560 s: present
          { join_url: url(2), join_at: 300 }, // half: absent
          { join_url: url(3), join_at: 0, leave_at: 200 }, // a rejoin: 500 s in all, present
          { join_url: url(3), join_at: 300 },
          // eve never comes
        ],
      });
      await fixture.redeliver();
      await fixture.runJobs('attendance.finalize');
      const [instance] = await instancesOf(h, meeting.id);
      expect(instance?.final_at).not.toBeNull();
      await fixture.runJobs('attendance.grades');

      const expected: Record<string, number> = {
        [students[0]!.id]: 100,
        [students[1]!.id]: 100,
        [students[2]!.id]: 0,
        [students[3]!.id]: 100,
        [students[4]!.id]: 0,
      };
      const first = column();
      expect(first.item).toMatchObject({ label: 'Attendance', scoreMaximum: 100 });
      for (const [id, score] of Object.entries(expected))
        expect([id, first.scores.get(id)]).toEqual([id, score]);

      // Eve was ill: the instructor marks her excused, with the reason; her score follows.
      const marked = await h.post(staff, `/attendance/instances/${String(instance?.id)}/override`, {
        action: 'set',
        userId: sub.get(students[4]!.id) ?? '',
        status: 'excused',
        reason: 'A doctor’s note',
      });
      expect(marked.status).toBe(303);
      await fixture.runJobs('attendance.grades');
      expect(column().scores.get(students[4]!.id)).toBe(100);
      expect(column().scores.get(students[2]!.id)).toBe(0);

      // Each student sees their own attendance, nobody else's.
      const ada = await h.page(students[0]!.id);
      const mine = await request(h.app)
        .get(`/lti/attendance/mine?ltik=${encodeURIComponent(ada.ltik)}`)
        .accept('html');
      expect(mine.status).toBe(200);
      expect(plain(mine.text)).toContain('Full path');
      expect(plain(mine.text)).not.toContain(students[1]!.name);
    }, 120_000);
  },
);
