import { fromZoomMeeting, takesRegistration, toZoomInput } from '../../../src/meetings/meetings.zoom';
import type { MeetingRequest } from '../../../src/meetings/meetings.schema';
import type { ZoomMeeting } from '../../../src/zoom';

const settings = {
  waitingRoom: true,
  joinBeforeHost: false,
  autoRecording: 'none' as const,
  alternativeHosts: [],
};
const request = (recurring: boolean): MeetingRequest => ({
  intent: 'i',
  topic: 'Biology 101',
  start: new Date('2030-03-04T14:00:00Z'),
  durationMinutes: 60,
  timeZone: 'America/New_York',
  recurrence: recurring ? { type: 2, repeat_interval: 1, weekly_days: '2', end_times: 10 } : undefined,
  passcode: 'abc123',
  settings,
});
const registration = {
  approval_type: 0,
  registration_type: 1,
  registrants_confirmation_email: false,
  registrants_email_notification: false,
};

/** The meeting body sent to Zoom: registration exactly when the course takes attendance, on create and on edit. */
describe('the Zoom meeting body and attendance', () => {
  const cases: Array<[attendance: boolean, recurring: boolean, edit: boolean]> = [];
  for (const attendance of [true, false])
    for (const recurring of [true, false])
      for (const edit of [true, false]) cases.push([attendance, recurring, edit]);

  it.each(cases)('attendance %s, recurring %s, edit %s', (attendance, recurring, edit) => {
    const before = edit ? { passcode: 'abc123', settings } : undefined;
    const body = toZoomInput(request(recurring), before, { registration: attendance });
    expect(body.type).toBe(recurring ? 8 : 2);
    expect(body.recurrence !== undefined).toBe(recurring);
    expect(body.settings).toEqual({
      waiting_room: true,
      join_before_host: false,
      auto_recording: 'none',
      ...(attendance ? registration : {}),
    });
    // Registration never switches off what the form set.
    for (const key of Object.keys(registration)) expect(key in (body.settings ?? {})).toBe(attendance);
  });

  it('sends no registration when the caller says nothing (meetings without attendance, as before)', () => {
    expect(toZoomInput(request(false)).settings).not.toHaveProperty('approval_type');
  });

  const zoom = (approval: number | undefined): ZoomMeeting => ({
    id: '81234567890',
    uuid: 'u',
    host_id: 'h',
    topic: 'Biology 101',
    type: 2,
    join_url: 'https://zoom.example/j/81234567890',
    start_time: '2030-03-04T14:00:00Z',
    duration: 60,
    settings: approval === undefined ? {} : { approval_type: approval },
  });
  const fallback = { startTime: new Date(), durationMinutes: 60, timeZone: 'UTC', settings };

  it.each([
    [0, true],
    [1, false],
    [2, false],
    [undefined, false],
  ])('records that Zoom takes registrants when its approval_type is %s: %s', (approval, takes) => {
    const { values } = fromZoomMeeting(zoom(approval), fallback);
    expect(takesRegistration({ settings: values.settings ?? settings })).toBe(takes);
  });
});
