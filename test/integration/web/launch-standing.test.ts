import type { Express } from 'express';
import request from 'supertest';
import { buildApp, type BuiltApp } from '../../../src/app';
import { loadConfig } from '../../../src/config';
import { createLogger } from '../../../src/shared/logger';
import { databaseKinds, TEST_MASTER_KEY } from '../../support/db';
import { testToolKeyPairs } from '../../support/keys';
import { TOOL_URL } from '../../support/lti-harness';
import {
  createMeetingsHarness,
  meetingForm,
  type MeetingsHarness,
  type Page,
} from '../../support/meetings-harness';

/**
 * A session opened before an operator deactivated its registration or deployment goes no further:
 * every request behind its ltik (the course page, scheduling, deleting, the school admin's pages) is
 * refused with a page that says what happened and whom to ask, and nothing reaches Zoom. Activated
 * again, the same session works again. Another instance sharing the database sees the change
 * within the launch cache's lifetime (shortened here).
 */
describe.each(databaseKinds('one'))('sessions of a deactivated registration or deployment (%s)', (kind) => {
  let h: MeetingsHarness;
  let target: { schoolId: string; registrationId: string };

  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind: kind });
    const registration = await h.built.tenants.findForLaunch(h.lms.issuer, h.lms.clientId);
    target = { schoolId: registration!.schoolId, registrationId: registration!.id };
  });
  afterAll(() => h.close());

  const coursePage = (app: Express, page: Page) =>
    request(app).get('/lti/course').query({ ltik: page.ltik }).accept('html');

  function expectRefusalPage(response: request.Response) {
    expect(response.status).toBe(403);
    expect(response.text).toContain('This course’s link to Zoom was turned off');
    expect(response.text).toContain('Ask your LMS administrator');
    expect(response.text).toContain('launch_inactive');
  }

  const switches = {
    registration: (active: boolean) => h.built.tenants.updateRegistration(target, { active }),
    deployment: (active: boolean) =>
      h.built.tenants.setDeploymentActive({ ...target, deploymentId: h.lms.deploymentId }, active),
  };

  describe.each(['registration', 'deployment'] as const)('when the %s is deactivated', (what) => {
    let instructor: Page;
    let admin: Page;
    let spanish: Page;
    let meetingId: string;

    beforeAll(async () => {
      instructor = await h.page(h.lms.users.instructor.id);
      admin = await h.page(h.lms.users.admin.id);
      spanish = await h.page(h.lms.users.instructor.id, h.lms, '', { locale: 'es' });
      const scheduled = await h.schedule(instructor, { topic: `Before the ${what} was deactivated` });
      expect(scheduled.response.status).toBe(303);
      meetingId = scheduled.id;
      await switches[what](false);
    });
    afterAll(() => switches[what](true));

    it('an ltik issued before no longer reads the course page: 403 with what to do', async () => {
      expectRefusalPage(await coursePage(h.app, instructor));
    });

    it('scheduling is refused and nothing reaches Zoom or the database', async () => {
      const rowsBefore = await h.meetingRows();
      h.zoom.clearRequests();
      const { response } = await h.schedule(instructor, { topic: 'After deactivation' });
      expectRefusalPage(response);
      expect(h.zoom.requests()).toEqual([]);
      expect(await h.meetingRows()).toEqual(rowsBefore);
    });

    it('deleting is refused and the meeting stays at Zoom', async () => {
      h.zoom.clearRequests();
      const response = await h.post(instructor, `/meetings/${meetingId}/delete`, { scope: 'all' });
      expectRefusalPage(response);
      expect(h.zoom.requests()).toEqual([]);
      const row = (await h.meetingRows()).find((meeting) => meeting.id === meetingId);
      expect(row).toMatchObject({ state: 'scheduled', zoom_meeting_id: expect.any(String) });
    });

    it("the school admin's pages and forms are refused too", async () => {
      h.zoom.clearRequests();
      for (const path of ['/lti/zoom', '/lti/zoom/people']) {
        const page = await request(h.app).get(path).query({ ltik: admin.ltik }).accept('json');
        expect(page.status).toBe(403);
        expect(page.body).toEqual({ error: expect.objectContaining({ id: 'launch_inactive' }) });
      }
      const disconnect = await request(h.app)
        .post('/lti/zoom/disconnect')
        .type('form')
        .accept('json')
        .send({ ltik: admin.ltik, csrf: admin.csrf });
      expect(disconnect.status).toBe(403);
      expect(await h.connectionRow()).toMatchObject({ status: 'connected' });
      expect(h.zoom.requests()).toEqual([]);
    });

    it('the refusal is in the language of the launch', async () => {
      const refused = await coursePage(h.app, spanish);
      expect(refused.status).toBe(403);
      expect(refused.text).toContain('lang="es"');
      expect(refused.text).toContain('El enlace de este curso con Zoom se desactivó');
    });

    it('activated again, the same session works again', async () => {
      await switches[what](true);
      const course = await coursePage(h.app, instructor);
      expect(course.status).toBe(200);
      expect(course.text).toContain(`Before the ${what} was deactivated`);
      await switches[what](false);
    });
  });

  it('a session whose registration was removed is refused', async () => {
    const instructor = await h.page(h.lms.users.instructor.id);
    const other = await h.addLms({ profile: 'moodle', school: 'removed school' });
    const otherPage = await h.page(other.users.instructor.id, other);
    expect((await coursePage(h.app, otherPage)).status).toBe(200);
    const registration = await h.built.tenants.findForLaunch(other.issuer, other.clientId);
    await h.built.tenants.removePlatform({ id: registration!.id });
    const refused = await coursePage(h.app, otherPage);
    expect(refused.status).toBeGreaterThanOrEqual(401);
    expect(refused.status).toBeLessThan(404);
    // The other school's sessions are untouched.
    expect((await coursePage(h.app, instructor)).status).toBe(200);
  });

  describe('across two instances sharing one database', () => {
    const TTL_MS = 300;
    let second: BuiltApp;

    beforeAll(async () => {
      const config = loadConfig({
        PUBLIC_URL: TOOL_URL,
        DATA_DIR: '/nonexistent',
        LOG_LEVEL: 'silent',
        ZOOM_CLIENT_ID: h.app_.client_id,
        ZOOM_CLIENT_SECRET: h.app_.client_secret,
        ZOOM_WEBHOOK_SECRET_TOKEN: h.app_.webhook_secret_token,
        ZOOM_OAUTH_URL: h.zoom.baseUrl,
        ZOOM_API_URL: `${h.zoom.baseUrl}/v2`,
      });
      second = await buildApp({
        config,
        database: h.database,
        logger: createLogger({ level: 'silent' }),
        masterKey: TEST_MASTER_KEY,
        toolKeyPairs: testToolKeyPairs(),
        launchCacheTtlMs: TTL_MS,
      });
    });
    afterAll(async () => {
      await switches.registration(true);
      await second.lti.close();
    });

    const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

    it('a deactivation on one instance refuses the session on the other within its cache lifetime', async () => {
      const instructor = await h.page(h.lms.users.instructor.id);
      expect((await coursePage(second.app, instructor)).status).toBe(200);

      await switches.registration(false);
      expectRefusalPage(await coursePage(h.app, instructor));
      await pause(TTL_MS + 100);
      expectRefusalPage(await coursePage(second.app, instructor));
      h.zoom.clearRequests();
      const scheduled = await request(second.app)
        .post('/lti/meetings')
        .type('form')
        .accept('html')
        .send({
          ltik: instructor.ltik,
          csrf: instructor.csrf,
          ...meetingForm({ intent: instructor.intent }),
        });
      expectRefusalPage(scheduled);
      expect(h.zoom.requests()).toEqual([]);

      await switches.registration(true);
      expect((await coursePage(h.app, instructor)).status).toBe(200);
      await pause(TTL_MS + 100);
      expect((await coursePage(second.app, instructor)).status).toBe(200);
    });
  });
});
