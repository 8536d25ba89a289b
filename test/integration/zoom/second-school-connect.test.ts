import request from 'supertest';
import type { LmsEmulator } from '../../../src/sandbox/lms';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';
import { runSelfCheck } from './self-check.helpers';

/**
 * Two schools in one deployment. School A connects its Zoom, and its launches make Zoom users,
 * among them its LMS administrator. School B's administrator has the same email (one person, or the
 * LMS emulator's shared addresses): a Zoom user in school A's account. Connecting school B's own
 * Server-to-Server app looks that email up with B's token, and Zoom answers "User does not belong to
 * this account" (1010): the token and its scopes worked, so the connection is made.
 */
describe('a second school connects Zoom after the first school’s launches made Zoom users', () => {
  let h: ZoomHarness;
  let schoolA: LmsEmulator;
  let accountA: string;

  beforeAll(async () => {
    h = await createZoomHarness();
    schoolA = await h.addLms({ profile: 'moodle', school: 'School A' });
    accountA = (await h.zoom.createAccount({ plan: 'pro' })).account_id;
    await h.connectS2S({ lms: schoolA, accountId: accountA });
    const admin = await h.adminLtik(schoolA);
    const saved = await h.saveSettings(admin, { provisionAdministrators: 'yes' });
    expect(saved.status).toBe(303);
    for (const who of [schoolA.users.instructor.id, schoolA.users.admin.id]) {
      const { ltik } = await h.launch(who, undefined, schoolA);
      expect((await request(h.app).get(`/lti/course?ltik=${ltik}`).accept('html')).status).toBe(200);
    }
  });
  afterAll(() => h.close());

  it('school B’s admin connects with the Server-to-Server form; its launches and self-check work, and school A keeps its connection', async () => {
    const adminEmail = schoolA.users.admin.email ?? '';
    expect(h.zoom.users(accountA).map((user) => user.email)).toContain(adminEmail);

    const schoolB = await h.addLms({ profile: 'moodle', school: 'School B' });
    expect(schoolB.users.admin.email).toBe(adminEmail);
    const accountB = (await h.zoom.createAccount({ plan: 'pro' })).account_id;
    await h.connectS2S({ lms: schoolB, accountId: accountB });
    expect(await h.connectionRow('School B')).toMatchObject({
      status: 'connected',
      zoom_account_id: accountB,
    });

    const { ltik } = await h.launch(schoolB.users.instructor.id, undefined, schoolB);
    expect((await request(h.app).get(`/lti/course?ltik=${ltik}`).accept('html')).status).toBe(200);
    expect(await h.connectionRow('School A')).toMatchObject({
      status: 'connected',
      zoom_account_id: accountA,
    });

    const { checks } = await runSelfCheck(h.app, await h.adminLtik(schoolB));
    expect(checks.lookup).toMatchObject({ status: 'pass' });
    expect(checks.lookup?.text).toContain('has no Zoom user in this account');
  });
});
