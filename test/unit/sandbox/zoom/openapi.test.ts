import {
  validateZoomRequest,
  validateZoomResponse,
  ZOOM_SPEC_RELAXATIONS,
} from '../../../../src/sandbox/zoom';

describe('validateZoomRequest / validateZoomResponse', () => {
  it('finds operations by path template with or without /v2 and whatever the parameter names', () => {
    expect(
      validateZoomResponse('GET', '/v2/users/{id}', 200, { id: 'u', email: 'a@b.c', type: 1 }).operationId,
    ).toBe('user');
    expect(
      validateZoomResponse('get', '/past_meetings/{uuid}/participants', 200, { participants: [] })
        .operationId,
    ).toBe('pastMeetingParticipants');
  });

  it('applies only the relaxations of the operation and direction', () => {
    const req = validateZoomRequest('post', '/users/{userId}/meetings', {
      recurrence: { type: 2, weekly_days: '1,7' },
    });
    expect(req.valid).toBe(true);
    expect(req.relaxations).toEqual(['weekly-days-is-a-list', 'start-time-may-be-local']);
    const res = validateZoomResponse('get', '/users/{userId}/meetings', 200, {
      meetings: [{ id: 123456789 }],
    });
    expect(res).toMatchObject({ valid: true, relaxations: ['listed-meeting-id-is-number'] });
  });

  it('describes why each relaxation exists', () => {
    for (const r of ZOOM_SPEC_RELAXATIONS) expect(r.why.length).toBeGreaterThan(10);
  });

  it('reports every schema error with its location', () => {
    const res = validateZoomResponse('post', '/users/{userId}/meetings', 201, {
      id: 'abc',
      type: 9,
      start_time: 'soon',
    });
    expect(res.valid).toBe(false);
    expect(res.errors).toEqual(
      expect.arrayContaining([
        expect.stringMatching(/^\/id /),
        expect.stringMatching(/^\/type /),
        expect.stringMatching(/^\/start_time /),
      ]),
    );
  });

  it('checks bodiless answers and undocumented statuses', () => {
    expect(validateZoomResponse('delete', '/meetings/{meetingId}', 204, undefined).valid).toBe(true);
    expect(validateZoomResponse('get', '/meetings/{meetingId}', 201, {}).errors[0]).toMatch(/not documented/);
    expect(
      validateZoomResponse('get', '/meetings/{meetingId}', 429, { code: 429, message: 'slow down' }).valid,
    ).toBe(true);
    expect(validateZoomRequest('delete', '/meetings/{meetingId}', { x: 1 }).valid).toBe(false);
  });
});
