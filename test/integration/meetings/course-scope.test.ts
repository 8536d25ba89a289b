import { sql } from 'drizzle-orm';
import request from 'supertest';
import type { LmsEmulator } from '../../../src/sandbox/lms';
import { databaseKinds } from '../../support/db';
import { coursePage, meetingItem, newIntent, plain, rows, settleJobs } from '../../support/meetings-fixtures';
import { createMeetingsHarness, meetingForm, type MeetingsHarness } from '../../support/meetings-harness';

const CREATE = '^/v2/users/[^/]+/meetings$';

/**
 * What a course page names: the notice after a change reads the meeting of this course only (its
 * school, LMS and context), an invitation names the meeting's host (not the course), and the
 * content picker places only meetings Zoom confirmed.
 */
describe.each(databaseKinds('one'))('what the course pages name (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let other: LmsEmulator;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    // The same school's second LMS, whose course has the same context id as the first's.
    other = await h.addLms({ profile: 'moodle', school: 'moodle school' });
  });
  afterAll(() => h.close());
  afterEach(() => h.zoom.clearFaults());

  it('a notice names a meeting of this course only: not one of another LMS’s course with the same context id', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const { id } = await h.schedule(page, { intent: newIntent(), topic: 'Secret seminar of LMS one' });
    const elsewhere = await h.launch(other.users.instructor.id, undefined, other);
    expect(other.course.contextId).toBe(h.lms.course.contextId);

    const theirs = await request(h.app)
      .get(`/lti/course?ltik=${encodeURIComponent(elsewhere.ltik)}&notice=deleted&m=${id}`)
      .accept('html');
    const ours = await coursePage(h, page, `&notice=deleted&m=${id}`);

    expect(theirs.status).toBe(200);
    expect(plain(theirs.text)).toContain('The meeting “” is deleted.');
    expect(theirs.text).not.toContain('Secret seminar of LMS one');
    expect(ours).toContain('The meeting “Secret seminar of LMS one” is deleted.');
  });

  it('an invitation shown to a co-instructor names the meeting’s host, not the course', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const { id } = await h.schedule(page, { intent: newIntent(), topic: 'Hosted by Terry' });
    const host = h.lms.findUser(h.lms.users.instructor.id)?.name ?? '';
    await h.activate(h.lms.users.ta.id);

    const seen = meetingItem(await coursePage(h, await h.page(h.lms.users.ta.id)), id);

    expect(host).not.toBe('');
    expect(seen).toContain(`${host} is inviting you to a scheduled Zoom meeting.`);
    expect(seen).not.toContain(`${h.lms.course.title} is inviting you`);
  });

  describe('the content picker', () => {
    const pickerLaunch = () =>
      h.page(h.lms.users.instructor.id, undefined, '', { messageType: 'LtiDeepLinkingRequest' });

    /** A meeting Zoom did not confirm yet: its create's answer lost, and the look-up after it too. */
    async function unconfirmed(topic: string) {
      h.zoom.injectFault({ match: { method: 'POST', path: CREATE }, kind: 'commit_then_drop', count: 1 });
      h.zoom.injectFault({ match: { method: 'GET', path: CREATE }, kind: 'status5xx', status: 503 });
      const page = await pickerLaunch();
      const answer = await h.post(page, '/meetings', meetingForm({ intent: newIntent(), topic }));
      h.zoom.clearFaults();
      const [row] = await rows<{ id: string; state: string }>(
        h,
        sql`select id, state from meetings where topic = ${topic}`,
      );
      expect(row?.state).toBe('creating');
      return { page, answer, id: row?.id ?? '' };
    }

    it('scheduling from the picker when Zoom does not confirm the create answers no link: it says the meeting is being confirmed', async () => {
      const returnsBefore = h.lms.deepLinkingReturns.length;
      const { answer } = await unconfirmed('Unconfirmed from the picker');

      expect(answer.status).toBe(303);
      const shown = plain((await request(h.app).get(String(answer.headers.location)).accept('html')).text);
      expect(shown).toContain('Add a Zoom meeting to your course');
      expect(shown).toContain(
        'Zoom did not confirm “Unconfirmed from the picker” yet, so it is not added to your course.',
      );
      expect(shown).not.toContain('name="JWT"');
      expect(h.lms.deepLinkingReturns.length).toBe(returnsBefore);
    });

    it('the picker lists only meetings Zoom confirmed, and refuses to place one it did not', async () => {
      const { id } = await unconfirmed('Unconfirmed to pick');
      const page = await pickerLaunch();

      expect(page.text).not.toContain(`/meetings/${id}/pick`);
      expect(page.text).not.toContain('Unconfirmed to pick</strong>');
      const refused = await h.post(page, `/meetings/${id}/pick`);
      expect(refused.status).toBe(303);
      expect(refused.text).not.toContain('name="JWT"');
      const told = plain((await request(h.app).get(String(refused.headers.location)).accept('html')).text);
      expect(told).toContain(
        'Zoom did not confirm “Unconfirmed to pick” yet, so it is not added to your course.',
      );

      // Once the confirm job finds it at Zoom, it is listed and can be placed.
      await rows(h, sql`update background_jobs set run_at = now() where kind = 'meetings.confirm-create'`);
      await settleJobs(h);
      const later = await pickerLaunch();
      expect(later.text).toContain(`/meetings/${id}/pick`);
      expect((await h.post(later, `/meetings/${id}/pick`)).text).toContain('name="JWT"');
    });
  });
});
