import { sql } from 'drizzle-orm';
import { plain, rows } from '../../support/meetings-fixtures';
import {
  importSetup,
  profilesOn,
  snapshot,
  zoomApi,
  zoomMeeting,
  zoomUserIdOf,
  type ImportSetup,
  type ZoomCall,
} from './import-fixture';

/**
 * Issue 20 item 1: what cannot be brought into a course is refused in words (English and
 * Spanish), and nothing changes: not in our tables, not at Zoom.
 */
describe.each(profilesOn())('importing meetings from Zoom: refusals (%s, %s)', (profile, databaseKind) => {
  let s: ImportSetup;
  beforeAll(async () => {
    s = await importSetup(profile, databaseKind);
  }, 60_000);
  afterAll(() => s.h.close());
  const post = (fields: Record<string, string>, page = s.staff) => s.h.post(page, '/import', fields);

  describe('refusals, in words, with nothing changed', () => {
    let other: ZoomCall;
    let otherAdmin: string;
    beforeAll(async () => {
      const account = await s.h.zoom.createAccount({ plan: 'business' });
      other = await zoomApi(s.h, account.account_id);
      otherAdmin = account.admin_email;
      await s.h.activate(s.h.lms.users.ta.id);
    });

    const cases: Array<[string, () => Promise<string>, number, string]> = [
      ['garbage', async () => 'hello there', 400, 'That is not a Zoom meeting ID or join link.'],
      ['nothing', async () => '', 400, 'That is not a Zoom meeting ID or join link.'],
      ['too few digits', async () => '12345', 400, 'That is not a Zoom meeting ID or join link.'],
      ['a link of no meeting', async () => 'https://school.zoom.us/j/abc', 400, 'not a Zoom meeting ID'],
      ['a script', async () => 'javascript:alert(1)//12345678901', 400, 'not a Zoom meeting ID'],
      [
        'a meeting of another Zoom account',
        async () => (await zoomMeeting(other, otherAdmin, { topic: 'Theirs' })).id,
        404,
        'Your school’s Zoom account has no such meeting',
      ],
      ['a meeting that does not exist', async () => '99999999999', 404, 'has no such meeting'],
      [
        'a deleted meeting',
        async () => {
          const made = await zoomMeeting(s.zoom, s.host, { topic: 'Deleted in Zoom' });
          await s.zoom('DELETE', `/meetings/${made.id}`);
          return made.id;
        },
        404,
        'has no such meeting',
      ],
      [
        'a meeting that is over',
        async () => (await zoomMeeting(s.zoom, s.host, { start_time: '2022-02-01T10:00:00' })).id,
        409,
        'That meeting is over',
      ],
      [
        'a meeting with no fixed time',
        async () => (await zoomMeeting(s.zoom, s.host, { type: 3, start_time: undefined })).id,
        409,
        'no fixed time',
      ],
      [
        'a meeting the instructor is only an alternative host of',
        async () => {
          const ta = await zoomUserIdOf(s.h, s.h.lms.users.ta.id);
          const email = String(s.h.zoom.users(s.h.account.account_id).find((u) => u.id === s.host)?.email);
          return (
            await zoomMeeting(s.zoom, ta, {
              topic: 'Hosted by the TA',
              settings: { alternative_hosts: email },
            })
          ).id;
        },
        403,
        'You are not the host of that meeting',
      ],
      [
        'a meeting another course holds',
        async () => {
          const made = await zoomMeeting(s.zoom, s.host, { topic: 'Held elsewhere' });
          const [course] = await rows<{ school_id: string; lms_issuer: string }>(
            s.h,
            sql`select school_id, lms_issuer from courses limit 1`,
          );
          await rows(
            s.h,
            sql`insert into meetings (school_id, lms_issuer, context_id, intent_key, state, zoom_meeting_id,
                  host_zoom_user_id, host_lms_user_id, scheduled_by, topic, start_time, duration_minutes,
                  time_zone, settings)
                values (${course?.school_id}, ${course?.lms_issuer}, 'chemistry-202', ${`seed-${made.id}`},
                  'scheduled', ${made.id}, ${s.host}, ${s.h.lms.users.instructor.id}, ${s.h.lms.users.instructor.id},
                  'Held elsewhere', '2030-05-06T14:00:00Z', 45, 'America/New_York', '{}'::jsonb)`,
          );
          return made.id;
        },
        409,
        'Another course of your school already holds that meeting.',
      ],
    ];

    it.each(cases)('refuses %s', async (_label, input, status, words) => {
      const pasted = await input();
      const before = await snapshot(s.h);
      s.h.zoom.clearRequests();
      const response = await post({ meeting: pasted });
      expect(response.status).toBe(status);
      const text = plain(response.text);
      expect(text).toContain(words);
      expect(text).toContain('Nothing');
      expect(text).not.toContain('chemistry-202');
      expect(await snapshot(s.h)).toBe(before);
      expect(s.h.zoom.requests({ method: 'PATCH' })).toEqual([]);
    });

    it('refuses in Spanish for a Spanish launch', async () => {
      const es = await s.h.page(s.h.lms.users.instructor.id, s.h.lms, '', { locale: 'es' });
      const before = await snapshot(s.h);
      const response = await post({ meeting: 'nada' }, es);
      expect(response.status).toBe(400);
      expect(plain(response.text)).toContain(
        'Eso no es un ID ni un enlace de reunión de Zoom. No se añadió nada.',
      );
      expect(await snapshot(s.h)).toBe(before);
    });
  });
});
