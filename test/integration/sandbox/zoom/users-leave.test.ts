import request from 'supertest';
import { validateZoomRequest, validateZoomResponse, type ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, createUser, HookReceiver, startSimulator, type Tenant, tenant } from './zoom-sim.helpers';

/** A host who leaves: deactivation and deletion with their webhooks, and a meeting's host changed by `schedule_for`. */
describe('Zoom simulator: users who leave, and a host change', () => {
  let sim: ZoomSimulator;
  let hooks: HookReceiver;
  let url: string;
  let t: Tenant;

  beforeAll(async () => {
    sim = await startSimulator();
    hooks = new HookReceiver();
    url = await hooks.start();
  });
  afterAll(async () => {
    await sim.stop();
    await hooks.stop();
  });
  beforeEach(async () => {
    sim.reset();
    hooks.received = [];
    t = await tenant(sim, { plan: 'business', managed_domain: 'school.edu' }, { webhook_url: url });
  });

  const put = (path: string, body: object) =>
    request(sim.app).put(`/v2${path}`).set('Authorization', `Bearer ${t.token}`).send(body);

  async function meetingOf(hostId: string) {
    const res = await api(sim, t.token, 'post', `/users/${hostId}/meetings`, {
      topic: 'Algebra',
      type: 2,
      start_time: '2030-02-01T10:00:00Z',
      duration: 60,
    });
    expect(res.status).toBe(201);
    return res.body as { id: number; host_id: string; join_url: string };
  }

  it('PUT /users/{id}/status deactivates (user.deactivated) and activates again (user.activated); valid against the spec', async () => {
    const teacher = await createUser(sim, t, 'teacher@school.edu');
    expect(validateZoomRequest('put', '/users/{userId}/status', { action: 'deactivate' }).errors).toEqual([]);
    const off = await put(`/users/${teacher.id}/status`, { action: 'deactivate' });
    expect(off.status).toBe(204);
    expect(validateZoomResponse('put', '/users/{userId}/status', 204, undefined).errors).toEqual([]);
    expect((await api(sim, t.token, 'get', `/users/${teacher.id}`)).body.status).toBe('inactive');
    expect((await put(`/users/${teacher.id}/status`, { action: 'activate' })).status).toBe(204);
    await sim.flushWebhooks();
    const deactivated = hooks.events('user.deactivated');
    expect(deactivated).toHaveLength(1);
    expect(deactivated[0]!.body.payload).toMatchObject({
      account_id: t.account_id,
      operator: t.admin_email,
      object: { id: teacher.id, email: 'teacher@school.edu', type: 2 },
    });
    expect(hooks.events('user.activated')).toHaveLength(1);
  });

  it.each([
    [{ action: 'pause' }, 400, 300],
    [{}, 400, 300],
  ])('PUT /users/{id}/status with %j is refused (%i, code %i)', async (body, status, code) => {
    const teacher = await createUser(sim, t, 'teacher@school.edu');
    const res = await put(`/users/${teacher.id}/status`, body);
    expect({ status: res.status, code: res.body.code }).toEqual({ status, code });
    expect(validateZoomResponse('put', '/users/{userId}/status', res.status, res.body).errors).toEqual([]);
  });

  it('a deactivated user keeps their meetings (readable, host changeable); nothing is sent when nothing changes', async () => {
    const teacher = await createUser(sim, t, 'teacher@school.edu');
    const meeting = await meetingOf(teacher.id);
    sim.deactivateUser(teacher.id);
    sim.deactivateUser(teacher.id);
    expect((await api(sim, t.token, 'get', `/meetings/${meeting.id}`)).status).toBe(200);
    await sim.flushWebhooks();
    expect(hooks.events('user.deactivated')).toHaveLength(1);
  });

  it.each(['delete', 'disassociate'] as const)(
    'DELETE /users/{id}?action=%s: the user and their meetings are gone (1001, 3001), with its webhook',
    async (action) => {
      const teacher = await createUser(sim, t, 'teacher@school.edu');
      const other = await createUser(sim, t, 'other@school.edu');
      const meeting = await meetingOf(teacher.id);
      const kept = await meetingOf(other.id);
      const res = await api(sim, t.token, 'delete', `/users/${teacher.id}?action=${action}`);
      expect(res.status).toBe(204);
      expect(validateZoomResponse('delete', '/users/{userId}', 204, undefined).errors).toEqual([]);
      const user = await api(sim, t.token, 'get', `/users/${teacher.id}`);
      expect({ status: user.status, code: user.body.code }).toEqual({ status: 404, code: 1001 });
      expect((await api(sim, t.token, 'get', `/meetings/${meeting.id}`)).body.code).toBe(3001);
      const patch = await api(sim, t.token, 'patch', `/meetings/${meeting.id}`, { schedule_for: other.id });
      expect(patch.body.code).toBe(3001);
      expect((await api(sim, t.token, 'get', `/meetings/${kept.id}`)).status).toBe(200);
      await sim.flushWebhooks();
      const event = action === 'delete' ? 'user.deleted' : 'user.disassociated';
      expect(hooks.events(event)).toHaveLength(1);
      expect(hooks.events(event)[0]!.body.payload).toMatchObject({
        account_id: t.account_id,
        object: { id: teacher.id, email: 'teacher@school.edu' },
      });
    },
  );

  it('DELETE /users/{id} with transfer_meeting moves the meetings to transfer_email; the owner cannot be deleted', async () => {
    const teacher = await createUser(sim, t, 'teacher@school.edu');
    const other = await createUser(sim, t, 'other@school.edu');
    const meeting = await meetingOf(teacher.id);
    const res = await api(
      sim,
      t.token,
      'delete',
      `/users/${teacher.id}?action=delete&transfer_email=other@school.edu&transfer_meeting=true`,
    );
    expect(res.status).toBe(204);
    expect((await api(sim, t.token, 'get', `/meetings/${meeting.id}`)).body.host_id).toBe(other.id);
    const owner = await api(sim, t.token, 'delete', '/users/me?action=delete');
    expect({ status: owner.status, code: owner.body.code }).toEqual({ status: 400, code: 200 });
    expect((await api(sim, t.token, 'delete', '/users/ghost@school.edu')).body.code).toBe(1001);
    expect((await api(sim, t.token, 'delete', `/users/${other.id}?action=erase`)).body.code).toBe(300);
  });

  it('the control surface deletes a user (POST /_sim/users/{ref}/delete) and 404s an unknown one', async () => {
    const teacher = await createUser(sim, t, 'teacher@school.edu');
    const ok = await request(sim.app).post('/_sim/users/teacher@school.edu/delete').send({});
    expect(ok.body).toEqual({ deleted: 'teacher@school.edu', action: 'delete' });
    expect((await api(sim, t.token, 'get', `/users/${teacher.id}`)).status).toBe(404);
    expect((await request(sim.app).post('/_sim/users/ghost@school.edu/delete').send({})).status).toBe(404);
  });

  it('PATCH /meetings/{id} with schedule_for hands the meeting to another user of the account (same id and link)', async () => {
    const teacher = await createUser(sim, t, 'teacher@school.edu');
    const other = await createUser(sim, t, 'other@school.edu');
    const meeting = await meetingOf(teacher.id);
    sim.deactivateUser(teacher.id);
    const body = { schedule_for: 'other@school.edu' };
    expect(validateZoomRequest('patch', '/meetings/{meetingId}', body).errors).toEqual([]);
    expect((await api(sim, t.token, 'patch', `/meetings/${meeting.id}`, body)).status).toBe(204);
    const after = await api(sim, t.token, 'get', `/meetings/${meeting.id}`);
    expect(after.body).toMatchObject({ id: meeting.id, host_id: other.id, join_url: meeting.join_url });
  });

  it('schedule_for naming nobody, an inactive user or another account’s user is refused and changes nothing', async () => {
    const teacher = await createUser(sim, t, 'teacher@school.edu');
    const off = await createUser(sim, t, 'off@school.edu');
    sim.deactivateUser(off.id);
    const stranger = await tenant(sim, { plan: 'pro' });
    const outsider = await createUser(sim, stranger, 'out@else.edu', 2, 'create');
    const meeting = await meetingOf(teacher.id);
    for (const [target, code] of [
      ['ghost@school.edu', 1001],
      [off.id, 1001],
      [outsider.id, 1010],
    ] as const) {
      const res = await api(sim, t.token, 'patch', `/meetings/${meeting.id}`, { schedule_for: target });
      expect(res.body.code).toBe(code);
    }
    expect((await api(sim, t.token, 'get', `/meetings/${meeting.id}`)).body.host_id).toBe(teacher.id);
  });
});
