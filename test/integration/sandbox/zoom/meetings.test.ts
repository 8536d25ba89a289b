import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, createUser, startSimulator, type Tenant, tenant } from './zoom-sim.helpers';

describe('Zoom simulator: meetings', () => {
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
    t = await tenant(sim, { plan: 'pro', managed_domain: 'school.edu' });
  });

  const createMeeting = (body: object, host = 'me') =>
    api(sim, t.token, 'post', `/users/${host}/meetings`, body);
  const startUrlPath = (url: string) => {
    const u = new URL(url);
    return `${u.pathname}${u.search}`;
  };

  it('creates a scheduled meeting: 201 with a numeric id, uuid, host, join and start URLs', async () => {
    const res = await createMeeting({
      topic: 'Week 1',
      type: 2,
      start_time: '2030-02-01T14:00:00Z',
      duration: 45,
      password: 'ab@-_*9',
      agenda: 'Intro',
    });
    expect(res.status).toBe(201);
    expect(res.body).toMatchObject({
      id: expect.any(Number),
      uuid: expect.stringMatching(/^[A-Za-z0-9+/]{22}==$/),
      host_id: sim.users(t.account_id)[0]?.id,
      topic: 'Week 1',
      type: 2,
      start_time: '2030-02-01T14:00:00Z',
      duration: 45,
      timezone: 'UTC',
      password: 'ab@-_*9',
      agenda: 'Intro',
      created_at: '2030-01-07T09:00:00Z',
      join_url: expect.stringContaining(`${sim.baseUrl}/j/${res.body.id}?pwd=`),
      start_url: expect.stringContaining(`${sim.baseUrl}/s/${res.body.id}?zak=`),
    });
    expect(String(res.body.id)).toMatch(/^\d{9,11}$/);
    expect(res.body.settings).toMatchObject({ auto_recording: 'none', alternative_hosts: '' });
  });

  it('reads local start times in the meeting’s time zone', async () => {
    const res = await createMeeting({
      type: 2,
      start_time: '2030-07-01T10:00:00',
      timezone: 'America/New_York',
    });
    expect(res.body.start_time).toBe('2030-07-01T14:00:00Z');
    expect(res.body.timezone).toBe('America/New_York');
    const bad = await createMeeting({ type: 2, timezone: 'Mars/Base' });
    expect(bad.body).toEqual({
      code: 300,
      message: 'Validation Failed.',
      errors: [{ field: 'timezone', message: 'Invalid field.' }],
    });
  });

  it('refuses a password longer than 10 characters or with other characters', async () => {
    for (const password of ['abcdefghijk', 'pass word', 'pwd!']) {
      const res = await createMeeting({ type: 2, password });
      expect(res.status).toBe(400);
      expect(res.body.code).toBe(300);
      expect(res.body.errors[0].field).toBe('password');
    }
  });

  it('computes weekly occurrences (Sunday = 1) in local time across a DST change', async () => {
    const res = await createMeeting({
      type: 8,
      start_time: '2030-03-04T09:00:00',
      timezone: 'America/New_York',
      duration: 50,
      recurrence: { type: 2, repeat_interval: 1, weekly_days: '2,5', end_times: 4 },
    });
    expect(res.status).toBe(201);
    const starts = (
      res.body.occurrences as Array<{ start_time: string; occurrence_id: string; status: string }>
    ).map((o) => o.start_time);
    // weekly_days 2,5 = Monday and Thursday: Mon 4, Thu 7 March (EST, UTC-5), then Mon 11, Thu 14 March after DST began on the 10th (EDT, UTC-4).
    expect(starts).toEqual([
      '2030-03-04T14:00:00Z',
      '2030-03-07T14:00:00Z',
      '2030-03-11T13:00:00Z',
      '2030-03-14T13:00:00Z',
    ]);
    expect(res.body.occurrences[0]).toEqual({
      occurrence_id: String(Date.parse('2030-03-04T14:00:00Z')),
      start_time: starts[0],
      duration: 50,
      status: 'available',
    });
    expect(res.body.recurrence).toMatchObject({ type: 2, weekly_days: '2,5' });
  });

  it('computes daily and monthly occurrences, and end_date_time', async () => {
    const daily = await createMeeting({
      type: 8,
      start_time: '2030-01-10T08:00:00Z',
      recurrence: { type: 1, repeat_interval: 2, end_date_time: '2030-01-16T23:59:00Z' },
    });
    expect(daily.body.occurrences.map((o: { start_time: string }) => o.start_time)).toEqual([
      '2030-01-10T08:00:00Z',
      '2030-01-12T08:00:00Z',
      '2030-01-14T08:00:00Z',
      '2030-01-16T08:00:00Z',
    ]);
    const lastFriday = await createMeeting({
      type: 8,
      start_time: '2030-01-01T12:00:00Z',
      recurrence: { type: 3, monthly_week: -1, monthly_week_day: 6, end_times: 3 },
    });
    expect(lastFriday.body.occurrences.map((o: { start_time: string }) => o.start_time)).toEqual([
      '2030-01-25T12:00:00Z',
      '2030-02-22T12:00:00Z',
      '2030-03-29T12:00:00Z',
    ]);
    const day31 = await createMeeting({
      type: 8,
      start_time: '2030-01-31T12:00:00Z',
      recurrence: { type: 3, monthly_day: 31, end_times: 2 },
    });
    expect(day31.body.occurrences.map((o: { start_time: string }) => o.start_time)).toEqual([
      '2030-01-31T12:00:00Z',
      '2030-02-28T12:00:00Z',
    ]);
    const tooMany = await createMeeting({ type: 8, recurrence: { type: 1, end_times: 51 } });
    expect(tooMany.body.code).toBe(300);
    const both = await createMeeting({
      type: 8,
      recurrence: { type: 1, end_times: 2, end_date_time: '2030-02-01T00:00:00Z' },
    });
    expect(both.body.code).toBe(300);
    const interval = await createMeeting({ type: 8, recurrence: { type: 2, repeat_interval: 13 } });
    expect(interval.body.errors).toEqual([
      { field: 'recurrence.repeat_interval', message: 'Invalid field.' },
    ]);
  });

  it('GET returns a fresh start_url each time; it answers 200 while valid and 410 after two hours', async () => {
    const created = await createMeeting({ type: 2, start_time: '2030-02-01T14:00:00Z' });
    const got = await api(sim, t.token, 'get', `/meetings/${created.body.id}`);
    expect(got.status).toBe(200);
    expect(got.body.start_url).not.toBe(created.body.start_url);
    expect((await request(sim.app).get(startUrlPath(got.body.start_url))).status).toBe(200);
    expect(sim.meetings(t.account_id)[0]?.status).toBe('started');
    await sim.advanceClock(2 * 3600);
    const expired = await request(sim.app).get(startUrlPath(created.body.start_url));
    expect(expired.status).toBe(410);
    expect(expired.text).toContain('This link has expired');
    expect((await request(sim.app).get(`/s/${created.body.id}?zak=forged`)).status).toBe(403);
  });

  it('gives custCreate hosts start URLs that last 90 days', async () => {
    const partner = await tenant(sim, { plan: 'pro', partner: true });
    const host = (
      await api(sim, partner.token, 'post', '/users', {
        action: 'custCreate',
        user_info: { email: 'c@p.edu', type: 2 },
      })
    ).body;
    const res = await api(sim, partner.token, 'post', `/users/${host.id}/meetings`, { type: 2 });
    await sim.advanceClock(89 * 86400);
    expect((await request(sim.app).get(startUrlPath(res.body.start_url))).status).toBe(200);
  });

  it('PATCH answers 204 and changes the meeting; schedule_for moves it to another host keeping id and link', async () => {
    const other = await createUser(sim, t, 'other@school.edu');
    const created = await createMeeting({ topic: 'Old', type: 2 });
    const patched = await api(sim, t.token, 'patch', `/meetings/${created.body.id}`, {
      topic: 'New',
      duration: 90,
      schedule_for: other.email,
    });
    expect(patched.status).toBe(204);
    const got = await api(sim, t.token, 'get', `/meetings/${created.body.id}`);
    expect(got.body).toMatchObject({
      topic: 'New',
      duration: 90,
      host_id: other.id,
      join_url: created.body.join_url,
    });
    const invalid = await api(sim, t.token, 'patch', `/meetings/${created.body.id}`, { duration: -5 });
    expect(invalid.body.code).toBe(300);
    expect((await api(sim, t.token, 'get', `/meetings/${created.body.id}`)).body.duration).toBe(90);
  });

  it('validates alternative hosts as active licensed users of the same account', async () => {
    const licensed = await createUser(sim, t, 'lic@school.edu', 2);
    await createUser(sim, t, 'basic@school.edu', 1);
    const ok = await createMeeting({ type: 2, settings: { alternative_hosts: 'lic@school.edu' } });
    expect(ok.body.settings.alternative_hosts).toBe(licensed.email);
    const unlicensed = await createMeeting({
      type: 2,
      settings: { alternative_hosts: 'lic@school.edu;basic@school.edu' },
    });
    expect(unlicensed.status).toBe(400);
    expect(unlicensed.body.code).toBe(1115);
    expect(unlicensed.body.message).toContain('basic@school.edu');
    const other = await tenant(sim, { plan: 'pro' });
    expect(
      (await createMeeting({ type: 2, settings: { alternative_hosts: other.admin_email } })).body.code,
    ).toBe(1115);
  });

  it('DELETE answers 204 then 3001; 3002 while in progress; 3007 once ended', async () => {
    const a = await createMeeting({ type: 2 });
    expect((await api(sim, t.token, 'delete', `/meetings/${a.body.id}`)).status).toBe(204);
    const gone = await api(sim, t.token, 'get', `/meetings/${a.body.id}`);
    expect(gone.status).toBe(404);
    expect(gone.body).toEqual({ code: 3001, message: `Meeting ${a.body.id} is not found or has expired.` });
    const b = await createMeeting({ type: 2 });
    sim.startMeeting(b.body.id);
    expect((await api(sim, t.token, 'delete', `/meetings/${b.body.id}`)).body.code).toBe(3002);
    sim.endMeeting(b.body.id);
    expect((await api(sim, t.token, 'delete', `/meetings/${b.body.id}`)).body.code).toBe(3007);
  });

  it('deletes one occurrence of a recurring meeting with occurrence_id', async () => {
    const m = await createMeeting({
      type: 8,
      start_time: '2030-01-10T08:00:00Z',
      recurrence: { type: 1, end_times: 3 },
    });
    const second = m.body.occurrences[1].occurrence_id as string;
    expect((await api(sim, t.token, 'delete', `/meetings/${m.body.id}?occurrence_id=${second}`)).status).toBe(
      204,
    );
    const got = await api(sim, t.token, 'get', `/meetings/${m.body.id}`);
    expect(got.body.occurrences.map((o: { occurrence_id: string }) => o.occurrence_id)).not.toContain(second);
    expect(got.body.occurrences).toHaveLength(2);
  });

  it('answers 1001 for an unknown host, 1010 for another account’s host and 3001 for another account’s meeting', async () => {
    expect((await createMeeting({ type: 2 }, 'ghost@school.edu')).body.code).toBe(1001);
    const other = await tenant(sim, { plan: 'pro' });
    expect((await createMeeting({ type: 2 }, other.admin_email)).body.code).toBe(1010);
    const theirs = await api(sim, other.token, 'post', '/users/me/meetings', { type: 2 });
    expect((await api(sim, t.token, 'get', `/meetings/${theirs.body.id}`)).body.code).toBe(3001);
    const pending = (
      await api(sim, t.token, 'post', '/users', {
        action: 'create',
        user_info: { email: 'p@school.edu', type: 1 },
      })
    ).body;
    expect((await createMeeting({ type: 2 }, pending.id)).body.code).toBe(1001);
  });

  it('lists meetings with page_size ≤ 300 and next_page_token (empty on the last page)', async () => {
    for (let i = 0; i < 5; i += 1)
      await createMeeting({ topic: `M${i}`, type: 2, start_time: `2030-02-0${i + 1}T10:00:00Z` });
    const first = await api(sim, t.token, 'get', '/users/me/meetings?type=scheduled&page_size=2');
    expect(first.status).toBe(200);
    expect(first.body).toMatchObject({
      page_size: 2,
      total_records: 5,
      next_page_token: expect.stringMatching(/.{10,}/),
    });
    const topics: string[] = first.body.meetings.map((m: { topic: string }) => m.topic);
    let token = first.body.next_page_token as string;
    while (token) {
      const page = await api(
        sim,
        t.token,
        'get',
        `/users/me/meetings?type=scheduled&page_size=2&next_page_token=${token}`,
      );
      topics.push(...page.body.meetings.map((m: { topic: string }) => m.topic));
      token = page.body.next_page_token;
    }
    expect(topics).toEqual(['M0', 'M1', 'M2', 'M3', 'M4']);
    expect((await api(sim, t.token, 'get', '/users/me/meetings?page_size=1000')).body.page_size).toBe(300);
    expect((await api(sim, t.token, 'get', '/users/me/meetings?next_page_token=bogus')).body.code).toBe(300);
    expect((await api(sim, t.token, 'get', '/users/me/meetings?type=past')).body.code).toBe(300);
  });

  it('lists live, upcoming and previous meetings', async () => {
    const past = await createMeeting({
      topic: 'past',
      type: 2,
      start_time: '2030-01-01T10:00:00Z',
      duration: 30,
    });
    const live = await createMeeting({ topic: 'live', type: 2, start_time: '2030-01-07T09:00:00Z' });
    await createMeeting({ topic: 'future', type: 2, start_time: '2030-03-01T10:00:00Z' });
    sim.startMeeting(live.body.id);
    const topics = async (type: string) =>
      (await api(sim, t.token, 'get', `/users/me/meetings?type=${type}`)).body.meetings.map(
        (m: { topic: string }) => m.topic,
      );
    expect(await topics('live')).toEqual(['live']);
    expect(await topics('upcoming')).toEqual(['live', 'future']);
    expect(await topics('previous_meetings')).toEqual(['past']);
    expect(past.status).toBe(201);
  });

  it('finds a past instance by a UUID that needs double encoding, and not by a single-encoded one', async () => {
    const weird = await startSimulator({ uuidGenerator: () => '/ab//cdEFghIJklMNopQR==' });
    const w = await tenant(weird, { plan: 'pro' });
    const m = await api(weird, w.token, 'post', '/users/me/meetings', { type: 2 });
    weird.endMeeting(m.body.id);
    const single = encodeURIComponent('/ab//cdEFghIJklMNopQR==');
    const double = encodeURIComponent(single);
    expect((await api(weird, w.token, 'get', `/past_meetings/${double}/participants`)).status).toBe(200);
    expect((await api(weird, w.token, 'get', `/past_meetings/${single}/participants`)).status).toBe(404);
    await weird.stop();
  });
});
