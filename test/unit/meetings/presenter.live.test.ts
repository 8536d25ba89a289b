import {
  formatMeetingId,
  isUpcoming,
  LIVE_GRACE_MS,
  meetingView,
  type Viewer,
} from '../../../src/meetings/meetings.presenter';
import type { MeetingWithDetails } from '../../../src/meetings/meetings.repo';
import { translatorFor } from '../../../src/shared/i18n';

/**
 * Issue 18: after Start, students saw "In progress" on a weekly series' first class a week early.
 * Zoom says only that the series' meeting is started; the card says "In progress" for the
 * occurrence that is running (its start ≤ now < its end + the grace), and shows the others' own
 * start. A series started last week and not running now shows its next class normally.
 */
const DAY = 86_400_000;
const MINUTE = 60_000;
const FIRST = Date.parse('2026-03-02T15:00:00Z'); // a Monday, 10:00 in New York

const weekly = (state: string) =>
  ({
    id: 'm1',
    state,
    topic: 'Biology',
    timeZone: 'America/New_York',
    startTime: new Date(FIRST),
    durationMinutes: 60,
    recurrence: { type: 2, repeat_interval: 1, weekly_days: '2', end_times: 4 },
    occurrences: [0, 1, 2, 3].map((week) => ({
      meetingId: 'm1',
      occurrenceId: String(FIRST + week * 7 * DAY),
      startTime: new Date(FIRST + week * 7 * DAY),
      durationMinutes: 60,
      status: 'available',
    })),
    recordings: [],
    hostLmsUserId: 'host',
    zoomMeetingId: '81234567890',
    settings: { waitingRoom: true, joinBeforeHost: false, autoRecording: 'none', alternativeHosts: [] },
  }) as unknown as MeetingWithDetails;

const view = (meeting: MeetingWithDetails, now: number) => {
  const viewer: Viewer = {
    timeZone: 'America/New_York',
    zoneFromBrowser: true,
    translator: translatorFor('en'),
    now,
  };
  return meetingView(meeting, viewer, { viewerUserId: 'student', hostName: 'H', forStudent: true });
};

describe('which occurrence of a started series is in progress', () => {
  it('a series started a week before its first class is not in progress: the card shows the first class’s start', () => {
    const card = view(weekly('started'), FIRST - 7 * DAY);
    expect(card.inProgress).toBe(false);
    expect(card.whenIso).toBe(new Date(FIRST).toISOString());
    expect(card.startsIn).toBe('Starts in 7 days');
  });

  it('the occurrence that is running is in progress, and the card shows that occurrence', () => {
    const now = FIRST + 7 * DAY + 20 * MINUTE; // the second class, 20 minutes in
    const card = view(weekly('started'), now);
    expect(card.inProgress).toBe(true);
    expect(card.whenIso).toBe(new Date(FIRST + 7 * DAY).toISOString());
    expect(card.occurrenceId).toBe(String(FIRST + 7 * DAY));
  });

  it('a class running over its planned end stays in progress on its own date (within the grace)', () => {
    const now = FIRST + 7 * DAY + 60 * MINUTE + LIVE_GRACE_MS - MINUTE;
    const card = view(weekly('started'), now);
    expect(card.inProgress).toBe(true);
    expect(card.whenIso).toBe(new Date(FIRST + 7 * DAY).toISOString());
  });

  it('after the end and the grace it is not in progress: the next class shows its own start', () => {
    const now = FIRST + 7 * DAY + 60 * MINUTE + LIVE_GRACE_MS + MINUTE;
    const card = view(weekly('started'), now);
    expect(card.inProgress).toBe(false);
    expect(card.whenIso).toBe(new Date(FIRST + 14 * DAY).toISOString());
    expect(isUpcoming(weekly('started'), now)).toBe(true);
  });

  it('a series started last week and not running now shows its next class normally', () => {
    const now = FIRST + 10 * DAY; // Thursday of the second week
    const card = view(weekly('started'), now);
    expect(card.inProgress).toBe(false);
    expect(card.whenIso).toBe(new Date(FIRST + 14 * DAY).toISOString());
    expect(card.startsIn).toBe('Starts in 4 days');
  });

  it('a host who opens the room a few minutes early starts that class', () => {
    expect(view(weekly('started'), FIRST + 7 * DAY - 5 * MINUTE).inProgress).toBe(true);
    expect(view(weekly('started'), FIRST + 7 * DAY - 2 * 60 * MINUTE).inProgress).toBe(false);
  });

  it('a series that is not started is never in progress', () => {
    expect(view(weekly('scheduled'), FIRST + 20 * MINUTE).inProgress).toBe(false);
  });
});

describe('the meeting ID as Zoom writes it', () => {
  it.each([
    ['81234567890', '812 3456 7890'],
    ['2345678901', '234 567 8901'],
    ['123456789', '123 456 789'],
    ['12345', '12345'],
  ])('%s reads %s', (id, text) => {
    expect(formatMeetingId(id)).toBe(text);
  });

  it('is on the card', () => {
    expect(view(weekly('scheduled'), FIRST - DAY).meetingIdText).toBe('812 3456 7890');
  });
});
