import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, startSimulator, type Tenant, tenant } from './zoom-sim.helpers';

/**
 * Zoom's "Require passcode to access shared cloud recordings" (on by default): a recording made
 * while it is on has a passcode (`password`) and its form for links (`recording_play_passcode`).
 * Its `share_url` asks for the passcode, unless the link carries `?pwd=<recording_play_passcode>`.
 */
describe('Zoom simulator: passcodes of shared recordings', () => {
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

  async function recording() {
    const m = await api(sim, t.token, 'post', '/users/me/meetings', {
      topic: 'Recorded lecture',
      type: 2,
      settings: { auto_recording: 'cloud' },
    });
    sim.startMeeting(m.body.id);
    await sim.advanceClock(30 * 60);
    sim.endMeeting(m.body.id, { participants: 3 });
    const found = await api(sim, t.token, 'get', `/meetings/${m.body.id}/recordings`);
    expect(found.status).toBe(200);
    return found.body as { share_url: string; password?: string; recording_play_passcode?: string };
  }
  const open = (url: string) => {
    const link = new URL(url);
    return request(sim.app).get(`${link.pathname}${link.search}`);
  };

  it('by default a recording has a passcode, and its share link asks for it', async () => {
    const rec = await recording();
    expect(rec.password).toMatch(/^[a-zA-Z0-9]{8}$/);
    expect(rec.recording_play_passcode).toMatch(/^[\w-]{32}$/);
    const page = await open(rec.share_url);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-passcode-prompt');
    expect(page.text).not.toContain('data-recording');
  });

  it('the share link with the play passcode as ?pwd= opens the recording without a prompt', async () => {
    const rec = await recording();
    const page = await open(`${rec.share_url}?pwd=${rec.recording_play_passcode}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain('data-recording');
    expect(page.text).not.toContain('data-passcode-prompt');
    const wrong = await open(`${rec.share_url}?pwd=not-it`);
    expect(wrong.text).toContain('data-passcode-prompt');
    expect(wrong.text).toContain('Wrong passcode.');
  });

  it('the prompt takes the passcode itself, and refuses another', async () => {
    const rec = await recording();
    const path = new URL(rec.share_url).pathname;
    const right = await request(sim.app).post(path).type('form').send({ password: rec.password });
    expect(right.text).toContain('data-recording');
    const wrong = await request(sim.app).post(path).type('form').send({ password: 'guess1' });
    expect(wrong.text).toContain('Wrong passcode.');
    expect(wrong.text).not.toContain('data-recording');
  });

  it('with the setting off, a recording has no passcode and its share link plays at once', async () => {
    sim.setAccountSettings(t.account_id, { recording_passcode: false });
    const rec = await recording();
    expect(rec.password).toBeUndefined();
    expect(rec.recording_play_passcode).toBeUndefined();
    expect((await open(rec.share_url)).text).toContain('data-recording');
  });

  it('an unknown share link is not found', async () => {
    expect((await request(sim.app).get('/rec/share/unknown')).status).toBe(404);
  });
});
