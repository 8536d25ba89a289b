import request from 'supertest';
import { createMeetingsHarness, meetingForm, type MeetingsHarness } from '../../support/meetings-harness';

const CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';

/**
 * The LMS's content picker (LtiDeepLinkingRequest) opens a view where the instructor picks a meeting
 * of the course or schedules a new one, and gets back an LtiResourceLink titled with the topic.
 * Launching that link opens that meeting; a plain course link opens the course's list.
 */
describe('placing meetings with the LMS content picker', () => {
  let h: MeetingsHarness;
  let existingId: string;
  beforeAll(async () => {
    h = await createMeetingsHarness();
    existingId = (await h.schedule(await h.page(h.lms.users.instructor.id), { topic: 'Existing seminar' }))
      .id;
    await h.schedule(await h.page(h.lms.users.instructor.id), { topic: 'Other seminar' });
  });
  afterAll(() => h.close());

  async function pickerLaunch() {
    return h.page(h.lms.users.instructor.id, undefined, '', { messageType: 'LtiDeepLinkingRequest' });
  }

  /** Posts the page's auto-submitting form to the LMS, as the browser would. */
  async function returnToLms(html: string) {
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '';
    const jwt = /name="JWT" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const answer = await fetch(action.replace(/&amp;/g, '&'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ JWT: jwt }).toString(),
    });
    expect(answer.status).toBe(200);
    return h.lms.deepLinkingReturns.at(-1)?.contentItems;
  }

  it('the picker lists the course’s meetings and offers the scheduling form', async () => {
    const page = await pickerLaunch();
    expect(page.text).toContain('Add a Zoom meeting to your course');
    expect(page.text).toContain('Existing seminar');
    expect(page.text).toContain('Add to course');
    expect(page.text).toContain('Topic');
  });

  it('picking a meeting returns a resource link titled with its topic', async () => {
    const page = await pickerLaunch();
    const answer = await h.post(page, `/meetings/${existingId}/pick`);
    expect(answer.status).toBe(200);
    expect(await returnToLms(answer.text)).toEqual([
      { type: 'ltiResourceLink', title: 'Existing seminar', custom: { meeting_id: existingId } },
    ]);
  });

  it('scheduling from the picker creates the meeting and returns its link', async () => {
    const page = await pickerLaunch();
    const answer = await h.post(
      page,
      '/meetings',
      meetingForm({ intent: page.intent, topic: 'Picked new seminar' }),
    );
    expect(answer.status).toBe(200);
    const [item] = (await returnToLms(answer.text)) as Array<{
      title: string;
      custom: { meeting_id: string };
    }>;
    expect(item?.title).toBe('Picked new seminar');
    const row = (await h.meetingRows()).find((r) => r.id === item?.custom.meeting_id);
    expect(row).toMatchObject({ topic: 'Picked new seminar', state: 'scheduled' });
  });

  async function launchLink(userId: string, meetingId: string) {
    const { login, idToken, state } = await h.authorize(userId, undefined, {
      claims: (claims) => {
        claims[`${CLAIM}custom`] = { meeting_id: meetingId };
      },
    });
    const posted = await h.postLaunch({ id_token: idToken, state }, login.cookie);
    return request(h.app).get(String(posted.headers.location)).accept('html');
  }

  it('a student launching the placed link sees that meeting with Join, and no other', async () => {
    const page = await launchLink(h.lms.users.learner.id, existingId);
    expect(page.status).toBe(200);
    expect(page.text).toContain('Existing seminar');
    expect(page.text).not.toContain('Other seminar');
    expect(page.text).toMatch(/class="button join" href="[^"]*\/lti\/meetings\/[0-9a-f-]{36}\/join\?ltik=/);
  });

  it('an instructor launching the placed link sees that meeting with Start and Edit', async () => {
    const page = await launchLink(h.lms.users.instructor.id, existingId);
    expect(page.text).toContain('Existing seminar');
    expect(page.text).not.toContain('Other seminar');
    expect(page.text).toContain(`/meetings/${existingId}/start`);
    expect(page.text).toContain(`/meetings/${existingId}/edit`);
  });

  it('a plain course link lists every meeting of the course', async () => {
    const page = await h.page(h.lms.users.learner.id);
    expect(page.text).toContain('Existing seminar');
    expect(page.text).toContain('Other seminar');
  });
});
