import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, startSimulator, tenant } from './zoom-sim.helpers';

describe('Zoom simulator: users', () => {
  let sim: ZoomSimulator;

  beforeAll(async () => {
    sim = await startSimulator();
  });
  afterAll(async () => {
    await sim.stop();
  });
  beforeEach(() => sim.reset());

  const create = (token: string, action: string, user_info: Record<string, unknown>) =>
    api(sim, token, 'post', '/users', { action, user_info });

  it('create: 201 with {id, first_name, last_name, email, type}; the user is pending until activated', async () => {
    const t = await tenant(sim, { plan: 'pro' });
    const res = await create(t.token, 'create', {
      email: 'Teacher@School.edu',
      type: 2,
      first_name: 'Ada',
      last_name: 'L',
    });
    expect(res.status).toBe(201);
    expect(res.body).toEqual({
      id: expect.stringMatching(/^[\w-]{22}$/),
      first_name: 'Ada',
      last_name: 'L',
      email: 'teacher@school.edu',
      type: 2,
    });
    const got = await api(sim, t.token, 'get', '/users/teacher@school.edu');
    expect(got.body).toMatchObject({
      id: res.body.id,
      status: 'pending',
      type: 2,
      account_id: t.account_id,
      email: 'teacher@school.edu',
    });
    sim.activateUser(res.body.id);
    expect((await api(sim, t.token, 'get', `/users/${res.body.id}`)).body.status).toBe('active');
    sim.deactivateUser('teacher@school.edu');
    expect((await api(sim, t.token, 'get', `/users/${res.body.id}`)).body.status).toBe('inactive');
  });

  it('autoCreate needs the email to be in the account’s managed domain and is active at once', async () => {
    const t = await tenant(sim, { plan: 'business', managed_domain: 'school.edu' });
    const ok = await create(t.token, 'autoCreate', { email: 'a@school.edu', type: 1, password: 'Secret123' });
    expect(ok.status).toBe(201);
    expect((await api(sim, t.token, 'get', '/users/a@school.edu')).body.status).toBe('active');
    const outside = await create(t.token, 'autoCreate', { email: 'a@elsewhere.edu', type: 1 });
    expect(outside.status).toBe(400);
    expect(outside.body.code).toBe(200);
    const plain = await tenant(sim, { plan: 'pro' });
    expect((await create(plain.token, 'autoCreate', { email: 'b@school.edu', type: 1 })).body.code).toBe(200);
  });

  it('custCreate only for partner accounts; ssoCreate only with SSO pre-provisioning; type 99 only with ssoCreate', async () => {
    const partner = await tenant(sim, { plan: 'pro', partner: true });
    expect((await create(partner.token, 'custCreate', { email: 'c@x.edu', type: 1 })).status).toBe(201);
    const plain = await tenant(sim, { plan: 'pro' });
    expect((await create(plain.token, 'custCreate', { email: 'd@x.edu', type: 1 })).body.code).toBe(200);
    expect((await create(plain.token, 'ssoCreate', { email: 'e@x.edu', type: 1 })).body.code).toBe(2002);
    const sso = await tenant(sim, { plan: 'pro', sso: true, sso_only: true });
    expect((await create(sso.token, 'ssoCreate', { email: 'f@x.edu', type: 99 })).status).toBe(201);
    const onlySso = await create(sso.token, 'create', { email: 'g@x.edu', type: 1 });
    expect(onlySso.status).toBe(400);
    expect(onlySso.body.code).toBe(2002);
    const wrongType = await create(plain.token, 'create', { email: 'h@x.edu', type: 99 });
    expect(wrongType.body).toEqual({ code: 1108, message: 'User type permission check failed.' });
  });

  it('enforces licence seats: free accounts add no paid users, paid accounts up to licensed_seats', async () => {
    const free = await tenant(sim, { plan: 'free' });
    const noPaid = await create(free.token, 'create', { email: 'p@x.edu', type: 2 });
    expect(noPaid.status).toBe(400);
    expect(noPaid.body).toEqual({ code: 200, message: "You can't add paid users." });
    const pro = await tenant(sim, { plan: 'pro', licensed_seats: 2 });
    expect((await create(pro.token, 'create', { email: 'l1@x.edu', type: 2 })).status).toBe(201);
    const full = await create(pro.token, 'create', { email: 'l2@x.edu', type: 2 });
    expect(full.status).toBe(400);
    expect(full.body).toEqual({ code: 200, message: 'You can add max 2 paid users.' });
    expect((await create(pro.token, 'create', { email: 'b1@x.edu', type: 1 })).status).toBe(201);
    const capped = await tenant(sim, { plan: 'pro', max_basic_users: 0 });
    expect((await create(capped.token, 'create', { email: 'b2@x.edu', type: 1 })).body).toEqual({
      code: 200,
      message: 'You can add max 0 free users.',
    });
  });

  it('PATCH changes the type with seat checks and answers 204', async () => {
    const t = await tenant(sim, { plan: 'pro', licensed_seats: 2 });
    const u = (await create(t.token, 'create', { email: 'u@x.edu', type: 1 })).body as { id: string };
    const v = (await create(t.token, 'create', { email: 'v@x.edu', type: 1 })).body as { id: string };
    const up = await api(sim, t.token, 'patch', `/users/${u.id}`, { type: 2, first_name: 'New' });
    expect(up.status).toBe(204);
    expect(up.text).toBe('');
    expect((await api(sim, t.token, 'get', `/users/${u.id}`)).body).toMatchObject({
      type: 2,
      first_name: 'New',
    });
    const refused = await api(sim, t.token, 'patch', `/users/${v.id}`, { type: 2 });
    expect(refused.body).toEqual({ code: 200, message: 'You can add max 2 paid users.' });
    expect((await api(sim, t.token, 'patch', `/users/${u.id}`, { type: 1 })).status).toBe(204);
    expect((await api(sim, t.token, 'patch', `/users/${v.id}`, { type: 2 })).status).toBe(204);
    expect((await api(sim, t.token, 'patch', '/users/nobody@x.edu', { type: 2 })).body.code).toBe(1001);
  });

  it('answers 1005/409 for an email already in the account and for one used in another account (or 1009)', async () => {
    const a = await tenant(sim, { plan: 'pro' });
    const b = await tenant(sim, { plan: 'pro' });
    await create(a.token, 'create', { email: 'dup@x.edu', type: 1 });
    const same = await create(a.token, 'create', { email: 'DUP@x.edu', type: 1 });
    expect(same.status).toBe(409);
    expect(same.body).toEqual({ code: 1005, message: 'User already in the account: dup@x.edu' });
    const other = await create(b.token, 'create', { email: 'dup@x.edu', type: 1 });
    expect(other.status).toBe(409);
    expect(other.body).toEqual({ code: 1005, message: 'Email dup@x.edu has already been used.' });
    const strict = await startSimulator({ api: { emailInOtherAccount: 1009 } });
    const c = await tenant(strict, { plan: 'pro' });
    const d = await tenant(strict, { plan: 'pro' });
    await api(strict, c.token, 'post', '/users', {
      action: 'create',
      user_info: { email: 'z@x.edu', type: 1 },
    });
    const res = await api(strict, d.token, 'post', '/users', {
      action: 'create',
      user_info: { email: 'z@x.edu', type: 1 },
    });
    expect(res.body).toEqual({ code: 1009, message: 'The user z@x.edu already holds an active account.' });
    await strict.stop();
  });

  it('answers 1107 for a blocked domain and 1116 outside the allowed domains', async () => {
    const t = await tenant(sim, { plan: 'pro', blocked_domains: ['spam.com'] });
    const blocked = await create(t.token, 'create', { email: 'x@spam.com', type: 1 });
    expect(blocked.status).toBe(400);
    expect(blocked.body.code).toBe(1107);
    const allow = await tenant(sim, { plan: 'pro', allowed_domains: ['school.edu'] });
    expect((await create(allow.token, 'create', { email: 'x@school.edu', type: 1 })).status).toBe(201);
    expect((await create(allow.token, 'create', { email: 'x@gmail.com', type: 1 })).body.code).toBe(1116);
  });

  it('answers 300 "Validation Failed." with errors[] naming each bad field', async () => {
    const t = await tenant(sim, { plan: 'pro' });
    const res = await create(t.token, 'create', { email: 'not-an-email', type: 7 });
    expect(res.status).toBe(400);
    expect(res.body).toEqual({
      code: 300,
      message: 'Validation Failed.',
      errors: [
        { field: 'user_info.email', message: 'Invalid field.' },
        { field: 'user_info.type', message: 'Invalid field.' },
      ],
    });
    expect(
      (await api(sim, t.token, 'post', '/users', { user_info: { email: 'a@b.edu', type: 1 } })).body.errors,
    ).toEqual([{ field: 'action', message: 'Invalid field.' }]);
    const broken = await api(sim, t.token, 'post', '/users')
      .set('Content-Type', 'application/json')
      .send('{"action":');
    expect(broken.body).toEqual({ code: 300, message: 'Request Body should be a valid JSON object.' });
  });

  it('GET answers 1001/404 for an unknown user, 1010 for another account’s user, and me for the installer', async () => {
    const t = await tenant(sim, { plan: 'pro' });
    const other = await tenant(sim, { plan: 'pro' });
    const unknown = await api(sim, t.token, 'get', '/users/ghost@x.edu');
    expect(unknown.status).toBe(404);
    expect(unknown.body).toEqual({ code: 1001, message: 'User does not exist: ghost@x.edu.' });
    expect((await api(sim, t.token, 'get', `/users/${other.admin_email}`)).body.code).toBe(1010);
    const me = await api(sim, t.token, 'get', '/users/me');
    expect(me.body).toMatchObject({
      email: t.admin_email,
      account_id: t.account_id,
      status: 'active',
      type: 2,
      role_name: 'Owner',
    });
    expect(sim.users(t.account_id)).toHaveLength(1);
  });
});
