import {
  validateZoomRequest,
  validateZoomResponse,
  ZOOM_SPEC_RELAXATIONS,
  type ZoomSimulator,
} from '../../../../src/sandbox/zoom';
import { api, startSimulator, type Tenant, tenant } from './zoom-sim.helpers';

/**
 * Contract: every simulator answer the tool relies on validates against Zoom's openapi.v2.json.
 * The spec (2021) differs from today's Zoom in a few named places; each relaxation replaces only
 * the property concerned and is listed here, so a new drift cannot slip in unnoticed:
 */
const RELAXATIONS = [
  'meeting-id-is-number', // id of a meeting: spec string, Zoom a 9–11 digit number
  'listed-meeting-id-is-number', // same, inside meeting and recording lists
  'occurrence-id-is-string', // spec integer, Zoom "1893484800000"
  'weekly-days-is-a-list', // request: spec one integer, Zoom "2,4"
  'start-time-may-be-local', // request: spec date-time, but local time without Z is documented
  'user-type-99-for-sso', // request: type 99 (None) with ssoCreate
  'answered-user-type-99', // response: such users are answered with type 99
  'user-pmi-is-number', // spec string, Zoom a number
  'user-timezone-is-a-zone-name', // request: spec format date-time by mistake
  'recording-sizes-are-numbers', // total_size: spec string, Zoom a number
  'recording-count-is-number', // recording_count: spec string, Zoom a number
  'listed-recording-sizes-are-numbers',
  'listed-recording-count-is-number',
  'registrant-answer-id-is-meeting-number', // add registrant: spec `id` the registrant's, Zoom the meeting number
  'participant-id-is-user-id', // spec format uuid, Zoom a user id or ''
];

describe('Zoom simulator contract against openapi.v2.json', () => {
  let sim: ZoomSimulator;
  let t: Tenant;
  const applied = new Set<string>();

  beforeAll(async () => {
    sim = await startSimulator();
    t = await tenant(sim, { plan: 'business', managed_domain: 'school.edu', sso: true, partner: true });
  });
  afterAll(async () => {
    await sim.stop();
  });

  type Method = 'get' | 'post' | 'patch' | 'delete';

  /** Sends a request whose body must match the spec, and checks the answer against the spec. */
  async function exchange(method: Method, template: string, path: string, body?: object) {
    if (body !== undefined) {
      const req = validateZoomRequest(method, template, body);
      req.relaxations.forEach((r) => applied.add(r));
      expect(req.errors).toEqual([]);
    }
    const res = await api(sim, t.token, method, path, body);
    const checked = validateZoomResponse(
      method,
      template,
      res.status,
      res.status === 204 ? undefined : res.body,
    );
    checked.relaxations.forEach((r) => applied.add(r));
    expect({ status: res.status, errors: checked.errors }).toEqual({ status: res.status, errors: [] });
    return res;
  }

  it('lists exactly the known relaxations', () => {
    expect(ZOOM_SPEC_RELAXATIONS.map((r) => r.name)).toEqual(RELAXATIONS);
  });

  it('users: create (each action), get, patch', async () => {
    const created = await exchange('post', '/users', '/users', {
      action: 'autoCreate',
      user_info: { email: 'k@school.edu', type: 2, first_name: 'K', last_name: 'J', password: 'Passw0rd!' },
    });
    expect(created.status).toBe(201);
    expect(
      (
        await exchange('post', '/users', '/users', {
          action: 'create',
          user_info: { email: 'p@school.edu', type: 1 },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await exchange('post', '/users', '/users', {
          action: 'ssoCreate',
          user_info: { email: 's@school.edu', type: 99 },
        })
      ).status,
    ).toBe(201);
    expect(
      (
        await exchange('post', '/users', '/users', {
          action: 'custCreate',
          user_info: { email: 'c@school.edu', type: 2 },
        })
      ).status,
    ).toBe(201);
    expect((await exchange('get', '/users/{userId}', '/users/s@school.edu')).body.type).toBe(99);
    expect((await exchange('get', '/users/{userId}', `/users/${created.body.id}`)).status).toBe(200);
    expect((await exchange('get', '/users/{userId}', '/users/me')).status).toBe(200);
    expect(
      (
        await exchange('patch', '/users/{userId}', `/users/${created.body.id}`, {
          first_name: 'Kay',
          timezone: 'Europe/Paris',
        })
      ).status,
    ).toBe(204);
  });

  it('meetings: create (scheduled and recurring), get, update, list, delete', async () => {
    const scheduled = await exchange('post', '/users/{userId}/meetings', '/users/me/meetings', {
      topic: 'Contract',
      type: 2,
      start_time: '2030-02-01T10:00:00',
      timezone: 'Europe/Berlin',
      duration: 60,
      password: 'abc123',
      settings: { join_before_host: true, auto_recording: 'cloud', waiting_room: false },
    });
    expect(scheduled.status).toBe(201);
    const recurring = await exchange('post', '/users/{userId}/meetings', '/users/me/meetings', {
      topic: 'Weekly',
      type: 8,
      start_time: '2030-02-04T15:00:00Z',
      duration: 50,
      recurrence: { type: 2, repeat_interval: 1, weekly_days: '2,4', end_times: 6 },
    });
    expect(recurring.body.occurrences).toHaveLength(6);
    expect((await exchange('get', '/meetings/{meetingId}', `/meetings/${recurring.body.id}`)).status).toBe(
      200,
    );
    expect(
      (
        await exchange('patch', '/meetings/{meetingId}', `/meetings/${scheduled.body.id}`, {
          topic: 'Renamed',
          start_time: '2030-02-02T10:00:00Z',
        })
      ).status,
    ).toBe(204);
    const list = await exchange(
      'get',
      '/users/{userId}/meetings',
      '/users/me/meetings?type=scheduled&page_size=1',
    );
    expect(list.body.next_page_token).not.toBe('');
    expect((await exchange('delete', '/meetings/{meetingId}', `/meetings/${recurring.body.id}`)).status).toBe(
      204,
    );
  });

  it('recordings and participants of an ended meeting', async () => {
    const m = await exchange('post', '/users/{userId}/meetings', '/users/me/meetings', {
      topic: 'Recorded',
      type: 2,
      settings: { auto_recording: 'cloud' },
    });
    sim.endMeeting(m.body.id, { participants: 4, duration_minutes: 45 });
    await sim.advanceClock(60); // participants come back once Zoom has processed the report
    const uuid = encodeURIComponent(encodeURIComponent(m.body.uuid));
    expect(
      (await exchange('get', '/meetings/{meetingId}/recordings', `/meetings/${m.body.id}/recordings`)).body
        .recording_files,
    ).toHaveLength(2);
    expect(
      (await exchange('get', '/meetings/{meetingId}/recordings', `/meetings/${uuid}/recordings`)).status,
    ).toBe(200);
    const day = new Date(sim.now()).toISOString().slice(0, 10);
    expect(
      (await exchange('get', '/users/{userId}/recordings', `/users/me/recordings?from=${day}&to=${day}`)).body
        .meetings,
    ).toHaveLength(1);
    expect(
      (
        await exchange(
          'get',
          '/past_meetings/{meetingUUID}/participants',
          `/past_meetings/${uuid}/participants`,
        )
      ).body.participants,
    ).toHaveLength(4);
    expect(
      (
        await exchange(
          'get',
          '/report/meetings/{meetingId}/participants',
          `/report/meetings/${m.body.id}/participants?page_size=2`,
        )
      ).body.participants,
    ).toHaveLength(2);
  });

  it('registrants: add, list, and the participants of a class joined through their links', async () => {
    const m = await exchange('post', '/users/{userId}/meetings', '/users/me/meetings', {
      topic: 'Registered class',
      type: 2,
      start_time: '2030-01-08T10:00:00Z',
      settings: { approval_type: 0 },
    });
    const added = await exchange(
      'post',
      '/meetings/{meetingId}/registrants',
      `/meetings/${m.body.id}/registrants`,
      { email: 'u123@isv.example', first_name: 'Ada', last_name: 'Lovelace' },
    );
    expect(added.status).toBe(201);
    const listed = await exchange(
      'get',
      '/meetings/{meetingId}/registrants',
      `/meetings/${m.body.id}/registrants?page_size=10`,
    );
    expect(listed.body.registrants).toHaveLength(1);
    await sim.playClass(m.body.id, {
      end_at: 3000,
      attendees: [
        { join_url: added.body.join_url, join_at: 60, leave_at: 2900 },
        { name: 'A guest', join_at: 120 },
      ],
    });
    await sim.advanceClock(60);
    const past = await exchange(
      'get',
      '/past_meetings/{meetingUUID}/participants',
      `/past_meetings/${m.body.id}/participants`,
    );
    expect(past.body.participants).toHaveLength(2);
    const report = await exchange(
      'get',
      '/report/meetings/{meetingId}/participants',
      `/report/meetings/${m.body.id}/participants`,
    );
    expect(report.body.participants).toHaveLength(2);
  });

  it('error answers have Zoom’s {code, message[, errors]} shape', async () => {
    expect((await exchange('get', '/users/{userId}', '/users/ghost@school.edu')).status).toBe(404);
    expect((await exchange('get', '/meetings/{meetingId}', '/meetings/12345678901')).status).toBe(404);
    const invalid = await api(sim, t.token, 'post', '/users', {
      action: 'create',
      user_info: { email: 'bad', type: 1 },
    });
    expect(validateZoomResponse('post', '/users', invalid.status, invalid.body).errors).toEqual([]);
    expect(invalid.body.errors).toHaveLength(1);
    const unauthorized = await api(sim, 'nope', 'get', '/users/me');
    expect(validateZoomResponse('get', '/users/{userId}', unauthorized.status, unauthorized.body).valid).toBe(
      true,
    );
  });

  it('applied every relaxation somewhere (none is stale)', () => {
    expect([...applied].sort()).toEqual([...RELAXATIONS].sort());
  });

  it('still rejects what the spec forbids', () => {
    expect(validateZoomResponse('get', '/users/{userId}', 200, { id: 'x', type: 1 }).valid).toBe(false); // email required
    expect(
      validateZoomResponse('get', '/meetings/{meetingId}', 200, { id: '85746065432', type: 2 }).valid,
    ).toBe(false); // id must be a number
    expect(
      validateZoomResponse('get', '/meetings/{meetingId}', 200, { id: 85746065432, type: 5 }).valid,
    ).toBe(false);
    expect(validateZoomResponse('post', '/users', 201, { id: 'x', type: 4 }).valid).toBe(false);
    expect(validateZoomResponse('post', '/users', 404, { message: 'no code' }).valid).toBe(false);
    expect(validateZoomResponse('patch', '/users/{userId}', 200, {}).valid).toBe(false); // 204 is the documented answer
    expect(
      validateZoomRequest('post', '/users/{userId}/meetings', { type: 2, start_time: 'tomorrow' }).valid,
    ).toBe(false);
    expect(
      validateZoomRequest('post', '/users/{userId}/meetings', { recurrence: { weekly_days: '8' } }).valid,
    ).toBe(false);
    expect(validateZoomRequest('post', '/users', { user_info: { email: 'a@b.c', type: 1 } }).valid).toBe(
      false,
    ); // action required
    expect(validateZoomRequest('get', '/nowhere', undefined).errors[0]).toMatch(/No operation/);
  });
});
