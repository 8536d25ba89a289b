import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, startSimulator, type Tenant, tenant } from './zoom-sim.helpers';

describe('Zoom simulator: recordings and participants of ended meetings', () => {
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

  async function endedMeeting(settings: object = { auto_recording: 'cloud' }, participants = 3) {
    const m = await api(sim, t.token, 'post', '/users/me/meetings', { topic: 'Lecture', type: 2, settings });
    sim.startMeeting(m.body.id);
    await sim.advanceClock(50 * 60);
    sim.endMeeting(m.body.id, { participants });
    return m.body as { id: number; uuid: string };
  }

  it('answers the cloud recording of the last instance by meeting id and by instance UUID', async () => {
    const m = await endedMeeting();
    const byId = await api(sim, t.token, 'get', `/meetings/${m.id}/recordings`);
    expect(byId.status).toBe(200);
    expect(byId.body).toMatchObject({
      uuid: m.uuid,
      id: m.id,
      account_id: t.account_id,
      topic: 'Lecture',
      start_time: '2030-01-07T09:00:00Z',
      duration: 50,
      recording_count: 2,
    });
    expect(byId.body.recording_files.map((f: { file_type: string }) => f.file_type)).toEqual(['MP4', 'M4A']);
    const file = byId.body.recording_files[0];
    expect(file).toMatchObject({
      meeting_id: m.uuid,
      status: 'completed',
      recording_type: 'shared_screen_with_speaker_view',
    });
    const byUuid = await api(
      sim,
      t.token,
      'get',
      `/meetings/${encodeURIComponent(encodeURIComponent(m.uuid))}/recordings`,
    );
    expect(byUuid.body.recording_files).toEqual(byId.body.recording_files);
    const download = new URL(file.download_url);
    expect((await request(sim.app).get(download.pathname)).status).toBe(401);
    const bytes = await request(sim.app).get(download.pathname).set('Authorization', `Bearer ${t.token}`);
    expect(bytes.status).toBe(200);
    expect(bytes.headers['content-type']).toBe('video/mp4');
    const current = await api(sim, t.token, 'get', `/meetings/${m.id}`);
    expect(current.body.uuid).not.toBe(m.uuid);
  });

  it('answers 3301 when the meeting has no recording', async () => {
    const m = await endedMeeting({ auto_recording: 'none' });
    const res = await api(sim, t.token, 'get', `/meetings/${m.id}/recordings`);
    expect(res.status).toBe(404);
    expect(res.body).toEqual({ code: 3301, message: 'This recording does not exist.' });
  });

  it('lists a user’s recordings between from and to, paginated', async () => {
    await endedMeeting();
    await sim.advanceClock(86400);
    t.token = sim.issueTokens(t.client_id, t.account_id).access_token; // the first token expired
    await endedMeeting();
    const res = await api(
      sim,
      t.token,
      'get',
      '/users/me/recordings?from=2030-01-07&to=2030-01-08&page_size=1',
    );
    expect(res.body).toMatchObject({ from: '2030-01-07', to: '2030-01-08', page_size: 1, total_records: 2 });
    expect(res.body.meetings).toHaveLength(1);
    const next = await api(
      sim,
      t.token,
      'get',
      `/users/me/recordings?from=2030-01-07&to=2030-01-08&page_size=1&next_page_token=${res.body.next_page_token}`,
    );
    expect(next.body.meetings).toHaveLength(1);
    expect(next.body.next_page_token).toBe('');
    expect(
      (await api(sim, t.token, 'get', '/users/me/recordings?from=2030-01-09&to=2030-01-10')).body
        .total_records,
    ).toBe(0);
    expect(
      (await api(sim, t.token, 'get', '/users/me/recordings?from=2030-01-01&to=2030-03-01')).body.code,
    ).toBe(300);
    expect((await api(sim, t.token, 'get', '/users/me/recordings?from=yesterday')).body.code).toBe(300);
  });

  it('answers past and report participants with page_size and next_page_token', async () => {
    const m = await endedMeeting({}, 5);
    await sim.advanceClock(60); // the report is ready a minute after the end (api.participantsReportDelayMs)
    const past = await api(
      sim,
      t.token,
      'get',
      `/past_meetings/${encodeURIComponent(encodeURIComponent(m.uuid))}/participants?page_size=2`,
    );
    expect(past.status).toBe(200);
    expect(past.body).toMatchObject({ page_size: 2, total_records: 5, next_page_token: expect.any(String) });
    expect(past.body.participants[0]).toMatchObject({ name: 'Account Owner 1', user_email: t.admin_email });
    const report = await api(sim, t.token, 'get', `/report/meetings/${m.id}/participants?page_size=300`);
    expect(report.body.participants).toHaveLength(5);
    expect(report.body.participants[1]).toMatchObject({
      name: 'Alan Turing',
      user_email: 'student1@students.example.edu',
      duration: expect.any(Number),
    });
    expect(report.body.next_page_token).toBe('');
    expect((await api(sim, t.token, 'get', '/past_meetings/123456789/participants')).body.code).toBe(3001);
  });

  it('generates the same participants for the same meeting in another simulator', async () => {
    const m = await endedMeeting({}, 4);
    await sim.advanceClock(60);
    const first = (await api(sim, t.token, 'get', `/report/meetings/${m.id}/participants`)).body.participants;
    const twin = await startSimulator();
    const t2 = await tenant(twin, { plan: 'pro' });
    const m2 = await api(twin, t2.token, 'post', '/users/me/meetings', {
      topic: 'Lecture',
      type: 2,
      settings: { auto_recording: 'cloud' },
    });
    twin.startMeeting(m2.body.id);
    await twin.advanceClock(50 * 60);
    twin.endMeeting(m2.body.id, { participants: 4 });
    await twin.advanceClock(60);
    const second = (await api(twin, t2.token, 'get', `/report/meetings/${m2.body.id}/participants`)).body
      .participants;
    const strip = (ps: Array<Record<string, unknown>>) =>
      ps.map(({ id: _id, user_email: _e, ...rest }) => rest);
    expect(first).toHaveLength(4);
    expect(strip(second)).toEqual(strip(first));
    await twin.stop();
  });

  it('refuses participants on a free account (paid plans only)', async () => {
    const free = await tenant(sim, { plan: 'free' });
    const m = await api(sim, free.token, 'post', '/users/me/meetings', { type: 2 });
    sim.endMeeting(m.body.id);
    const res = await api(sim, free.token, 'get', `/report/meetings/${m.body.id}/participants`);
    expect(res.status).toBe(400);
    expect(res.body.code).toBe(200);
  });
});
