import pino from 'pino';
import { eq, sql } from 'drizzle-orm';
import { MeetingsService } from '../../../src/meetings/meetings.service';
import { MeetingsSync } from '../../../src/meetings/meetings.sync';
import type { MeetingRequest } from '../../../src/meetings/meetings.schema';
import { queryRows, tables } from '../../../src/storage';
import type { ZoomClient, ZoomMeeting } from '../../../src/zoom';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/db';

/**
 * A reconcile or an edit reads the meeting row, then waits on Zoom (paced calls); a webhook may
 * change the row meanwhile. What Zoom answered is written with the version read: a webhook's state
 * is kept, and a meeting Zoom deleted is never brought back. The Zoom API here is a stub whose
 * `GET /meetings/{id}` waits at a gate the test opens once the webhook has landed.
 */
describe.each(databaseKinds('both'))('when a webhook lands while Zoom is being asked (%s)', (kind) => {
  let db: TestDatabase;
  let schoolId: string;
  let service: MeetingsService;
  let sync: MeetingsSync;
  let gate: Gate;
  const zoomId = '81234567890';
  const course = () => ({ schoolId, lmsIssuer: 'https://lms.example', contextId: 'course-1' });

  beforeAll(async () => {
    db = await createTestDatabase(kind);
    const [school] = await db.db.insert(tables.schools).values({ name: 'Races' }).returning();
    schoolId = school!.id;
    service = new MeetingsService({
      db: db.db,
      client: stubClient(() => gate),
      connectionOf: async () => ({
        status: 'connected',
        ref: { id: 'c1', schoolId, zoomAccountId: 'acct', plan: 'business' },
      }),
      zoomUserOf: async () => undefined,
      jobs: { enqueue: async () => undefined },
      logger: pino({ level: 'silent' }),
    });
    sync = new MeetingsSync(service, { enqueue: async () => undefined });
  });
  afterAll(() => db.drop());
  beforeEach(async () => {
    gate = new Gate();
    await db.db.delete(tables.meetings);
    await db.db.insert(tables.meetings).values({
      ...course(),
      intentKey: 'intent-races-000001',
      state: 'scheduled',
      zoomMeetingId: zoomId,
      hostZoomUserId: 'host-1',
      hostLmsUserId: 'teacher',
      scheduledBy: 'teacher',
      topic: 'Planned',
      startTime: new Date('2030-03-04T14:00:00Z'),
      durationMinutes: 60,
      timeZone: 'America/New_York',
      settings: { waitingRoom: true, joinBeforeHost: false, autoRecording: 'none', alternativeHosts: [] },
      joinUrl: `https://zoom.example/j/${zoomId}`,
    });
  });

  const row = async () => {
    const [found] = await db.db
      .select()
      .from(tables.meetings)
      .where(eq(tables.meetings.zoomMeetingId, zoomId));
    return found!;
  };
  /** Zoom's webhook, applied as the delivery does: in its own transaction. */
  const webhook = (event: 'meeting.started' | 'meeting.deleted') =>
    db.db.transaction((tx) =>
      sync.onZoomEvent(
        { event, event_ts: Date.now(), payload: { account_id: 'acct', object: { id: zoomId } } },
        {
          tx,
          schoolId,
          connectionId: 'c1',
          zoomAccountId: 'acct',
          source: { kind: 'school', connectionId: 'c1' },
        },
      ),
    );
  /** Zoom's answer to the GET: read before the webhook's event happened (status waiting), renamed in Zoom. */
  const staleAnswer: ZoomMeeting = zoomMeeting({ topic: 'Renamed in Zoom', status: 'waiting' });
  const request: MeetingRequest = {
    intent: 'intent-races-000001',
    topic: 'Edited',
    start: new Date('2030-03-05T14:00:00Z'),
    durationMinutes: 45,
    timeZone: 'America/New_York',
    recurrence: undefined,
    passcode: undefined,
    settings: { waitingRoom: true, joinBeforeHost: false, autoRecording: 'none', alternativeHosts: [] },
  };
  const actor = {
    userId: 'teacher',
    name: 'T',
    issuer: 'https://lms.example',
    timeZone: 'UTC',
    locale: 'en',
  };

  it('meeting.started during a reconcile: the meeting stays in progress, and Zoom’s new topic is kept', async () => {
    const reconciling = sync.reconcile(course());
    await gate.entered;
    await webhook('meeting.started');
    gate.open(staleAnswer);
    await reconciling;

    expect(await row()).toMatchObject({ state: 'started', topic: 'Renamed in Zoom' });
  });

  it('meeting.deleted during a reconcile: the meeting stays deleted', async () => {
    const reconciling = sync.reconcile(course());
    await gate.entered;
    await webhook('meeting.deleted');
    gate.open(staleAnswer);
    await reconciling;

    expect(await row()).toMatchObject({ state: 'deleted', topic: 'Planned' });
  });

  it('meeting.started during an edit: the edit is recorded and the meeting stays in progress', async () => {
    const editing = service.update(course(), (await row()).id, actor, request);
    await gate.entered;
    await webhook('meeting.started');
    gate.open(zoomMeeting({ topic: 'Edited', duration: 45, status: 'waiting' }));
    await editing;

    expect(await row()).toMatchObject({ state: 'started', topic: 'Edited', durationMinutes: 45 });
  });

  it('meeting.deleted during an edit: the meeting stays deleted', async () => {
    const editing = service.update(course(), (await row()).id, actor, request);
    await gate.entered;
    await webhook('meeting.deleted');
    gate.open(zoomMeeting({ topic: 'Edited', duration: 45, status: 'waiting' }));
    await editing;

    expect((await row()).state).toBe('deleted');
  });

  it('a reconcile that finds nothing new writes nothing: the version (the calendar’s SEQUENCE) stays', async () => {
    const first = sync.reconcile(course());
    gate.open(staleAnswer);
    await first;
    const read = await row();
    gate = new Gate();
    const second = sync.reconcile(course());
    gate.open(staleAnswer);
    await second;

    expect(await row()).toEqual(read);
  });

  it('every write to the row or its occurrences moves its version on', async () => {
    const before = (await row()).version;
    const reconciling = sync.reconcile(course());
    gate.open(staleAnswer);
    await reconciling;
    const afterReconcile = (await row()).version;
    await webhook('meeting.started');
    const afterWebhook = (await row()).version;

    expect(afterReconcile).toBeGreaterThan(before);
    expect(afterWebhook).toBeGreaterThan(afterReconcile);
    const [count] = await queryRows<{ n: number | string }>(db.db, sql`select count(*) as n from meetings`);
    expect(Number(count?.n)).toBe(1);
  });
});

/** Holds Zoom's answer to `GET /meetings/{id}` until the test opens it. */
class Gate {
  entered: Promise<void>;
  private enter!: () => void;
  private answer!: (meeting: ZoomMeeting) => void;
  readonly answered: Promise<ZoomMeeting>;

  constructor() {
    this.entered = new Promise((resolve) => (this.enter = resolve));
    this.answered = new Promise((resolve) => (this.answer = resolve));
  }

  wait(): Promise<ZoomMeeting> {
    this.enter();
    return this.answered;
  }

  open(meeting: ZoomMeeting): void {
    this.answer(meeting);
  }
}

function zoomMeeting(fields: { topic: string; status: string; duration?: number }): ZoomMeeting {
  return {
    id: '81234567890',
    uuid: 'uuid-1',
    host_id: 'host-1',
    type: 2,
    start_time: '2030-03-04T14:00:00Z',
    duration: fields.duration ?? 60,
    timezone: 'America/New_York',
    join_url: 'https://zoom.example/j/81234567890',
    topic: fields.topic,
    status: fields.status,
  };
}

/** A Zoom client whose meeting GET waits at the gate; PATCH succeeds at once. */
function stubClient(gate: () => Gate): ZoomClient {
  const api = {
    request: async (spec: { method: string; path: string }) => {
      if (spec.method === 'GET' && spec.path === '/meetings/{meetingId}') return gate().wait();
      if (spec.method === 'PATCH') return undefined;
      throw new Error(`unexpected Zoom call ${spec.method} ${spec.path}`);
    },
  };
  return { forConnection: () => api } as unknown as ZoomClient;
}
