import {
  computeAttendance,
  unionOf,
  type ComputeInput,
  type ComputeSession,
} from '../../../src/attendance/attendance.compute';

/**
 * Issue 19: each student's status and seconds of one held instance, from its sessions. A 60-minute
 * class scheduled at 09:00, held 09:00–10:00; present from 45 minutes (75 %), late after 09:10.
 */
const at = (hhmm: string) => new Date(`2030-03-04T${hhmm}Z`);
const base = (): ComputeInput => ({
  instance: {
    scheduledStart: at('09:00:00'),
    scheduledMinutes: 60,
    startedAt: at('09:00:00'),
    endedAt: at('10:00:00'),
  },
  now: at('12:00:00'),
  rules: { presentPercent: 75, lateMinutes: 10 },
  roster: [
    { lmsUserId: 'u-ana', name: 'Ana García' },
    { lmsUserId: 'u-ana2', name: 'Ana García' },
  ],
  registrants: [
    { lmsUserId: 'u-ana', registrantId: 'r-ana', email: 'u-ana@registrants.tool.test' },
    { lmsUserId: 'u-ana2', registrantId: 'r-ana2', email: 'u-ana2@registrants.tool.test' },
  ],
  hostZoomUserIds: ['host-1'],
  sessions: [],
});
const session = (
  over: Partial<ComputeSession> & { from: string | null; to: string | null },
): ComputeSession => ({
  registrantId: null,
  email: null,
  zoomAccountUserId: null,
  displayName: 'Ana García',
  joinedAt: over.from === null ? null : at(over.from),
  leftAt: over.to === null ? null : at(over.to),
  ...over,
});

interface Case {
  name: string;
  sessions: ComputeSession[];
  rules?: ComputeInput['rules'];
  endedAt?: Date | null;
  expected: Record<string, { status: string; seconds: number; flags?: string[]; firstJoin?: string | null }>;
}

const cases: Case[] = [
  {
    name: 'two students with the same name are told apart by registrant id',
    sessions: [
      session({ registrantId: 'r-ana', from: '09:00:00', to: '10:00:00' }),
      session({ registrantId: 'r-ana2', from: '09:00:00', to: '09:30:00' }),
    ],
    expected: {
      'u-ana': { status: 'present', seconds: 3600, flags: [] },
      'u-ana2': { status: 'absent', seconds: 1800, flags: [] },
    },
  },
  {
    name: 'a rename is flagged and keeps the student (no name matching)',
    sessions: [session({ registrantId: 'r-ana', displayName: 'A.G. 🎧', from: '09:00:00', to: '10:00:00' })],
    expected: {
      'u-ana': { status: 'present', seconds: 3600, flags: ['name:A.G. 🎧'] },
      'u-ana2': { status: 'absent', seconds: 0, flags: [], firstJoin: null },
    },
  },
  {
    name: 'a rejoin adds its second interval; a name used before is not flagged again',
    sessions: [
      session({ registrantId: 'r-ana', from: '09:00:00', to: '09:20:00', displayName: 'ana garcía' }),
      session({ registrantId: 'r-ana', from: '09:25:00', to: '10:00:00' }),
    ],
    expected: { 'u-ana': { status: 'present', seconds: 3300, flags: [], firstJoin: '09:00:00' } },
  },
  {
    name: 'two devices overlapping count once (union, never a sum)',
    sessions: [
      session({ registrantId: 'r-ana', from: '09:00:00', to: '09:40:00' }),
      session({ registrantId: 'r-ana', from: '09:30:00', to: '10:00:00' }),
    ],
    expected: { 'u-ana': { status: 'present', seconds: 3600 } },
  },
  {
    name: 'a forwarded link: another name and another signed-in Zoom user are flagged',
    sessions: [
      session({ registrantId: 'r-ana', zoomAccountUserId: 'z-ana', from: '09:00:00', to: '09:10:00' }),
      session({
        registrantId: 'r-ana',
        zoomAccountUserId: 'z-sam',
        displayName: 'Sam R.',
        from: '09:10:00',
        to: '10:00:00',
      }),
    ],
    expected: { 'u-ana': { status: 'present', seconds: 3600, flags: ['name:Sam R.', 'zoom_user:Sam R.'] } },
  },
  {
    name: 'a first join after the late minutes is late (attended enough)',
    sessions: [session({ registrantId: 'r-ana', from: '09:12:00', to: '10:00:00' })],
    expected: { 'u-ana': { status: 'late', seconds: 2880, firstJoin: '09:12:00' } },
  },
  {
    name: 'exactly the late minutes is still on time; exactly the threshold is present',
    sessions: [session({ registrantId: 'r-ana', from: '09:10:00', to: '09:55:00' })],
    expected: { 'u-ana': { status: 'present', seconds: 2700 } },
  },
  {
    name: 'below the threshold is absent, however early',
    sessions: [session({ registrantId: 'r-ana', from: '08:50:00', to: '09:44:59' })],
    expected: { 'u-ana': { status: 'absent', seconds: 2699, firstJoin: '08:50:00' } },
  },
  {
    name: 'a leave without its join adds no time; once paired it counts',
    sessions: [
      session({ registrantId: 'r-ana', from: null, to: '09:50:00' }),
      session({ registrantId: 'r-ana2', from: '09:00:00', to: '09:50:00' }),
    ],
    expected: {
      'u-ana': { status: 'absent', seconds: 0, firstJoin: null },
      'u-ana2': { status: 'present', seconds: 3000 },
    },
  },
  {
    name: 'the report and a webhook naming the same interval count once',
    sessions: [
      session({ registrantId: 'r-ana', from: '09:05:00', to: '09:55:00' }),
      session({ registrantId: 'r-ana', from: '09:05:00', to: '09:55:00' }),
    ],
    expected: { 'u-ana': { status: 'present', seconds: 3000 } },
  },
  {
    name: 'a session without a registrant id is matched by our secondary email (any case)',
    sessions: [
      session({
        email: 'U-ANA@registrants.tool.test',
        displayName: 'Someone',
        from: '09:00:00',
        to: '10:00:00',
      }),
    ],
    expected: { 'u-ana': { status: 'present', seconds: 3600, flags: ['name:Someone'] } },
  },
  {
    name: 'intervals are clipped to the instance; an open session ends at its end',
    sessions: [
      session({ registrantId: 'r-ana', from: '08:30:00', to: '09:30:00' }),
      session({ registrantId: 'r-ana2', from: '09:15:00', to: null }),
    ],
    expected: {
      'u-ana': { status: 'absent', seconds: 1800 },
      'u-ana2': { status: 'late', seconds: 2700 },
    },
  },
  {
    name: 'the course rules decide (50 %, 20 minutes)',
    rules: { presentPercent: 50, lateMinutes: 20 },
    sessions: [session({ registrantId: 'r-ana', from: '09:15:00', to: '09:45:00' })],
    expected: { 'u-ana': { status: 'present', seconds: 1800 } },
  },
  {
    name: 'a running instance ends at now for the computation',
    endedAt: null,
    sessions: [session({ registrantId: 'r-ana', from: '09:00:00', to: null })],
    expected: { 'u-ana': { status: 'present', seconds: 3 * 3600 } },
  },
];

describe('computeAttendance', () => {
  it.each(cases)('$name', (c) => {
    const input = base();
    const out = computeAttendance({
      ...input,
      rules: c.rules ?? input.rules,
      instance: { ...input.instance, ...(c.endedAt !== undefined ? { endedAt: c.endedAt } : {}) },
      sessions: c.sessions,
    });
    for (const [user, expected] of Object.entries(c.expected)) {
      const result = out.students.find((s) => s.lmsUserId === user);
      expect(result).toMatchObject({ status: expected.status, seconds: expected.seconds });
      if (expected.flags) expect(result?.flags).toEqual(expected.flags);
      if (expected.firstJoin !== undefined)
        expect(result?.firstJoinAt).toEqual(expected.firstJoin === null ? null : at(expected.firstJoin));
    }
    expect(out.students.map((s) => s.lmsUserId)).toEqual(['u-ana', 'u-ana2']);
  });

  it('lists hosts and guests apart, and never matches a student by display name', () => {
    const out = computeAttendance({
      ...base(),
      sessions: [
        session({ zoomAccountUserId: 'host-1', displayName: 'Prof. Lee', from: '08:55:00', to: '10:00:00' }),
        session({ displayName: 'Ana García', email: 'ana@gmail.example', from: '09:00:00', to: '10:00:00' }),
        session({ zoomAccountUserId: 'z-other', displayName: 'Visitor', from: '09:00:00', to: '09:10:00' }),
      ],
    });
    expect(out.students.map((s) => [s.lmsUserId, s.status, s.seconds])).toEqual([
      ['u-ana', 'absent', 0],
      ['u-ana2', 'absent', 0],
    ]);
    expect(out.hosts).toEqual([{ zoomUserId: 'host-1', names: ['Prof. Lee'], seconds: 3600 }]);
    expect(out.guests).toEqual([
      { name: 'Ana García', email: 'ana@gmail.example', joinedAt: at('09:00:00'), leftAt: at('10:00:00') },
      { name: 'Visitor', email: null, joinedAt: at('09:00:00'), leftAt: at('09:10:00') },
    ]);
  });

  it('a registrant no longer on the roster gets no result and is not a guest', () => {
    const input = base();
    const out = computeAttendance({
      ...input,
      roster: [input.roster[0]!],
      sessions: [session({ registrantId: 'r-ana2', from: '09:00:00', to: '10:00:00' })],
    });
    expect(out.students.map((s) => s.lmsUserId)).toEqual(['u-ana']);
    expect(out.guests).toEqual([]);
  });

  it('the union merges touching and overlapping spans and drops empty ones', () => {
    expect(
      unionOf([
        { from: 10, to: 20 },
        { from: 0, to: 5 },
        { from: 20, to: 30 },
        { from: 25, to: 28 },
        { from: 40, to: 40 },
      ]),
    ).toEqual([
      { from: 0, to: 5 },
      { from: 10, to: 30 },
    ]);
  });
});
