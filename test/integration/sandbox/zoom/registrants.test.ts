import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, startSimulator, type Tenant, tenant } from './zoom-sim.helpers';

describe('Zoom simulator: meeting registrants', () => {
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

  async function meeting(settings: object = { approval_type: 0 }, extra: object = {}) {
    const m = await api(sim, t.token, 'post', '/users/me/meetings', {
      topic: 'Biology 101',
      type: 2,
      start_time: '2030-01-08T10:00:00Z',
      settings,
      ...extra,
    });
    expect(m.status).toBe(201);
    return m.body as { id: number; uuid: string; settings: { approval_type: number } };
  }

  const register = (id: number | string, body: object) =>
    api(sim, t.token, 'post', `/meetings/${id}/registrants`, body);

  it('when a student registers for a meeting with automatic approval, they get their own join URL', async () => {
    const m = await meeting();
    const ada = await register(m.id, { email: 'u123@isv.example', first_name: 'Ada', auto_approve: true });
    const bob = await register(m.id, { email: 'u124@isv.example', first_name: 'Bob', last_name: 'Ng' });
    expect(ada.status).toBe(201);
    expect(ada.body).toEqual({
      id: m.id,
      registrant_id: expect.stringMatching(/^[\w-]{22}$/),
      topic: 'Biology 101',
      start_time: '2030-01-08T10:00:00Z',
      join_url: expect.stringMatching(new RegExp(`^${sim.baseUrl}/w/${m.id}\\?tk=[\\w-]+&pwd=[\\w-]+$`)),
    });
    expect(bob.body.registrant_id).not.toBe(ada.body.registrant_id);
    expect(bob.body.join_url).not.toBe(ada.body.join_url);
  });

  it('a registrant link opens the join page; a forged token is refused; registrants survive a saved state', async () => {
    const m = await meeting();
    const ada = await register(m.id, { email: 'u123@isv.example', first_name: 'Ada' });
    const path = new URL(ada.body.join_url as string).pathname + new URL(ada.body.join_url as string).search;
    expect((await request(sim.app).get(path)).status).toBe(200);
    expect((await request(sim.app).get(path.replace(/tk=[^&]+/, 'tk=forged'))).status).toBe(403);
    expect((await request(sim.app).get(`/w/${m.id}`)).status).toBe(403);
    expect((await request(sim.app).get('/w/12345678901?tk=x')).status).toBe(404);
    const saved = sim.exportState();
    sim.reset();
    sim.importState(saved);
    expect((await request(sim.app).get(path)).status).toBe(200);
    expect((await register(m.id, { email: 'u123@isv.example', first_name: 'Ada' })).body).toEqual(ada.body);
  });

  it('when the same email registers again, it answers the same registrant and link', async () => {
    const m = await meeting();
    const first = await register(m.id, { email: 'u123@isv.example', first_name: 'Ada' });
    const again = await register(m.id, { email: 'U123@isv.example', first_name: 'Ada L.' });
    expect(again.status).toBe(201);
    expect(again.body).toEqual(first.body);
    const list = await api(sim, t.token, 'get', `/meetings/${m.id}/registrants`);
    expect(list.body.total_records).toBe(1);
  });

  it('accepts approval_type on update: a meeting made without registration takes registrants once it is on', async () => {
    const m = await meeting({});
    expect(m.settings.approval_type).toBe(2);
    const refused = await register(m.id, { email: 'u1@isv.example', first_name: 'A' });
    expect(refused.status).toBe(400);
    expect(refused.body).toEqual({
      code: 3000,
      message: `Registration has not been enabled for this meeting: ${m.id}.`,
    });
    expect((await api(sim, t.token, 'get', `/meetings/${m.id}/registrants`)).body.total_records).toBe(0);
    const odd = await api(sim, t.token, 'patch', `/meetings/${m.id}`, { settings: { approval_type: 3 } });
    expect(odd.body).toMatchObject({ code: 300, errors: [{ field: 'settings.approval_type' }] });
    await api(sim, t.token, 'patch', `/meetings/${m.id}`, { settings: { approval_type: 0 } });
    expect((await register(m.id, { email: 'u1@isv.example', first_name: 'A' })).status).toBe(201);
  });

  it('with manual approval a registrant waits unless auto_approve is sent', async () => {
    const m = await meeting({ approval_type: 1 });
    await register(m.id, { email: 'wait@isv.example', first_name: 'Wai' });
    await register(m.id, { email: 'go@isv.example', first_name: 'Go', auto_approve: true });
    const approved = await api(sim, t.token, 'get', `/meetings/${m.id}/registrants`);
    expect(approved.body.registrants.map((r: { email: string }) => r.email)).toEqual(['go@isv.example']);
    const pending = await api(sim, t.token, 'get', `/meetings/${m.id}/registrants?status=pending`);
    expect(pending.body.registrants).toEqual([
      expect.objectContaining({
        email: 'wait@isv.example',
        first_name: 'Wai',
        last_name: '',
        status: 'pending',
      }),
    ]);
    expect((await api(sim, t.token, 'get', `/meetings/${m.id}/registrants?status=odd`)).body.code).toBe(300);
  });

  it('refuses a bad email or a missing first name (300), an unknown meeting (3001), and changes nothing', async () => {
    const m = await meeting();
    const bad = await register(m.id, { email: 'not-an-email', first_name: 'A' });
    expect(bad.status).toBe(400);
    expect(bad.body).toEqual({
      code: 300,
      message: 'Validation Failed.',
      errors: [{ field: 'email', message: 'Invalid field.' }],
    });
    const nameless = await register(m.id, { email: 'a@isv.example' });
    expect(nameless.body.errors).toEqual([{ field: 'first_name', message: 'Invalid field.' }]);
    const unknown = await register(12345678901, { email: 'a@isv.example', first_name: 'A' });
    expect(unknown.status).toBe(404);
    expect(unknown.body.code).toBe(3001);
    expect((await api(sim, t.token, 'get', '/meetings/12345678901/registrants')).body.code).toBe(3001);
    expect((await api(sim, t.token, 'get', `/meetings/${m.id}/registrants`)).body.total_records).toBe(0);
  });

  it("refuses another account's meeting as unknown (3001)", async () => {
    const m = await meeting();
    const other = await tenant(sim, { plan: 'pro' });
    const res = await api(sim, other.token, 'post', `/meetings/${m.id}/registrants`, {
      email: 'a@isv.example',
      first_name: 'A',
    });
    expect(res.status).toBe(404);
    expect(res.body.code).toBe(3001);
  });

  it('needs a meeting write scope to register and a meeting read scope to list (4711)', async () => {
    const m = await meeting();
    const tokenWith = async (scopes: string[]) => {
      const app = await sim.createApp({ kind: 'oauth', redirect_uri: 'https://tool.example/cb', scopes });
      return sim.issueTokens(app.client_id, t.account_id).access_token;
    };
    const reader = await tokenWith(['meeting:read:admin']);
    const writer = await tokenWith(['meeting:write:registrant:admin']);
    const body = { email: 'a@isv.example', first_name: 'A' };
    expect((await api(sim, reader, 'post', `/meetings/${m.id}/registrants`, body)).body.code).toBe(4711);
    expect((await api(sim, reader, 'get', `/meetings/${m.id}/registrants`)).status).toBe(200);
    expect((await api(sim, writer, 'post', `/meetings/${m.id}/registrants`, body)).status).toBe(201);
    expect((await api(sim, writer, 'get', `/meetings/${m.id}/registrants`)).body.code).toBe(4711);
  });

  it('lists registrants with page_size and next_page_token, each with its own join_url', async () => {
    const m = await meeting();
    for (let k = 0; k < 5; k += 1) await register(m.id, { email: `s${k}@isv.example`, first_name: `S${k}` });
    const first = await api(sim, t.token, 'get', `/meetings/${m.id}/registrants?page_size=2`);
    expect(first.body).toMatchObject({ page_size: 2, page_count: 3, total_records: 5 });
    expect(first.body.registrants).toHaveLength(2);
    expect(first.body.registrants[0]).toEqual({
      id: expect.any(String),
      email: 's0@isv.example',
      first_name: 'S0',
      last_name: '',
      status: 'approved',
      create_time: '2030-01-07T09:00:00Z',
      join_url: expect.stringContaining(`/w/${m.id}?tk=`),
    });
    const second = await api(
      sim,
      t.token,
      'get',
      `/meetings/${m.id}/registrants?page_size=2&next_page_token=${first.body.next_page_token}`,
    );
    const third = await api(
      sim,
      t.token,
      'get',
      `/meetings/${m.id}/registrants?page_size=2&next_page_token=${second.body.next_page_token}`,
    );
    expect(third.body.next_page_token).toBe('');
    const emails = [...first.body.registrants, ...second.body.registrants, ...third.body.registrants].map(
      (r: { email: string }) => r.email,
    );
    expect(emails).toEqual(['s0', 's1', 's2', 's3', 's4'].map((s) => `${s}@isv.example`));
    const bogus = await api(sim, t.token, 'get', `/meetings/${m.id}/registrants?next_page_token=forged`);
    expect(bogus.body.code).toBe(300);
  });

  it('answers the occurrences of a recurring meeting', async () => {
    const m = await meeting(
      { approval_type: 0 },
      { type: 8, recurrence: { type: 2, weekly_days: '2', end_times: 3 } },
    );
    const res = await register(m.id, { email: 'r@isv.example', first_name: 'R' });
    expect(res.body.occurrences).toHaveLength(3);
  });

  it('rates registering as Light (30/s on Pro) and listing as Medium (20/s)', async () => {
    const m = await meeting();
    const adds = await Promise.all(
      Array.from({ length: 25 }, (_, k) => register(m.id, { email: `l${k}@isv.example`, first_name: 'L' })),
    );
    expect(adds.map((r) => r.status)).toEqual(Array(25).fill(201));
    await sim.advanceClock(1); // a new second: the meeting's create (Medium) is behind us
    const lists = await Promise.all(
      Array.from({ length: 21 }, () => api(sim, t.token, 'get', `/meetings/${m.id}/registrants`)),
    );
    const limited = lists.filter((r) => r.status === 429);
    expect(limited).toHaveLength(1);
    expect(limited[0]?.headers['x-ratelimit-category']).toBe('Medium');
  });
});
