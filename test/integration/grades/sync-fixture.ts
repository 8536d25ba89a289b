import crypto from 'node:crypto';
import { and, eq } from 'drizzle-orm';
import { createLogger } from '../../../src/shared/logger';
import { GradesSync, lmsUrlPolicyFor, type GradeCourse, type GradesSyncOptions } from '../../../src/grades';
import { AGS_SCOPES } from '../../../src/lti';
import type { AgsScore, LmsProfileName } from '../../../src/sandbox/lms';
import { tables } from '../../../src/storage';
import { createLtiHarness, TOOL_URL, type LtiHarness } from '../../support/lti-harness';

/**
 * The grades job against one profile of the LMS emulator, with a real registration (its service
 * tokens from the emulator's token endpoint): the course recorded as a staff launch records it, its
 * people, meetings, held instances and results seeded as rows (the results computation is another
 * part's), and the emulator's gradebook read back. The job's clock is the real one plus what its
 * waits asked for (a wait for the next second is instant and recorded).
 */
export const AGS_CLAIM = 'https://purl.imsglobal.org/spec/lti-ags/claim/endpoint';
const CONTEXT_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/context';
const DAY = 24 * 60 * 60_000;

export interface Student {
  /** The emulator's user id (what its gradebook names). */
  id: string;
  /** The LTI `sub`: the course_people row and the score's userId. */
  sub: string;
}

export function syncFixture(profile: LmsProfileName) {
  const state = {} as {
    harness: LtiHarness;
    course: GradeCourse;
    students: Student[];
    lineItemsUrl: string;
  };
  let offset = 0;
  const waits: number[] = [];
  const retryWaits: number[] = [];
  const enqueued: Array<{ kind: string; key: string; payload: Record<string, unknown> }> = [];

  const now = () => Date.now() + offset;
  const sync = (options: Partial<GradesSyncOptions> = {}) =>
    new GradesSync({
      db: state.harness.database.db,
      jobs: {
        enqueue: async (kind, key, payload) => {
          enqueued.push({ kind, key, payload });
        },
      },
      serviceToken: (registration, scopes, tokenOptions) =>
        state.harness.built.lti.serviceToken(registration, scopes, tokenOptions),
      urls: lmsUrlPolicyFor({ env: 'test', publicUrl: TOOL_URL, registrationAllowedHosts: [] }),
      logger: createLogger({ level: 'silent' }),
      now,
      sleep: async (ms) => {
        waits.push(ms);
        offset += ms;
      },
      retry: {
        attempts: 3,
        startingDelayMs: 1,
        maxDelayMs: 5,
        maxRetryAfterMs: 10_000,
        sleep: async (ms) => {
          retryWaits.push(ms);
        },
      },
      ...options,
    });

  beforeAll(async () => {
    const harness = await createLtiHarness({ profile });
    const { lms } = harness;
    for (const n of [2, 3])
      lms.addUser({
        ...lms.users.learner,
        id: `${lms.users.learner.id}${n}`,
        givenName: `Student${n}`,
        name: `Student${n} Test`,
        email: `student${n}@school.example.edu`,
      });
    const claims = lms.claimsFor(lms.users.instructor.id, { nonce: 'n' });
    const [school] = await harness.database.db
      .select({ id: tables.registrations.schoolId })
      .from(tables.registrations)
      .where(
        and(eq(tables.registrations.issuer, lms.issuer), eq(tables.registrations.clientId, lms.clientId)),
      );
    if (!school) throw new Error('no registration');
    state.harness = harness;
    state.lineItemsUrl = (claims[AGS_CLAIM] as { lineitems: string }).lineitems;
    state.course = {
      schoolId: school.id,
      lmsIssuer: lms.issuer,
      contextId: (claims[CONTEXT_CLAIM] as { id: string }).id,
    };
    state.students = [lms.users.learner.id, `${lms.users.learner.id}2`, `${lms.users.learner.id}3`].map(
      (id) => ({
        id,
        sub: lms.claimsFor(id, { nonce: 'n' }).sub as string,
      }),
    );
    await recordCourse([...Object.values(AGS_SCOPES)]);
    for (const student of state.students) await person(student.sub);
  });
  afterAll(async () => {
    await state.harness.close();
  });
  beforeEach(() => {
    waits.length = 0;
    retryWaits.length = 0;
    enqueued.length = 0;
  });
  afterEach(() => {
    state.harness.lms.failAgsRequests({ status: 503, count: 0 });
  });

  const db = () => state.harness.database.db;

  /** The course's services as a staff launch records them (granted `scopes`). */
  async function recordCourse(scopes: string[], lineItemsUrl: string | null = state.lineItemsUrl) {
    const values = {
      ...state.course,
      title: 'Zoom Practice 101',
      clientId: state.harness.lms.clientId,
      deploymentId: 'deployment',
      lineItemsUrl,
      agsScopes: scopes,
    };
    await db()
      .insert(tables.courses)
      .values(values)
      .onConflictDoUpdate({
        target: [tables.courses.schoolId, tables.courses.lmsIssuer, tables.courses.contextId],
        set: { lineItemsUrl, agsScopes: scopes },
      });
  }

  async function person(sub: string, personState: 'active' | 'removed' = 'active') {
    await db()
      .insert(tables.coursePeople)
      .values({ ...state.course, lmsUserId: sub, isStudent: true, state: personState })
      .onConflictDoUpdate({
        target: [
          tables.coursePeople.schoolId,
          tables.coursePeople.lmsIssuer,
          tables.coursePeople.contextId,
          tables.coursePeople.lmsUserId,
        ],
        set: { state: personState },
      });
  }

  /** A meeting of the course starting `inDays` from now (negative: in the past). */
  async function meeting(topic: string, inDays: number): Promise<string> {
    const [row] = await db()
      .insert(tables.meetings)
      .values({
        schoolId: state.course.schoolId,
        lmsIssuer: state.course.lmsIssuer,
        contextId: state.course.contextId,
        intentKey: crypto.randomUUID(),
        state: 'scheduled',
        hostZoomUserId: 'host',
        hostLmsUserId: 'instructor',
        scheduledBy: 'instructor',
        topic,
        startTime: new Date(Date.now() + inDays * DAY),
        durationMinutes: 60,
        timeZone: 'America/New_York',
        settings: { waitingRoom: true, joinBeforeHost: false, autoRecording: 'none', alternativeHosts: [] },
      })
      .returning({ id: tables.meetings.id });
    return row!.id;
  }

  /** A held instance of a meeting, its results computed, with each student's status. */
  async function held(
    meetingId: string,
    scheduledStart: string,
    statuses: Array<'present' | 'late' | 'absent' | undefined>,
  ): Promise<string> {
    const [row] = await db()
      .insert(tables.meetingInstances)
      .values({
        schoolId: state.course.schoolId,
        meetingId,
        zoomUuid: crypto.randomUUID(),
        scheduledStart: new Date(scheduledStart),
        scheduledMinutes: 60,
        computedAt: new Date(),
      })
      .returning({ id: tables.meetingInstances.id });
    const instanceId = row!.id;
    for (const [index, status] of statuses.entries())
      if (status)
        await db().insert(tables.attendanceResults).values({
          schoolId: state.course.schoolId,
          instanceId,
          lmsUserId: state.students[index]!.sub,
          status,
        });
    return instanceId;
  }

  /** The instructor's override of a result (null: none, the computed status again). */
  async function override(instanceId: string, student: Student, status: 'present' | 'excused' | null) {
    await db()
      .update(tables.attendanceResults)
      .set(
        status
          ? {
              overrideStatus: status,
              overrideReason: 'note',
              overrideBy: 'instructor',
              overrideAt: new Date(),
            }
          : { overrideStatus: null, overrideReason: null, overrideBy: null, overrideAt: null },
      )
      .where(
        and(
          eq(tables.attendanceResults.instanceId, instanceId),
          eq(tables.attendanceResults.lmsUserId, student.sub),
        ),
      );
  }

  /** The gradebook column with this resourceId, and its scores by the emulator's user id. */
  function column(resourceId: string) {
    const book = state.harness.lms.gradebook();
    const item = book.lineItems.find((entry) => entry.resourceId === resourceId);
    const scores = new Map<string, AgsScore>();
    for (const score of book.scores)
      if (item && score.lineItemId === item.id) scores.set(score.userId, score);
    return { item, scores, count: book.lineItems.filter((entry) => entry.resourceId === resourceId).length };
  }

  const gradeSettings = async () => {
    const [row] = await db()
      .select()
      .from(tables.attendanceSettings)
      .where(
        and(
          eq(tables.attendanceSettings.schoolId, state.course.schoolId),
          eq(tables.attendanceSettings.contextId, state.course.contextId),
        ),
      );
    return row;
  };

  return {
    state,
    waits,
    retryWaits,
    enqueued,
    sync,
    now,
    recordCourse,
    person,
    meeting,
    held,
    override,
    column,
    gradeSettings,
    /** Runs the job as the runner would, with its payload. */
    run: (instance: GradesSync) => instance.run({ ...state.course }),
  };
}
