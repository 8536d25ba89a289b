import crypto from 'node:crypto';
import request from 'supertest';
import type { ZoomSimulator } from '../../../../src/sandbox/zoom';
import { api, HookReceiver, startSimulator, T0, type Tenant, tenant } from './zoom-sim.helpers';

interface Participant {
  user_id: string;
  user_name: string;
  id: string;
  participant_uuid: string;
  join_time?: string;
  leave_time?: string;
  leave_reason?: string;
  email: string;
  registrant_id?: string;
}

const at = (seconds: number) => new Date(T0 + seconds * 1000).toISOString().replace('.000Z', 'Z');

describe('Zoom simulator: participants joining through registrant links, and a class played on the clock', () => {
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
    t = await tenant(sim, { plan: 'pro' }, { webhook_url: url });
  });

  async function registeredMeeting(topic = 'Biology 101') {
    const m = await api(sim, t.token, 'post', '/users/me/meetings', {
      topic,
      type: 2,
      start_time: '2030-01-07T09:00:00Z',
      settings: { approval_type: 0 },
    });
    return m.body as { id: number; uuid: string; join_url: string; host_id: string };
  }

  async function register(id: number, email: string, first_name: string, last_name = '') {
    const res = await api(sim, t.token, 'post', `/meetings/${id}/registrants`, {
      email,
      first_name,
      last_name,
    });
    return res.body as { registrant_id: string; join_url: string };
  }

  /** Participant events as the webhook endpoint received them, in order. */
  async function participantEvents() {
    await sim.flushWebhooks();
    return hooks.received
      .filter((h) => h.body.event.startsWith('meeting.'))
      .map((h) => {
        const object = h.body.payload.object as { participant?: Participant };
        return { event: h.body.event, ...(object.participant ?? {}) };
      })
      .filter((e) => !['meeting.created', 'meeting.updated'].includes(e.event));
  }

  it('a join through a registrant link sends participant_joined with the registrant’s id and email, signed', async () => {
    const m = await registeredMeeting();
    const ada = await register(m.id, 'u123@isv.example', 'Ada', 'Lovelace');
    sim.startMeeting(m.id);
    await sim.advanceClock(90);
    const session = sim.joinMeeting(m.id, { join_url: ada.join_url });
    await sim.flushWebhooks();
    const [hook] = hooks.events('meeting.participant_joined');
    const signature = crypto
      .createHmac('sha256', t.webhook_secret_token)
      .update(`v0:${hook?.headers['x-zm-request-timestamp'] as string}:${hook?.raw ?? ''}`)
      .digest('hex');
    expect(hook?.headers['x-zm-signature']).toBe(`v0=${signature}`);
    expect(hook?.body.payload).toEqual({
      account_id: t.account_id,
      object: expect.objectContaining({
        id: m.id,
        uuid: m.uuid,
        host_id: m.host_id,
        topic: 'Biology 101',
        start_time: at(0),
        participant: {
          user_id: session.user_id,
          user_name: 'Ada Lovelace',
          id: '',
          participant_uuid: session.participant_uuid,
          join_time: at(90),
          email: 'u123@isv.example',
          registrant_id: ada.registrant_id,
        },
      }),
    });
    await sim.advanceClock(600);
    sim.leaveMeeting(m.id, { join_url: ada.join_url });
    await sim.flushWebhooks();
    expect(
      (hooks.events('meeting.participant_left')[0]?.body.payload.object as { participant: Participant })
        .participant,
    ).toMatchObject({
      participant_uuid: session.participant_uuid,
      user_id: session.user_id,
      leave_time: at(690),
      registrant_id: ada.registrant_id,
    });
  });

  it('a guest joins through the meeting’s own link with a name, without email or registrant id', async () => {
    const m = await registeredMeeting();
    sim.startMeeting(m.id);
    sim.joinMeeting(m.id, { join_url: m.join_url, name: 'Visiting parent' });
    sim.joinMeeting(m.id, { name: 'Phone caller' });
    const events = await participantEvents();
    const joined = events.filter((e) => e.event === 'meeting.participant_joined');
    expect(joined.map((e) => [e.user_name, e.email, e.registrant_id])).toEqual([
      ['Visiting parent', '', undefined],
      ['Phone caller', '', undefined],
    ]);
    sim.leaveMeeting(m.id, { name: 'Phone caller' });
    expect((await participantEvents()).at(-1)).toMatchObject({
      event: 'meeting.participant_left',
      user_name: 'Phone caller',
    });
  });

  it('refuses a forged or unknown token, another meeting’s link, a pending registrant, a nameless guest and a meeting not started — and records nothing', async () => {
    const m = await registeredMeeting();
    const other = await registeredMeeting('Chemistry');
    const ada = await register(m.id, 'u123@isv.example', 'Ada');
    const elsewhere = await register(other.id, 'u123@isv.example', 'Ada');
    expect(() => sim.joinMeeting(m.id, { join_url: ada.join_url })).toThrow(/has not started/);
    sim.startMeeting(m.id);
    const forged = ada.join_url.replace(/tk=[^&]+/, 'tk=forged-token');
    for (const join_url of [
      forged,
      ada.join_url.replace(/\?.*$/, ''),
      elsewhere.join_url,
      'not a url at all%%',
    ])
      expect(() => sim.joinMeeting(m.id, { join_url })).toThrow(/not a valid join link/);
    expect(() => sim.joinMeeting(m.id, {})).toThrow(/guest joins with a name/);
    await api(sim, t.token, 'patch', `/meetings/${m.id}`, { settings: { approval_type: 1 } });
    const waiting = (
      await api(sim, t.token, 'post', `/meetings/${m.id}/registrants`, {
        email: 'w@isv.example',
        first_name: 'W',
      })
    ).body as { join_url: string };
    expect(() => sim.joinMeeting(m.id, { join_url: waiting.join_url })).toThrow(/awaiting/);
    expect(() => sim.leaveMeeting(m.id, { join_url: ada.join_url })).toThrow(/Nobody matching/);
    expect(await participantEvents()).toEqual([{ event: 'meeting.started' }]);
    const control = await request(sim.app)
      .post(`/_sim/meetings/${m.id}/participants/join`)
      .send({ join_url: forged });
    expect(control.status).toBe(403);
    expect(
      (await request(sim.app).post('/_sim/meetings/999/participants/join').send({ name: 'X' })).status,
    ).toBe(404);
    expect(
      (await request(sim.app).post(`/_sim/meetings/${m.id}/participants/join`).send({ name: 5 })).status,
    ).toBe(400);
    expect((await request(sim.app).post(`/_sim/meetings/${m.id}/participants/leave`).send({})).status).toBe(
      400,
    );
  });

  it('a registrant link admits one device at a time: the second join makes the first leave', async () => {
    const m = await registeredMeeting();
    const ada = await register(m.id, 'u123@isv.example', 'Ada');
    sim.startMeeting(m.id);
    const laptop = sim.joinMeeting(m.id, { join_url: ada.join_url, device: 'laptop' });
    await sim.advanceClock(300);
    const phone = sim.joinMeeting(m.id, { join_url: ada.join_url, device: 'phone' });
    expect(phone.participant_uuid).not.toBe(laptop.participant_uuid);
    expect(phone.user_id).not.toBe(laptop.user_id);
    const events = await participantEvents();
    expect(events.slice(1).map((e) => [e.event, e.participant_uuid, e.join_time ?? e.leave_time])).toEqual([
      ['meeting.participant_joined', laptop.participant_uuid, at(0)],
      ['meeting.participant_left', laptop.participant_uuid, at(300)],
      ['meeting.participant_joined', phone.participant_uuid, at(300)],
    ]);
    expect(events[2]?.leave_reason).toMatch(/another device/);
  });

  it('past participants come back empty until the report delay has passed, then list each session', async () => {
    const m = await registeredMeeting();
    const ada = await register(m.id, 'u123@isv.example', 'Ada');
    sim.startMeeting(m.id);
    sim.joinMeeting(m.id, { join_url: ada.join_url });
    await sim.advanceClock(1800);
    sim.endMeeting(m.id);
    const path = `/past_meetings/${encodeURIComponent(encodeURIComponent(m.uuid))}/participants`;
    const early = await api(sim, t.token, 'get', path);
    expect(early.status).toBe(200);
    expect(early.body).toMatchObject({ total_records: 0, participants: [] });
    await sim.advanceClock(59);
    expect((await api(sim, t.token, 'get', path)).body.participants).toEqual([]);
    await sim.advanceClock(1);
    expect((await api(sim, t.token, 'get', path)).body.participants).toEqual([
      {
        id: '',
        name: 'Ada',
        user_email: 'u123@isv.example',
        registrant_id: ada.registrant_id,
        join_time: at(0),
        leave_time: at(1800),
        duration: 1800,
      },
    ]);
  });

  it('the report delay is an option (api.participantsReportDelayMs)', async () => {
    const slow = await startSimulator({ api: { participantsReportDelayMs: 30 * 60_000 } });
    const s = await tenant(slow, { plan: 'pro' });
    const m = await api(slow, s.token, 'post', '/users/me/meetings', { type: 2 });
    slow.endMeeting(m.body.id, { participants: 2 });
    await slow.advanceClock(29 * 60);
    const path = `/report/meetings/${m.body.id}/participants`;
    expect((await api(slow, s.token, 'get', path)).body.total_records).toBe(0);
    await slow.advanceClock(60);
    expect((await api(slow, s.token, 'get', path)).body.total_records).toBe(2);
    await slow.stop();
  });

  it('plays a class on the simulated clock: events in time order, same names told apart, a rename, a rejoin', async () => {
    const m = await registeredMeeting();
    const maria1 = await register(m.id, 'u1@isv.example', 'Maria', 'Garcia');
    const maria2 = await register(m.id, 'u2@isv.example', 'Maria', 'Garcia');
    const renamer = await register(m.id, 'u3@isv.example', 'Sam', 'Lee');
    const rejoiner = await register(m.id, 'u4@isv.example', 'Kim', 'Park');
    const played = await sim.playClass(m.id, {
      end_at: 3600,
      attendees: [
        { join_url: maria1.join_url, join_at: 30, leave_at: 3500 },
        { join_url: maria2.join_url, join_at: 700 },
        { join_url: renamer.join_url, name: 'sammy 🎧', join_at: 60, leave_at: 3000 },
        { join_url: rejoiner.join_url, join_at: 0, leave_at: 600 },
        { join_url: rejoiner.join_url, join_at: 900, leave_at: 3300 },
        { name: 'Guest Visitor', join_at: 120, leave_at: 240 },
      ],
    });
    expect(sim.now()).toBe(T0 + 3_600_000);
    const events = await participantEvents();
    expect(events.map((e) => [e.event, e.user_name ?? '', e.join_time ?? e.leave_time ?? ''])).toEqual([
      ['meeting.started', '', ''],
      ['meeting.participant_joined', 'Kim Park', at(0)],
      ['meeting.participant_joined', 'Maria Garcia', at(30)],
      ['meeting.participant_joined', 'sammy 🎧', at(60)],
      ['meeting.participant_joined', 'Guest Visitor', at(120)],
      ['meeting.participant_left', 'Guest Visitor', at(240)],
      ['meeting.participant_left', 'Kim Park', at(600)],
      ['meeting.participant_joined', 'Maria Garcia', at(700)],
      ['meeting.participant_joined', 'Kim Park', at(900)],
      ['meeting.participant_left', 'sammy 🎧', at(3000)],
      ['meeting.participant_left', 'Kim Park', at(3300)],
      ['meeting.participant_left', 'Maria Garcia', at(3500)],
      ['meeting.participant_left', 'Maria Garcia', at(3600)],
      ['meeting.ended', '', ''],
    ]);
    const marias = events.filter(
      (e) => e.event === 'meeting.participant_joined' && e.user_name === 'Maria Garcia',
    );
    expect(marias.map((e) => [e.registrant_id, e.email])).toEqual([
      [maria1.registrant_id, 'u1@isv.example'],
      [maria2.registrant_id, 'u2@isv.example'],
    ]);
    expect(events.find((e) => e.user_name === 'sammy 🎧')).toMatchObject({
      registrant_id: renamer.registrant_id,
      email: 'u3@isv.example',
    });
    const kim = played.sessions.filter((s) => s.registrant_id === rejoiner.registrant_id);
    expect(kim.map((s) => [s.join_time - T0, (s.leave_time ?? 0) - T0])).toEqual([
      [0, 600_000],
      [900_000, 3_300_000],
    ]);
    expect(new Set(kim.map((s) => s.participant_uuid)).size).toBe(2);
    expect(played.instance).toMatchObject({ uuid: m.uuid, start_time: T0, end_time: T0 + 3_600_000 });

    await sim.advanceClock(60);
    const token = sim.issueTokens(t.client_id, t.account_id).access_token; // the first expired during class
    const report = await api(sim, token, 'get', `/past_meetings/${m.id}/participants?page_size=300`);
    expect(report.body.total_records).toBe(6);
    const kimRows = report.body.participants.filter(
      (p: { registrant_id?: string }) => p.registrant_id === rejoiner.registrant_id,
    );
    expect(kimRows.map((p: { duration: number }) => p.duration)).toEqual([600, 2400]);
    const guest = report.body.participants.find((p: { name: string }) => p.name === 'Guest Visitor');
    expect(guest).toEqual({
      id: '',
      name: 'Guest Visitor',
      user_email: '',
      join_time: at(120),
      leave_time: at(240),
      duration: 120,
    });
  });

  it('sends participant events only to apps subscribed to them', async () => {
    const m = await registeredMeeting();
    const endedOnly = await sim.createApp({
      kind: 'oauth',
      redirect_uri: 'https://tool.example/cb',
      webhook_url: url.replace('/zoom/webhook', '/ended-only'),
      events: ['meeting.ended'],
    });
    sim.issueTokens(endedOnly.client_id, t.account_id);
    await sim.playClass(m.id, { end_at: 600, attendees: [{ name: 'Guest', join_at: 10 }] });
    await sim.flushWebhooks();
    expect(sim.webhookDeliveries({ client_id: endedOnly.client_id }).map((d) => d.event)).toEqual([
      'meeting.ended',
    ]);
    expect(
      sim.webhookDeliveries({ client_id: t.client_id, event: 'meeting.participant_joined' }),
    ).toHaveLength(1);
  });

  it('plays a class through the control endpoint, and refuses a bad plan without starting anything', async () => {
    const m = await registeredMeeting();
    const ada = await register(m.id, 'u123@isv.example', 'Ada');
    const bad = await request(sim.app)
      .post(`/_sim/meetings/${m.id}/class`)
      .send({ end_at: 600, attendees: [{ join_url: ada.join_url, join_at: 500, leave_at: 400 }] });
    expect(bad.status).toBe(400);
    const forged = await request(sim.app)
      .post(`/_sim/meetings/${m.id}/class`)
      .send({
        end_at: 600,
        attendees: [
          { join_url: ada.join_url, join_at: 10 },
          { join_url: ada.join_url.replace(/tk=[^&]+/, 'tk=forged'), join_at: 20 },
        ],
      });
    expect(forged.status).toBe(403);
    expect((await api(sim, t.token, 'get', `/meetings/${m.id}`)).body.status).toBe('waiting');
    expect(sim.now()).toBe(T0);
    expect(await participantEvents()).toEqual([]);
    const res = await request(sim.app)
      .post(`/_sim/meetings/${m.id}/class`)
      .send({ end_at: 600, attendees: [{ join_url: ada.join_url, join_at: 60, leave_at: 540 }] });
    expect(res.status).toBe(200);
    expect(res.body.sessions).toEqual([
      expect.objectContaining({
        user_name: 'Ada',
        registrant_id: ada.registrant_id,
        join_time: T0 + 60_000,
        leave_time: T0 + 540_000,
      }),
    ]);
    expect(res.body.instance.participants).toHaveLength(1);
    const joined = await request(sim.app)
      .post(`/_sim/meetings/${m.id}/participants/join`)
      .send({ name: 'Late' });
    expect(joined.status).toBe(409);
  });
});
