import {
  alreadySent,
  columnsFor,
  instanceLabel,
  nextTimestamp,
  secondWait,
  type ColumnsInput,
} from '../../../src/grades/grades.sync.columns';

const held = [
  { id: 'i1', topic: 'Biology 101', timeZone: 'America/New_York', at: new Date('2026-12-01T03:00:00Z') },
  { id: 'i2', topic: 'Biology 101', timeZone: 'Europe/Madrid', at: new Date('2026-12-01T23:30:00Z') },
  { id: 'i3', topic: 'Lab', timeZone: 'UTC', at: new Date('2026-12-03T10:00:00Z') },
];
const input = (fields: Partial<ColumnsInput> = {}): ColumnsInput => ({
  mode: 'course',
  held,
  results: [
    { instanceId: 'i1', lmsUserId: 'ana', status: 'present' },
    { instanceId: 'i2', lmsUserId: 'ana', status: 'late' },
    { instanceId: 'i3', lmsUserId: 'ana', status: 'excused' },
    { instanceId: 'i1', lmsUserId: 'bo', status: 'absent' },
    { instanceId: 'i2', lmsUserId: 'bo', status: 'present' },
  ],
  students: ['ana', 'bo', 'cy'],
  upcoming: false,
  ...fields,
});
const scoresOf = (fields: Partial<ColumnsInput> = {}) =>
  columnsFor(input(fields)).map((column) => Object.fromEntries(column.scores));

describe('the gradebook columns of a course', () => {
  it('gives nothing when grades are off', () => {
    expect(columnsFor(input({ mode: 'off' }))).toEqual([]);
  });

  it('scores each student out of 100 by the held meetings attended, late and excused counting, absent or missing not', () => {
    const [column] = columnsFor(input());
    expect(column).toMatchObject({
      resourceId: 'zoom-attendance:course',
      instanceId: null,
      label: 'Attendance',
      scoreMaximum: 100,
    });
    expect(scoresOf()[0]).toEqual({
      ana: { scoreGiven: 100, activityProgress: 'Completed', gradingProgress: 'FullyGraded' },
      bo: { scoreGiven: 33.33, activityProgress: 'Completed', gradingProgress: 'FullyGraded' },
      cy: { scoreGiven: 0, activityProgress: 'Completed', gradingProgress: 'FullyGraded' },
    });
  });

  it('keeps the course column in progress while a meeting that counts is to come', () => {
    const scores = scoresOf({ upcoming: true })[0]!;
    expect(Object.values(scores).map((score) => score.activityProgress)).toEqual([
      'InProgress',
      'InProgress',
      'InProgress',
    ]);
  });

  it('makes the course column but scores no one before any meeting is held', () => {
    const [column] = columnsFor(input({ held: [] }));
    expect(column?.scores.size).toBe(0);
  });

  it('gives one column per held meeting out of 1: attended 1 and completed, absent 0 and initialized', () => {
    const columns = columnsFor(input({ mode: 'meeting' }));
    expect(
      columns.map((column) => [column.resourceId, column.instanceId, column.label, column.scoreMaximum]),
    ).toEqual([
      ['zoom-attendance:i1', 'i1', 'Biology 101 (2026-11-30)', 1],
      ['zoom-attendance:i2', 'i2', 'Biology 101 (2026-12-02)', 1],
      ['zoom-attendance:i3', 'i3', 'Lab (2026-12-03)', 1],
    ]);
    const progress = columns.map((column) =>
      [...column.scores].map(([who, score]) => `${who}:${score.scoreGiven}:${score.activityProgress}`),
    );
    expect(progress).toEqual([
      ['ana:1:Completed', 'bo:0:Initialized', 'cy:0:Initialized'],
      ['ana:1:Completed', 'bo:1:Completed', 'cy:0:Initialized'],
      ['ana:1:Completed', 'bo:0:Initialized', 'cy:0:Initialized'],
    ]);
  });

  it('scores only the students given (the active roster), whatever results others have', () => {
    expect(Object.keys(scoresOf({ students: ['bo'] })[0]!)).toEqual(['bo']);
  });

  it('labels a meeting by its topic (cut to 200 characters) and its date, in UTC when its zone is unknown', () => {
    const at = new Date('2026-12-01T03:00:00Z');
    expect(instanceLabel('  Chem  ', 'Asia/Tokyo', at)).toBe('Chem (2026-12-01)');
    expect(instanceLabel('Chem', 'Not/AZone', at)).toBe('Chem (2026-12-01)');
    expect(instanceLabel('x'.repeat(300), 'UTC', at)).toBe(`${'x'.repeat(200)} (2026-12-01)`);
    expect(instanceLabel('   ', 'UTC', at)).toBe('Attendance (2026-12-01)');
  });
});

describe('what is sent again, and when', () => {
  const sent = {
    scoreGiven: 50,
    activityProgress: 'Completed',
    gradingProgress: 'FullyGraded',
    sentAt: new Date('2026-12-01T10:00:00.500Z'),
  };
  const wanted = { scoreGiven: 50, activityProgress: 'Completed', gradingProgress: 'FullyGraded' } as const;

  it('does not send a score equal to the last sent (given score and both progress values)', () => {
    expect(alreadySent(wanted, sent)).toBe(true);
    expect(alreadySent({ ...wanted, scoreGiven: 51 }, sent)).toBe(false);
    expect(alreadySent({ ...wanted, activityProgress: 'InProgress' }, sent)).toBe(false);
    expect(alreadySent(wanted, undefined)).toBe(false);
  });

  it('stamps a score now, or a millisecond after the last sent when the clock went back', () => {
    const last = sent.sentAt.getTime();
    expect(nextTimestamp(last + 5000, sent)).toBe(last + 5000);
    expect(nextTimestamp(last - 60_000, sent)).toBe(last + 1);
    expect(nextTimestamp(last, sent)).toBe(last + 1);
    expect(nextTimestamp(123, undefined)).toBe(123);
  });

  it('waits for the second after the newest score sent (Moodle keeps whole seconds), at most a second', () => {
    const last = Date.parse('2026-12-01T10:00:00.500Z');
    expect(secondWait(last + 100, last)).toBe(400);
    expect(secondWait(last + 500, last)).toBe(0);
    expect(secondWait(last + 9000, last)).toBe(0);
    expect(secondWait(last - 2000, last)).toBe(1000);
    expect(secondWait(last, undefined)).toBe(0);
  });
});
