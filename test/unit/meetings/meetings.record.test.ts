import { matchesIntent } from '../../../src/meetings/meetings.record';
import type { MeetingRow } from '../../../src/meetings/meetings.repo';
import type { ZoomMeetingListItem } from '../../../src/zoom';

/**
 * A lost create is adopted only when the host's meeting is the one the intent asked for: topic,
 * start, duration, zone and kind, made just after the intent (not by topic alone).
 */
const asked = new Date('2030-01-10T12:00:00Z');

const intent = (fields: Partial<MeetingRow> = {}): MeetingRow =>
  ({
    topic: 'Biology 101',
    startTime: new Date('2030-03-04T14:00:00Z'), // 09:00 in New York
    durationMinutes: 60,
    timeZone: 'America/New_York',
    recurrence: null,
    createdAt: asked,
    updatedAt: asked,
    ...fields,
  }) as MeetingRow;

const candidate = (fields: Partial<ZoomMeetingListItem> = {}): ZoomMeetingListItem => ({
  id: '81234567890',
  uuid: 'u',
  host_id: 'h',
  join_url: 'https://zoom.example/j/81234567890',
  topic: 'Biology 101',
  type: 2,
  start_time: '2030-03-04T14:00:00Z',
  duration: 60,
  timezone: 'America/New_York',
  created_at: '2030-01-10T12:00:05Z',
  ...fields,
});

const weekly = { type: 2 as const, repeat_interval: 1, weekly_days: '2', end_times: 4 };

describe('which of the host’s meetings a lost create is', () => {
  it.each([
    ['the same meeting', candidate(), intent(), true],
    [
      'the same meeting, Zoom’s clock a minute behind',
      candidate({ created_at: '2030-01-10T11:59:00Z' }),
      intent(),
      true,
    ],
    ['the zone under another name (same offset)', candidate({ timezone: 'US/Eastern' }), intent(), true],
    ['another topic', candidate({ topic: 'Biology 102' }), intent(), false],
    ['another start', candidate({ start_time: '2030-03-04T15:00:00Z' }), intent(), false],
    ['another duration', candidate({ duration: 45 }), intent(), false],
    ['another zone', candidate({ timezone: 'America/Chicago' }), intent(), false],
    ['a series for a single meeting', candidate({ type: 8 }), intent(), false],
    ['made before the intent', candidate({ created_at: '2030-01-10T11:50:00Z' }), intent(), false],
    ['made long after the intent', candidate({ created_at: '2030-01-10T12:30:00Z' }), intent(), false],
    ['no creation time', candidate({ created_at: undefined }), intent(), false],
    [
      'a series whose next class keeps the local time (after a DST change)',
      candidate({ type: 8, start_time: '2030-03-18T13:00:00Z' }),
      intent({ recurrence: weekly }),
      true,
    ],
    [
      'a series at another local time',
      candidate({ type: 8, start_time: '2030-03-18T14:00:00Z' }),
      intent({ recurrence: weekly }),
      false,
    ],
    [
      'a series whose first class is before the intent’s',
      candidate({ type: 8, start_time: '2030-02-25T14:00:00Z' }),
      intent({ recurrence: weekly }),
      false,
    ],
    [
      'a failed create retried later: made just after the retry',
      candidate({ created_at: '2030-01-11T08:00:05Z' }),
      intent({ updatedAt: new Date('2030-01-11T08:00:00Z') }),
      true,
    ],
  ])('%s', (_name, zoom, ours, expected) => {
    expect(matchesIntent(zoom, ours)).toBe(expected);
  });
});
