import { sql } from 'drizzle-orm';
import { databaseKinds } from '../../support/db';
import { connectWebhooks, meetingRow, rows, settleJobs } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';

interface SessionRow {
  participant_uuid: string;
  zoom_meeting_uuid: string;
  zoom_user_id: string | null;
  zoom_account_user_id: string | null;
  registrant_id: string | null;
  email: string | null;
  display_name: string;
  joined_at: Date | string | null;
  left_at: Date | string | null;
  source: string;
}

const iso = (value: Date | string | null) => (value === null ? null : new Date(value).toISOString());

/**
 * Issue 19: the tool records each participant session of a class from Zoom's participant webhooks,
 * sent by the simulator to the school's endpoint as people join and leave through their registrant
 * links or as guests. Who each session is comes from Zoom's registrant id, never the display name.
 */
describe.each(databaseKinds())('attendance: participant sessions from Zoom webhooks (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let hooks: Awaited<ReturnType<typeof connectWebhooks>>;
  let api: (method: string, path: string, body?: unknown) => Promise<Record<string, unknown>>;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    hooks = await connectWebhooks(h);
    const app = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
    const { access_token: token } = h.zoom.issueTokens(app.client_id, h.account.account_id);
    api = async (method, path, body) => {
      const response = await fetch(`${h.zoom.baseUrl}/v2${path}`, {
        method,
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: body === undefined ? undefined : JSON.stringify(body),
      });
      if (response.status >= 300)
        throw new Error(`${method} ${path}: ${response.status} ${await response.text()}`);
      return response.status === 204 ? {} : ((await response.json()) as Record<string, unknown>);
    };
  });
  afterAll(() => h.close());

  /** A class scheduled through the tool, with registration on in Zoom (as attendance will turn it on). */
  const scheduleClass = async (topic: string) => {
    const { response, id } = await h.schedule(await h.page(h.lms.users.instructor.id), { topic });
    if (response.status !== 303) throw new Error(`schedule answered ${response.status}`);
    await settleJobs(h);
    const zoomId = String((await meetingRow(h, id)).zoom_meeting_id);
    await api('PATCH', `/meetings/${zoomId}`, { settings: { approval_type: 0 } });
    const register = async (first_name: string, last_name: string, email: string) => {
      const answer = await api('POST', `/meetings/${zoomId}/registrants`, { email, first_name, last_name });
      return { registrantId: String(answer.registrant_id), joinUrl: String(answer.join_url) };
    };
    return { id, zoomId, register };
  };
  const settle = async () => {
    await h.zoom.flushWebhooks();
  };
  const sessionsOf = (meetingId: string) =>
    rows<SessionRow>(
      h,
      sql`select * from attendance_sessions where meeting_id = ${meetingId} order by joined_at nulls last, left_at`,
    );
  const allSessions = () => rows<SessionRow>(h, sql`select * from attendance_sessions`);
  /** A participant event as Zoom sends it, for a meeting the tool scheduled. */
  const participantEvent = (
    event: 'meeting.participant_joined' | 'meeting.participant_left',
    zoomId: string,
    participant: Record<string, unknown>,
    accountId = h.account.account_id,
  ) => ({
    event,
    event_ts: Date.now(),
    payload: {
      account_id: accountId,
      object: { id: Number(zoomId), uuid: 'instance-uuid-1==', host_id: 'host', topic: 'x', participant },
    },
  });
  const deliver = async (body: unknown, secret = hooks.secret) => h.deliver(hooks.path, secret, body);

  it('two students with the same name are two sessions, each with their own registrant id and email', async () => {
    const meeting = await scheduleClass('Same names');
    const ana1 = await meeting.register('Ana', 'García', 'ana.1@example.edu');
    const ana2 = await meeting.register('Ana', 'García', 'ana.2@example.edu');
    h.zoom.startMeeting(meeting.zoomId);
    h.zoom.joinMeeting(meeting.zoomId, { join_url: ana1.joinUrl });
    h.zoom.joinMeeting(meeting.zoomId, { join_url: ana2.joinUrl });
    h.zoom.leaveMeeting(meeting.zoomId, { join_url: ana2.joinUrl });
    await settle();

    const sessions = await sessionsOf(meeting.id);
    expect(sessions).toHaveLength(2);
    expect(sessions.map((s) => s.display_name)).toEqual(['Ana García', 'Ana García']);
    const byRegistrant = new Map(sessions.map((s) => [s.registrant_id, s]));
    expect(byRegistrant.get(ana1.registrantId)).toMatchObject({ email: 'ana.1@example.edu', left_at: null });
    expect(byRegistrant.get(ana2.registrantId)?.email).toBe('ana.2@example.edu');
    expect(byRegistrant.get(ana2.registrantId)?.left_at).not.toBeNull();
    for (const s of sessions) {
      expect(s.source).toBe('webhook');
      expect(s.zoom_user_id).toMatch(/^\d+$/);
      expect(s.zoom_account_user_id).toBeNull();
      expect(s.joined_at).not.toBeNull();
      expect(s.zoom_meeting_uuid).toBeTruthy();
    }
    h.zoom.endMeeting(meeting.zoomId);
    await settle();
    expect((await sessionsOf(meeting.id)).every((s) => s.left_at !== null)).toBe(true);
  });

  it('a renamed student keeps their registrant id; a guest has none; a rejoin is a second session', async () => {
    const meeting = await scheduleClass('Renames and guests');
    const sam = await meeting.register('Sam', 'Ruiz', 'sam@example.edu');
    const lee = await meeting.register('Lee', 'Park', 'lee@example.edu');
    h.zoom.startMeeting(meeting.zoomId);
    h.zoom.joinMeeting(meeting.zoomId, { join_url: sam.joinUrl, name: 'renamed 🎧' });
    h.zoom.joinMeeting(meeting.zoomId, { name: 'Visiting parent' });
    h.zoom.joinMeeting(meeting.zoomId, { join_url: lee.joinUrl });
    h.zoom.leaveMeeting(meeting.zoomId, { join_url: lee.joinUrl });
    h.zoom.joinMeeting(meeting.zoomId, { join_url: lee.joinUrl });
    await settle();

    const sessions = await sessionsOf(meeting.id);
    expect(sessions).toHaveLength(4);
    expect(sessions.find((s) => s.display_name === 'renamed 🎧')).toMatchObject({
      registrant_id: sam.registrantId,
      email: 'sam@example.edu',
    });
    expect(sessions.find((s) => s.display_name === 'Visiting parent')).toMatchObject({
      registrant_id: null,
      email: null,
      left_at: null,
    });
    const lees = sessions.filter((s) => s.registrant_id === lee.registrantId);
    expect(lees).toHaveLength(2);
    expect(new Set(lees.map((s) => s.participant_uuid)).size).toBe(2);
    expect(lees.filter((s) => s.left_at === null)).toHaveLength(1);
    h.zoom.endMeeting(meeting.zoomId);
    await settle();
  });

  it('a second device closes the first session and opens its own', async () => {
    const meeting = await scheduleClass('Two devices');
    const kim = await meeting.register('Kim', 'Lo', 'kim@example.edu');
    h.zoom.startMeeting(meeting.zoomId);
    const phone = h.zoom.joinMeeting(meeting.zoomId, { join_url: kim.joinUrl, device: 'phone' });
    const laptop = h.zoom.joinMeeting(meeting.zoomId, { join_url: kim.joinUrl, device: 'laptop' });
    await settle();

    const sessions = await sessionsOf(meeting.id);
    expect(sessions).toHaveLength(2);
    const first = sessions.find((s) => s.participant_uuid === phone.participant_uuid);
    const second = sessions.find((s) => s.participant_uuid === laptop.participant_uuid);
    expect(first?.left_at).not.toBeNull();
    expect(second).toMatchObject({ registrant_id: kim.registrantId, left_at: null });
    h.zoom.endMeeting(meeting.zoomId);
    await settle();
  });

  it('a redelivered join or leave (Zoom retry, or the same event sent again) changes nothing', async () => {
    const meeting = await scheduleClass('Redelivery');
    const jo = await meeting.register('Jo', 'Ma', 'jo@example.edu');
    h.zoom.startMeeting(meeting.zoomId);
    h.zoom.joinMeeting(meeting.zoomId, { join_url: jo.joinUrl });
    h.zoom.leaveMeeting(meeting.zoomId, { join_url: jo.joinUrl });
    await settle();
    const before = await sessionsOf(meeting.id);
    expect(before).toHaveLength(1);

    for (const event of ['meeting.participant_joined', 'meeting.participant_left']) {
      const attempt = hooks.last(event);
      const retried = await hooks.retry(attempt);
      expect(retried.body).toEqual({ received: true, duplicate: true });
      // The same event in a new envelope (another delivery to the tool) finds its row.
      const resent = { ...(JSON.parse(attempt.body) as Record<string, unknown>), event_ts: Date.now() + 1 };
      const answer = await deliver(resent);
      expect(answer.status).toBe(200);
      expect(answer.body).toEqual({ received: true });
    }
    expect(await sessionsOf(meeting.id)).toEqual(before);
    h.zoom.endMeeting(meeting.zoomId);
    await settle();
  });

  it('a leave that arrives before its join is kept closed, and the join does not reopen it', async () => {
    const meeting = await scheduleClass('Out of order');
    const who = {
      participant_uuid: 'late-join-uuid',
      user_id: '16778240',
      id: '',
      user_name: 'Rae Ng',
      email: 'rae@example.edu',
      registrant_id: 'reg-rae',
    };
    const left = participantEvent('meeting.participant_left', meeting.zoomId, {
      ...who,
      leave_time: '2030-03-04T14:50:00Z',
      leave_reason: 'left the meeting',
    });
    expect((await deliver(left)).status).toBe(200);
    expect(await sessionsOf(meeting.id)).toEqual([
      expect.objectContaining({
        participant_uuid: 'late-join-uuid',
        joined_at: null,
        registrant_id: 'reg-rae',
      }),
    ]);
    const joined = participantEvent('meeting.participant_joined', meeting.zoomId, {
      ...who,
      join_time: '2030-03-04T14:02:00Z',
    });
    expect((await deliver(joined)).status).toBe(200);
    expect((await deliver({ ...joined, event_ts: joined.event_ts + 1 })).status).toBe(200);
    expect((await deliver({ ...left, event_ts: left.event_ts + 1 })).status).toBe(200);

    const sessions = await sessionsOf(meeting.id);
    expect(sessions).toHaveLength(1);
    expect(iso(sessions[0]!.joined_at)).toBe('2030-03-04T14:02:00.000Z');
    expect(iso(sessions[0]!.left_at)).toBe('2030-03-04T14:50:00.000Z');
    expect(sessions[0]).toMatchObject({
      zoom_user_id: '16778240',
      zoom_account_user_id: null,
      email: 'rae@example.edu',
    });
  });

  it('a malformed participant event is taken (Zoom stops retrying) and stores nothing', async () => {
    const meeting = await scheduleClass('Malformed');
    const before = await allSessions();
    const bad = [
      participantEvent('meeting.participant_joined', meeting.zoomId, {
        user_name: 'No uuid',
        join_time: '2030-03-04T14:02:00Z',
      }),
      participantEvent('meeting.participant_joined', meeting.zoomId, {
        participant_uuid: 'p1',
        join_time: 'yesterday',
      }),
      participantEvent('meeting.participant_joined', meeting.zoomId, { participant_uuid: 'p2' }),
      participantEvent('meeting.participant_left', meeting.zoomId, {
        participant_uuid: 'p3',
        join_time: '2030-03-04T14:02:00Z',
      }),
      {
        event: 'meeting.participant_joined',
        event_ts: Date.now(),
        payload: { account_id: h.account.account_id },
      },
    ];
    for (const body of bad) expect((await deliver(body)).status).toBe(200);
    expect(await allSessions()).toEqual(before);
  });

  it('an event of another account, or of a meeting this school did not schedule, stores nothing in this school', async () => {
    const meeting = await scheduleClass('Other schools');
    const before = await allSessions();
    const who = {
      participant_uuid: 'p-other',
      user_id: '1',
      user_name: 'Eve',
      join_time: '2030-03-04T14:02:00Z',
    };
    // Another school's Zoom account naming a meeting number this school knows: the route refuses it.
    const foreign = await deliver(
      participantEvent('meeting.participant_joined', meeting.zoomId, who, 'another-account'),
    );
    expect(foreign.status).toBe(403);
    expect(foreign.body).toEqual({ error: 'zoom_webhook_account_mismatch' });
    // A meeting of the account the tool did not schedule (another school's, or made in Zoom directly).
    const own = await api('POST', `/users/${h.account.admin_email}/meetings`, {
      topic: 'Made in Zoom',
      type: 2,
      start_time: '2030-03-04T14:00:00Z',
    });
    expect((await deliver(participantEvent('meeting.participant_joined', String(own.id), who))).status).toBe(
      200,
    );
    expect(await allSessions()).toEqual(before);
  });

  it("another school's meeting: its event reaches that school's endpoint only, and this school stores nothing", async () => {
    const schoolB = await h.addLms({ profile: 'moodle', school: 'School B' });
    const accountB = (await h.zoom.createAccount({ plan: 'business' })).account_id;
    await h.connectS2S({ lms: schoolB, accountId: accountB, webhookSecretToken: 'school-b-webhook-secret' });
    const endpointB = `/zoom/webhook/${String((await h.connectionRow('School B'))?.webhook_id)}`;
    // The emulators share their users' emails: school B's instructor has an address of their own.
    const instructorB = {
      ...schoolB.users.instructor,
      id: 'b-instructor',
      email: 'teacher@school-b.example.edu',
    };
    schoolB.addUser(instructorB);
    await h.activate(instructorB.id, schoolB);
    const { response, id: meetingB } = await h.schedule(await h.page(instructorB.id, schoolB), {
      topic: 'School B class',
    });
    expect(response.status).toBe(303);
    await settleJobs(h);
    const zoomB = String((await meetingRow(h, meetingB)).zoom_meeting_id);
    const before = await allSessions();
    const event = participantEvent(
      'meeting.participant_joined',
      zoomB,
      { participant_uuid: 'p-b', user_id: '7', user_name: 'Bea', join_time: '2030-03-04T14:02:00Z' },
      accountB,
    );

    // At this school's endpoint: refused (another account), and under this school's account, unknown.
    expect((await deliver(event)).status).toBe(403);
    const asOurs = { ...event, payload: { ...event.payload, account_id: h.account.account_id } };
    expect((await deliver(asOurs)).status).toBe(200);
    expect(await allSessions()).toEqual(before);

    // At school B's own endpoint it is B's session.
    expect((await h.deliver(endpointB, 'school-b-webhook-secret', event)).status).toBe(200);
    const after = await allSessions();
    expect(after).toHaveLength(before.length + 1);
    const [schoolOfSession] = await rows<{ name: string }>(
      h,
      sql`select s.name from attendance_sessions a join schools s on s.id = a.school_id where a.participant_uuid = 'p-b'`,
    );
    expect(schoolOfSession?.name).toBe('School B');
    expect(await sessionsOf(meetingB)).toHaveLength(1);
  });

  it('a forged participant event is refused and stores nothing', async () => {
    const meeting = await scheduleClass('Forged');
    const before = await allSessions();
    const body = participantEvent('meeting.participant_joined', meeting.zoomId, {
      participant_uuid: 'p-forged',
      user_id: '1',
      user_name: 'Mallory',
      join_time: '2030-03-04T14:02:00Z',
    });
    const forged = await deliver(body, 'not-the-secret-token');
    expect(forged.status).toBe(401);
    expect(await allSessions()).toEqual(before);
  });
});
