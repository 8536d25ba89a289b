import request from 'supertest';
import {
  CLASSIC_ADMIN_SCOPES,
  validateZoomRequest,
  validateZoomResponse,
  type ZoomSimulator,
} from '../../../../src/sandbox/zoom';
import { api, startSimulator, type Tenant, tenant } from './zoom-sim.helpers';

const SETTINGS = '/meetings/{meetingId}/recordings/settings';

/**
 * A recording's sharing settings (`GET/PATCH /meetings/{meetingId}/recordings/settings`, openapi
 * `RecordingSettings`): sharing off makes its share and play links "not exist" (404); a new
 * passcode makes a link carrying the old `?pwd=` ask for the passcode; with the new one it plays;
 * `recording.completed` and the recordings API carry the current passcode.
 */
describe('Zoom simulator: a recording’s sharing settings', () => {
  let sim: ZoomSimulator;
  let t: Tenant;

  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(async () => {
    sim.reset();
    t = await tenant(sim, { plan: 'pro' });
  });

  type Recording = {
    uuid: string;
    share_url: string;
    password?: string;
    recording_play_passcode?: string;
    recording_files: Array<{ id: string; play_url: string }>;
  };
  async function recording(): Promise<{ id: number; rec: Recording }> {
    const m = await api(sim, t.token, 'post', '/users/me/meetings', {
      topic: 'Recorded lecture',
      type: 2,
      settings: { auto_recording: 'cloud' },
    });
    sim.startMeeting(m.body.id);
    await sim.advanceClock(30 * 60);
    sim.endMeeting(m.body.id, { participants: 2 });
    const found = await api(sim, t.token, 'get', `/meetings/${m.body.id}/recordings`);
    expect(found.status).toBe(200);
    return { id: m.body.id as number, rec: found.body as Recording };
  }
  const open = (url: string) => {
    const link = new URL(url);
    return request(sim.app).get(`${link.pathname}${link.search}`);
  };
  const withPwd = (url: string, pwd: string | undefined) => `${url}?pwd=${pwd}`;
  /** Sends a settings request whose body and answer must match openapi.v2.json. */
  async function settings(method: 'get' | 'patch', ref: string, body?: object, token = t.token) {
    if (body) expect(validateZoomRequest(method, SETTINGS, body).errors).toEqual([]);
    const res = await api(sim, token, method, `/meetings/${ref}/recordings/settings`, body);
    const checked = validateZoomResponse(
      method,
      SETTINGS,
      res.status,
      res.status === 204 ? undefined : res.body,
    );
    expect(checked.errors).toEqual([]);
    return res;
  }

  it('reads a new recording’s settings: shared publicly, with its passcode', async () => {
    const { id, rec } = await recording();
    const res = await settings('get', String(id));
    expect(res.status).toBe(200);
    expect(res.body).toMatchObject({
      share_recording: 'publicly',
      password: rec.password,
      viewer_download: true,
    });
  });

  it('sharing off: the share link and each play link do not exist (404), with or without the passcode', async () => {
    const { id, rec } = await recording();
    expect((await open(withPwd(rec.share_url, rec.recording_play_passcode))).text).toContain(
      'data-recording',
    );
    expect((await settings('patch', String(id), { share_recording: 'none' })).status).toBe(204);
    for (const url of [rec.share_url, rec.recording_files[0]!.play_url]) {
      const page = await open(withPwd(url, rec.recording_play_passcode));
      expect(page.status).toBe(404);
      expect(page.text).toContain('This recording does not exist.');
      expect(page.text).not.toContain('data-recording=');
    }
    expect((await settings('get', String(id))).body.share_recording).toBe('none');
  });

  it('a new passcode: the old ?pwd= link asks again, the new one plays, the recordings API carries it', async () => {
    const { id, rec } = await recording();
    const uuid = encodeURIComponent(encodeURIComponent(rec.uuid));
    expect((await settings('patch', uuid, { share_recording: 'publicly', password: 'N3wPass' })).status).toBe(
      204,
    );
    const old = await open(withPwd(rec.share_url, rec.recording_play_passcode));
    expect(old.status).toBe(200);
    expect(old.text).toContain('data-passcode-prompt');
    expect(old.text).toContain('Wrong passcode.');
    const fresh = (await api(sim, t.token, 'get', `/meetings/${uuid}/recordings`)).body as Recording;
    expect(fresh.password).toBe('N3wPass');
    expect(fresh.recording_play_passcode).not.toBe(rec.recording_play_passcode);
    expect((await open(withPwd(rec.share_url, fresh.recording_play_passcode))).text).toContain(
      'data-recording',
    );
    expect(
      (await open(withPwd(fresh.recording_files[0]!.play_url, fresh.recording_play_passcode))).text,
    ).toContain('data-recording');
    expect((await settings('get', String(id))).body.password).toBe('N3wPass');
  });

  it('internally: a link from outside the account is asked to sign in (401), no recording', async () => {
    const { id, rec } = await recording();
    await settings('patch', String(id), { share_recording: 'internally' });
    const page = await open(withPwd(rec.share_url, rec.recording_play_passcode));
    expect(page.status).toBe(401);
    expect(page.text).toContain('data-sign-in');
  });

  it('an empty password removes the passcode: the bare share link plays', async () => {
    const { id, rec } = await recording();
    await settings('patch', String(id), { password: '' });
    expect((await open(rec.share_url)).text).toContain('data-recording');
  });

  it.each([
    [{ share_recording: 'sometimes' }, 'share_recording'],
    [{ password: 'x'.repeat(11) }, 'password'],
    [{ password: 'has space' }, 'password'],
    [{ viewer_download: 'yes' }, 'viewer_download'],
  ])('refuses %j (300, the field named) and changes nothing', async (body, field) => {
    const { id, rec } = await recording();
    const res = await api(sim, t.token, 'patch', `/meetings/${id}/recordings/settings`, body);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(300);
    expect(res.body.errors.map((e: { field: string }) => e.field)).toEqual([field]);
    expect((await settings('get', String(id))).body).toMatchObject({
      share_recording: 'publicly',
      password: rec.password,
    });
  });

  it('another account’s recording is not found (3301); a meeting with no recording too', async () => {
    const { id } = await recording();
    const other = await tenant(sim, { plan: 'pro' });
    const res = await api(sim, other.token, 'patch', `/meetings/${id}/recordings/settings`, {
      share_recording: 'none',
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe(3301);
    const bare = await api(sim, t.token, 'post', '/users/me/meetings', { topic: 'Not recorded', type: 2 });
    expect((await api(sim, t.token, 'get', `/meetings/${bare.body.id}/recordings/settings`)).status).toBe(
      404,
    );
  });

  it('a change needs recording:write:admin (or the granular scope); reading needs recording:read:admin', async () => {
    const readOnly = await tenant(
      sim,
      { plan: 'pro' },
      { scopes: CLASSIC_ADMIN_SCOPES.filter((s) => s !== 'recording:write:admin') },
    );
    const m = await api(sim, readOnly.token, 'post', '/users/me/meetings', {
      topic: 'Scoped',
      type: 2,
      settings: { auto_recording: 'cloud' },
    });
    sim.endMeeting(m.body.id, { participants: 1, recording: true });
    const refused = await api(sim, readOnly.token, 'patch', `/meetings/${m.body.id}/recordings/settings`, {
      share_recording: 'none',
    });
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(4711);
    expect((await settings('get', String(m.body.id), undefined, readOnly.token)).status).toBe(200);
    const granular = await tenant(
      sim,
      { plan: 'pro' },
      { scopes: ['meeting:write:admin', 'cloud_recording:update:recording_settings:admin'] },
    );
    const g = await api(sim, granular.token, 'post', '/users/me/meetings', { topic: 'Granular', type: 2 });
    sim.endMeeting(g.body.id, { participants: 1, recording: true });
    expect(
      (
        await api(sim, granular.token, 'patch', `/meetings/${g.body.id}/recordings/settings`, {
          password: 'abc',
        })
      ).status,
    ).toBe(204);
  });
});
