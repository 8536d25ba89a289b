import { validateZoomResponse, type ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, startSimulator, tenant, type Tenant } from './zoom-sim.helpers';

/** `GET /past_meetings/{meetingId}/instances`: a meeting's ended instances (the tool's sweep reads it). */
describe('Zoom simulator: a meeting’s past instances', () => {
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

  const check = (status: number, body: unknown) =>
    expect(validateZoomResponse('get', '/past_meetings/{meetingId}/instances', status, body).errors).toEqual(
      [],
    );

  it('lists each ended instance with its uuid and start, oldest first; none before the first end', async () => {
    const m = await api(sim, t.token, 'post', '/users/me/meetings', { topic: 'Lecture', type: 2 });
    const none = await api(sim, t.token, 'get', `/past_meetings/${m.body.id}/instances`);
    expect(none.status).toBe(200);
    expect(none.body).toEqual({ meetings: [] });
    check(none.status, none.body);
    for (let k = 0; k < 2; k += 1) {
      sim.startMeeting(m.body.id);
      await sim.advanceClock(30 * 60);
      sim.endMeeting(m.body.id, { participants: 0 });
      await sim.advanceClock(60 * 60);
    }
    t.token = sim.issueTokens(t.client_id, t.account_id).access_token; // the first one expired
    const listed = await api(sim, t.token, 'get', `/past_meetings/${m.body.id}/instances`);
    expect(listed.status).toBe(200);
    check(listed.status, listed.body);
    expect(listed.body.meetings).toEqual([
      { uuid: expect.any(String), start_time: '2030-01-07T09:00:00Z' },
      { uuid: expect.any(String), start_time: '2030-01-07T10:30:00Z' },
    ]);
    expect(listed.body.meetings[0].uuid).not.toBe(listed.body.meetings[1].uuid);
  });

  it('answers 3001 for a meeting of another account, 404 for an unknown one', async () => {
    const m = await api(sim, t.token, 'post', '/users/me/meetings', { topic: 'Theirs', type: 2 });
    const other = await tenant(sim, { plan: 'pro' });
    const theirs = await api(sim, other.token, 'get', `/past_meetings/${m.body.id}/instances`);
    expect(theirs.status).toBe(404);
    expect(theirs.body).toEqual({ code: 3001, message: `Meeting ${m.body.id} is not found or has expired.` });
    check(theirs.status, theirs.body);
    const unknown = await api(sim, t.token, 'get', '/past_meetings/99999999999/instances');
    expect(unknown.status).toBe(404);
  });

  it('needs meeting:read:admin or the granular list_past_instances scope', async () => {
    const scoped = async (scopes: string[]) => {
      const who = await tenant(sim, { plan: 'pro' }, { scopes });
      const m = await api(sim, who.token, 'post', '/users/me/meetings', { topic: 'Scoped', type: 2 });
      return api(sim, who.token, 'get', `/past_meetings/${m.body.id}/instances`);
    };
    const refused = await scoped(['meeting:write:admin']);
    expect(refused.status).toBe(400);
    expect(refused.body.code).toBe(4711);
    expect((await scoped(['meeting:write:admin', 'meeting:read:list_past_instances:admin'])).status).toBe(
      200,
    );
  });
});
