import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, startSimulator, type Tenant, tenant } from './zoom-sim.helpers';

/**
 * The account's "Require a passcode when scheduling new meetings" (ZOOM-NOTES "Meetings"): a
 * meeting created without `password` gets one Zoom generates only when the account requires it; an
 * empty `password` is refused on create; an update may remove the passcode unless it is required.
 * And the `refuse` fault answers Zoom's error with the field it names.
 */
describe('Zoom simulator: passcodes and the account’s passcode requirement', () => {
  let sim: ZoomSimulator;
  let t: Tenant;
  const meeting = { topic: 'Passcodes', type: 2, start_time: '2030-02-01T10:00:00Z', duration: 30 };

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

  const create = async (body: object) => api(sim, t.token, 'post', '/users/me/meetings', body);
  const read = async (id: number) =>
    (await api(sim, t.token, 'get', `/meetings/${id}`)).body as { password: string };

  it('by default an account requires a passcode: a meeting created without one gets Zoom’s', async () => {
    const made = await create(meeting);
    expect(made.status).toBe(201);
    expect(made.body.password).toMatch(/^[A-Za-z0-9]{6}$/);
    expect(made.body.join_url).toContain('?pwd=');
  });

  it('an account that requires none (set through the control surface) makes a meeting without a passcode', async () => {
    const set = await request(sim.app)
      .post(`/_sim/accounts/${t.account_id}/settings`)
      .send({ require_passcode: false });
    expect(set.status).toBe(200);
    expect(set.body).toEqual({ require_passcode: false });

    const made = await create(meeting);

    expect(made.status).toBe(201);
    expect(made.body.password).toBe('');
    expect(made.body.join_url).not.toContain('?pwd=');
  });

  it('an empty password on create is refused as Zoom does (300, naming the field)', async () => {
    const refused = await create({ ...meeting, password: '' });
    expect(refused.status).toBe(400);
    expect(refused.body).toMatchObject({ code: 300, errors: [{ field: 'password' }] });
    expect(sim.meetings(t.account_id)).toEqual([]);
  });

  it('an update with an empty password removes the passcode, unless the account requires one', async () => {
    const made = (await create({ ...meeting, password: 'abc123' })).body as { id: number };
    sim.setAccountSettings(t.account_id, { require_passcode: false });
    expect((await api(sim, t.token, 'patch', `/meetings/${made.id}`, { password: '' })).status).toBe(204);
    expect((await read(made.id)).password).toBe('');

    await api(sim, t.token, 'patch', `/meetings/${made.id}`, { password: 'xyz789' });
    sim.setAccountSettings(t.account_id, { require_passcode: true });
    expect((await api(sim, t.token, 'patch', `/meetings/${made.id}`, { password: '' })).status).toBe(204);
    expect((await read(made.id)).password).toBe('xyz789');
  });

  it('the refuse fault answers Zoom’s error (status, code, message, errors) without doing anything', async () => {
    const injected = await request(sim.app)
      .post('/_sim/faults')
      .send({
        match: { method: 'POST', path: '/v2/users/me/meetings' },
        kind: 'refuse',
        errors: [{ field: 'password', message: 'Too weak.' }],
        count: 1,
      });
    expect(injected.status).toBeLessThan(300);
    sim.injectFault({
      match: { method: 'POST' },
      kind: 'refuse',
      status: 404,
      code: 1001,
      message: 'User does not exist: me.',
      count: 1,
    });

    const first = await create(meeting);
    const second = await create(meeting);

    expect([first.status, first.body]).toEqual([
      400,
      { code: 300, message: 'Validation Failed.', errors: [{ field: 'password', message: 'Too weak.' }] },
    ]);
    expect([second.status, second.body]).toEqual([404, { code: 1001, message: 'User does not exist: me.' }]);
    expect(sim.meetings(t.account_id)).toEqual([]);
    expect((await create(meeting)).status).toBe(201);
  });
});
