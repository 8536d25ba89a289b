import request from 'supertest';
import { LTI_SCOPES, type LmsEmulator } from '../../../../src/sandbox/lms';
import { AGS_CLAIM, pathOf, PROFILES, serviceToken, startEmulatorWithTool } from './lms.ags.helpers';
import type { ToolKeys } from './lms.helpers';
const unescape = (html: string) => html.replace(/&amp;/g, '&');

describe.each(PROFILES)('%s emulator: the gradebook page', (profile) => {
  let toolKeys: ToolKeys;
  let lms: LmsEmulator;
  let token: string;
  let week1: string;
  let week2: string;

  const post = (path: string, type: string, body: unknown) =>
    request(lms.app)
      .post(path)
      .set('Authorization', `Bearer ${token}`)
      .set('Content-Type', type)
      .send(JSON.stringify(body));
  const lineItem = async (label: string, scoreMaximum: number) => {
    const claims = lms.claimsFor(lms.users.instructor.id, { nonce: 'n' });
    const url = (claims[AGS_CLAIM] as { lineitems: string }).lineitems;
    const response = await post(pathOf(url), 'application/vnd.ims.lis.v2.lineitem+json', {
      label,
      scoreMaximum,
    }).expect(201);
    return response.body.id as string;
  };
  const score = async (lineItemUrl: string, fields: Record<string, unknown>) => {
    const scores = new URL(lineItemUrl);
    scores.pathname += '/scores';
    await post(pathOf(scores.toString()), 'application/vnd.ims.lis.v1.score+json', {
      userId: lms.claimsFor(lms.users.learner.id, { nonce: 'n' }).sub,
      activityProgress: 'Completed',
      gradingProgress: 'FullyGraded',
      timestamp: new Date().toISOString(),
      ...fields,
    }).expect(200);
  };
  const gradebookPath = (userId: string) => pathOf(lms.gradebookPageUrl(userId));

  beforeAll(async () => {
    ({ lms, toolKeys } = await startEmulatorWithTool(profile));
    token = await serviceToken(lms, toolKeys, [LTI_SCOPES.lineItem, LTI_SCOPES.score].join(' '));
  });
  afterAll(async () => {
    await lms.stop();
    await toolKeys.close();
  });

  it('says there are no columns before a tool adds one', async () => {
    const page = await request(lms.app).get(gradebookPath(lms.users.instructor.id)).expect(200);
    expect(page.text).toContain('<h1>Grades</h1>');
    expect(page.text).toContain('No grade columns yet');
    expect(page.text).not.toContain('<table');
  });

  it('shows line items as columns and students as rows, with each grade the LMS keeps', async () => {
    week1 = await lineItem('Week 1 <attendance>', 10);
    week2 = await lineItem('Week 2', 4);
    await score(week1, { scoreGiven: 1, scoreMaximum: 2 });
    await score(week2, { gradingProgress: 'Pending', activityProgress: 'Submitted' });

    const page = await request(lms.app).get(gradebookPath(lms.users.instructor.id)).expect(200);
    expect(page.headers['content-type']).toContain('text/html');
    const html = page.text;
    expect(html).toMatch(/<caption id="grades-caption">Grades in Zoom Practice 101<\/caption>/);
    expect(html).toContain('<th scope="col">Student</th>');
    expect(html).toContain('Week 1 &lt;attendance&gt; <span>(out of 10)</span>');
    expect(html).not.toContain('<attendance>');
    expect((html.match(/<th scope="col" data-line-item-id=/g) ?? []).length).toBe(2);

    const gradebook = lms.gradebook();
    expect(gradebook.students.map((student) => student.id)).toEqual([lms.users.learner.id]);
    const row = new RegExp(
      `<tr data-user-id="${lms.users.learner.id}"><th scope="row">Sam Student</th>(.*?)</tr>`,
    ).exec(html)?.[1];
    expect(row).toBeDefined();
    const cells = [...(row ?? '').matchAll(/<td class="grade"[^>]*>([^<]*)<\/td>/g)].map((m) => m[1]);
    // 1 out of 2 on a 10-point column is 5; the pending score shows no grade yet.
    expect(cells).toEqual(['5', 'Pending']);
    expect(gradebook.lineItems.map((item) => item.url)).toEqual([week1, week2]);
    expect(gradebook.scores).toEqual([
      expect.objectContaining({ lineItemId: gradebook.lineItems[0]?.id, grade: 5 }),
      expect.objectContaining({ lineItemId: gradebook.lineItems[1]?.id, gradingProgress: 'Pending' }),
    ]);
  });

  it('shows "No grade" where a student has no score, and the admin sees the page too', async () => {
    await lineItem('Week 3', 1);
    const page = await request(lms.app).get(gradebookPath(lms.users.admin.id)).expect(200);
    expect(page.text).toMatch(/<td class="grade"[^>]*>No grade<\/td><\/tr>/);
  });

  it('links the gradebook from the course page for instructors and admins, not for students', async () => {
    for (const user of [lms.users.instructor, lms.users.admin]) {
      const course = await request(lms.app)
        .get(pathOf(lms.coursePageUrl(user.id)))
        .expect(200);
      const href = /<a href="([^"]*\/gradebook[^"]*)">Grades<\/a>/.exec(course.text)?.[1];
      expect(href).toBeDefined();
      await request(lms.app)
        .get(unescape(href ?? ''))
        .expect(200);
    }
    const learner = await request(lms.app)
      .get(pathOf(lms.coursePageUrl(lms.users.learner.id)))
      .expect(200);
    expect(learner.text).not.toContain('/gradebook');
  });

  it('refuses a student (403) and an unknown user or course (404)', async () => {
    const refused = await request(lms.app).get(gradebookPath(lms.users.learner.id)).expect(403);
    expect(refused.text).toContain('students see their own grades only');
    await request(lms.app).get(gradebookPath('no-such-user')).expect(404);
    await request(lms.app).get(`/course/9999/gradebook?user=${lms.users.instructor.id}`).expect(404);
  });
});
