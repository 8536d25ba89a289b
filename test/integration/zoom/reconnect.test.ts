import request from 'supertest';
import { sql } from 'drizzle-orm';
import { openFor } from '../../../src/zoom/zoom.tokens';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

describe('a dead refresh token', () => {
  let h: ZoomHarness;
  beforeAll(async () => {
    h = await createZoomHarness();
  });
  afterAll(() => h.close());

  it('marks the connection "reconnect required", shown to admins and explained to instructors; Zoom is not asked again', async () => {
    expect((await h.connectOAuth()).status).toBe(200);
    const row = (await h.connectionRow()) as { id: string; refresh_token_sealed: string };
    // A second refresher (another site sharing the app, a restored backup…) rotates our refresh token away.
    const stolen = openFor(h.built.secretBox, row.id, 'refresh', row.refresh_token_sealed);
    const rotated = await fetch(`${h.zoom.baseUrl}/oauth/token`, {
      method: 'POST',
      headers: {
        authorization: `Basic ${Buffer.from(`${h.app_.client_id}:${h.app_.client_secret}`).toString('base64')}`,
        'content-type': 'application/x-www-form-urlencoded',
      },
      body: new URLSearchParams({ grant_type: 'refresh_token', refresh_token: stolen }).toString(),
    });
    expect(rotated.status).toBe(200);

    await h.database.db.execute(
      sql`update zoom_connections set access_token_expires_at = now() - interval '1 second'`,
    );
    h.zoom.clearRequests();
    await expect(h.built.zoom.tokens.accessToken(row.id)).rejects.toMatchObject({
      id: 'zoom_reconnect_required',
    });
    expect(h.zoom.requests({ path: '/oauth/token' })).toHaveLength(1);
    await expect(h.built.zoom.tokens.accessToken(row.id)).rejects.toMatchObject({
      id: 'zoom_reconnect_required',
    });
    await expect(h.built.zoom.tokens.accessToken(row.id)).rejects.toMatchObject({
      id: 'zoom_reconnect_required',
    });
    expect(h.zoom.requests({ path: '/oauth/token' })).toHaveLength(1);

    expect(await h.connectionRow()).toMatchObject({
      status: 'reconnect_required',
      last_error: 'zoom_invalid_grant',
      access_token_sealed: null,
      refresh_token_sealed: null,
    });
    const admin = await h.adminLtik();
    const page = await request(h.app).get(`/lti/zoom?ltik=${admin}`).accept('html');
    expect(page.text).toContain('data-status="reconnect_required"');
    expect(page.text).toContain('Reconnect required');
    expect(page.text).toContain('Connect Zoom');
    const adminCourse = await request(h.app).get(`/lti/course?ltik=${admin}`).accept('html');
    expect(adminCourse.text).toContain('Zoom needs to be reconnected');
    const instructor = await h.launch(h.lms.users.instructor.id);
    expect(instructor.course.text).toContain('needs to be renewed by a school administrator');

    // Reconnecting brings it back.
    expect((await h.connectOAuth({ ltik: admin })).status).toBe(200);
    expect(await h.connectionRow()).toMatchObject({ status: 'connected', last_error: null });
    await expect(h.built.zoom.tokens.accessToken(row.id)).resolves.toEqual(expect.any(String));
  });
});
