import request from 'supertest';
import { createLmsEmulator, type LmsEmulator, type LmsProfileName } from '../../../../src/sandbox/lms';

const CUSTOM = 'https://purl.imsglobal.org/spec/lti/claim/custom';
const profiles: LmsProfileName[] = ['moodle', 'canvas'];

/** Next term in the emulated LMS: an instructor copies the course from its page; a learner cannot. */
describe.each(profiles)('%s emulator: copying a course', (profile) => {
  let lms: LmsEmulator;
  const button = profile === 'canvas' ? 'Copy this course' : 'Copy course (restore as a new course)';

  beforeAll(async () => {
    lms = createLmsEmulator({
      profile,
      tool: {
        loginUrl: 'http://tool.test/lti/login',
        launchUrl: 'http://tool.test/lti/launch',
        jwksUrl: 'http://tool.test/lti/keys',
      },
    });
    await lms.start();
  });
  afterAll(() => lms.stop());

  const pathOf = (url: string) => {
    const parsed = new URL(url);
    return parsed.pathname + parsed.search;
  };

  it('an instructor’s course page offers the copy; it lands on the new course, whose launches name the earlier one', async () => {
    const page = await request(lms.app)
      .get(pathOf(lms.coursePageUrl(lms.users.instructor.id)))
      .expect(200);
    expect(page.text).toContain(button);
    const action = /<form method="post" action="([^"]+)"><button type="submit">/.exec(page.text)?.[1] ?? '';
    const response = await request(lms.app).post(action.replace(/&amp;/g, '&')).expect(303);
    const target = new URL(String(response.headers.location), lms.baseUrl);
    const newId = decodeURIComponent(target.pathname.split('/')[2] ?? '');
    expect(newId).not.toBe(lms.course.id);
    expect(target.searchParams.get('user')).toBe(lms.users.instructor.id);
    const copyPage = await request(lms.app)
      .get(target.pathname + target.search)
      .expect(200);
    expect(copyPage.text).toContain(`${lms.course.title} (copy)`);

    const custom = lms.claimsFor(lms.users.instructor.id, { nonce: 'n', courseId: newId })[CUSTOM] as Record<
      string,
      string
    >;
    expect(custom.context_id_history).toBe(lms.course.contextId);
    const context = lms.claimsFor(lms.users.instructor.id, { nonce: 'n', courseId: newId })[
      'https://purl.imsglobal.org/spec/lti/claim/context'
    ] as { id: string };
    expect(context.id).not.toBe(lms.course.contextId);
  });

  it('a learner’s page has no copy, and a learner’s post is refused', async () => {
    const page = await request(lms.app)
      .get(pathOf(lms.coursePageUrl(lms.users.learner.id)))
      .expect(200);
    expect(page.text).not.toContain(button);
    await request(lms.app)
      .post(`/course/${lms.course.id}/copy?user=${encodeURIComponent(lms.users.learner.id)}`)
      .expect(403);
  });
});
