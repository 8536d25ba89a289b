/**
 * Where today's Zoom differs from the 2021 `openapi.v2.json`: each relaxation names the operations
 * (by operationId), the direction and the one property it replaces, and says why. Nothing else in
 * the spec is loosened; the contract test lists these names and fails on a new or stale one.
 */
type Schema = Record<string, unknown>;

export interface SpecRelaxation {
  name: string;
  why: string;
  direction: 'request' | 'response';
  operations: string[];
  /** Property path inside the body; `[]` steps into array items. */
  at: string[];
  schema: Schema;
}

const MEETING_ID = { type: 'integer', minimum: 100_000_000, maximum: 99_999_999_999 };

export const ZOOM_SPEC_RELAXATIONS: SpecRelaxation[] = [
  {
    name: 'meeting-id-is-number',
    why: 'The 2021 file types the meeting id as a string; Zoom answers a 9–11 digit number.',
    direction: 'response',
    operations: ['meetingCreate', 'meeting', 'recordingGet'],
    at: ['id'],
    schema: MEETING_ID,
  },
  {
    name: 'listed-meeting-id-is-number',
    why: 'Same drift inside lists of meetings and of recordings.',
    direction: 'response',
    operations: ['meetings', 'recordingsList'],
    at: ['meetings', '[]', 'id'],
    schema: MEETING_ID,
  },
  {
    name: 'occurrence-id-is-string',
    why: 'Occurrence ids are answered as strings of epoch milliseconds ("1893484800000").',
    direction: 'response',
    operations: ['meetingCreate', 'meeting'],
    at: ['occurrences', '[]', 'occurrence_id'],
    schema: { type: 'string', pattern: '^\\d+$' },
  },
  {
    name: 'weekly-days-is-a-list',
    why: 'recurrence.weekly_days is a comma-separated string of days ("2,4"), not one integer.',
    direction: 'request',
    operations: ['meetingCreate', 'meetingUpdate'],
    at: ['recurrence', 'weekly_days'],
    schema: { type: 'string', pattern: '^[1-7](,[1-7])*$' },
  },
  {
    name: 'start-time-may-be-local',
    why: 'start_time without Z is local time in `timezone` (documented in the same file), which format date-time rejects.',
    direction: 'request',
    operations: ['meetingCreate', 'meetingUpdate'],
    at: ['start_time'],
    schema: {
      type: 'string',
      pattern: '^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}(\\.\\d+)?(Z|[+-]\\d{2}:?\\d{2})?$',
    },
  },
  {
    name: 'user-type-99-for-sso',
    why: 'Type 99 (None) exists for ssoCreate users; the 2021 enum is [1,2,3].',
    direction: 'request',
    operations: ['userCreate'],
    at: ['user_info', 'type'],
    schema: { type: 'integer', enum: [1, 2, 3, 99] },
  },
  {
    name: 'answered-user-type-99',
    why: 'Users created with ssoCreate and type 99 are answered with type 99.',
    direction: 'response',
    operations: ['userCreate', 'user'],
    at: ['type'],
    schema: { type: 'integer', enum: [1, 2, 3, 99] },
  },
  {
    name: 'user-pmi-is-number',
    why: 'The personal meeting id is answered as a number.',
    direction: 'response',
    operations: ['user'],
    at: ['pmi'],
    schema: { type: 'integer' },
  },
  {
    name: 'user-timezone-is-a-zone-name',
    why: 'UserUpdate.timezone carries format date-time by mistake; it is an IANA zone name.',
    direction: 'request',
    operations: ['userUpdate'],
    at: ['timezone'],
    schema: { type: 'string' },
  },
  {
    name: 'recording-sizes-are-numbers',
    why: 'total_size and recording_count are answered as numbers, not strings.',
    direction: 'response',
    operations: ['recordingGet'],
    at: ['total_size'],
    schema: { type: 'integer', minimum: 0 },
  },
  {
    name: 'recording-count-is-number',
    why: 'See recording-sizes-are-numbers.',
    direction: 'response',
    operations: ['recordingGet'],
    at: ['recording_count'],
    schema: { type: 'integer', minimum: 0 },
  },
  {
    name: 'listed-recording-sizes-are-numbers',
    why: 'See recording-sizes-are-numbers, inside a user’s recordings list.',
    direction: 'response',
    operations: ['recordingsList'],
    at: ['meetings', '[]', 'total_size'],
    schema: { type: 'integer', minimum: 0 },
  },
  {
    name: 'listed-recording-count-is-number',
    why: 'See recording-sizes-are-numbers, inside a user’s recordings list.',
    direction: 'response',
    operations: ['recordingsList'],
    at: ['meetings', '[]', 'recording_count'],
    schema: { type: 'integer', minimum: 0 },
  },
  {
    name: 'registrant-answer-id-is-meeting-number',
    why: 'The 2021 file calls `id` the registrant id (a string); Zoom answers the meeting number there (the registrant id is `registrant_id`).',
    direction: 'response',
    operations: ['meetingRegistrantCreate'],
    at: ['id'],
    schema: MEETING_ID,
  },
  {
    name: 'participant-id-is-user-id',
    why: 'A participant id is the Zoom user id of a signed-in participant, or empty for guests — not a UUID.',
    direction: 'response',
    operations: ['pastMeetingParticipants', 'reportMeetingParticipants'],
    at: ['participants', '[]', 'id'],
    schema: { type: 'string' },
  },
];
