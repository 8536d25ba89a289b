import { sql } from 'drizzle-orm';
import { COURSE_RESOURCE, GRADES_JOB } from '../../../src/grades';
import { AGS_SCOPES, NRPS_SCOPE } from '../../../src/lti';
import type { LmsProfileName } from '../../../src/sandbox/lms';
import { queryRows } from '../../../src/storage';
import { syncFixture } from './sync-fixture';

const profiles: LmsProfileName[] = ['moodle', 'canvas'];
const ALL = [...Object.values(AGS_SCOPES)];

describe.each(profiles)('attendance grades when the %s LMS refuses or fails', (profile) => {
  const f = syncFixture(profile);
  let instance: string;
  const grades = () =>
    f.state.students.map((student) => f.column(COURSE_RESOURCE).scores.get(student.id)?.scoreGiven);
  const requests = (spy: jest.Mock, method?: string) =>
    spy.mock.calls.filter(([, init]) => method === undefined || (init?.method ?? 'GET') === method).length;
  const settingsSql = (assignments: ReturnType<typeof sql>) =>
    queryRows(
      f.state.harness.database.db,
      sql`update attendance_settings set ${assignments}
          where school_id = ${f.state.course.schoolId} and context_id = ${f.state.course.contextId}`,
    );

  beforeAll(async () => {
    const lecture = await f.meeting('Chemistry', -2);
    instance = await f.held(lecture, '2026-12-01T15:00:00.000Z', ['present', 'absent', 'late']);
  });

  it('says the scope is not granted, without a request, when the launch granted no score or no column list', async () => {
    const sync = f.sync();
    await sync.setMode(f.state.course, 'course', 'instructor');
    for (const [scopes, url] of [
      [[NRPS_SCOPE, AGS_SCOPES.lineItem], 'keep'],
      [ALL, null],
    ] as const) {
      await f.recordCourse([...scopes], url === 'keep' ? undefined : url);
      const spy = jest.fn(fetch);
      expect(await f.run(f.sync({ fetch: spy }))).toBeUndefined();
      expect(spy).not.toHaveBeenCalled();
      expect((await sync.status(f.state.course)).error).toBe('grades_scope_not_granted');
    }
    expect(f.column(COURSE_RESOURCE).count).toBe(0);
    // Granted at the next launch: the next run sends, and the refusal is gone.
    await f.recordCourse(ALL);
    await f.run(sync);
    expect(grades()).toEqual([100, 0, 100]);
    const settings = await f.gradeSettings();
    expect([settings?.gradeError, settings?.gradeErrorAt]).toEqual([null, null]);
  });

  it('runs again later while the LMS answers 503, loses nothing, and sends when it is back', async () => {
    const sync = f.sync();
    await f.override(instance, f.state.students[1]!, 'excused');
    f.state.harness.lms.failAgsRequests({ status: 503, count: 3 });
    const before = f.now();
    const result = await f.run(sync);
    expect(result).toEqual({ retryAt: expect.any(Number) });
    const retryAt = (result as { retryAt: number }).retryAt;
    expect(retryAt - before).toBeGreaterThanOrEqual(30_000);
    expect(retryAt - before).toBeLessThanOrEqual(60 * 60_000);
    expect((await sync.status(f.state.course)).error).toBe('grades_lms_unavailable');
    expect(grades()).toEqual([100, 0, 100]);

    expect(await f.run(sync)).toBeUndefined();
    expect(grades()).toEqual([100, 100, 100]);
    expect((await sync.status(f.state.course)).error).toBeUndefined();
  });

  it('gives up after 3 days of an unavailable LMS (the next change tries again)', async () => {
    const sync = f.sync();
    await f.override(instance, f.state.students[1]!, null);
    f.state.harness.lms.failAgsRequests({ status: 503, count: 3 });
    expect(await f.run(sync)).toEqual({ retryAt: expect.any(Number) });
    await settingsSql(sql`grade_error_at = now() - interval '3 days 1 minute'`);
    f.state.harness.lms.failAgsRequests({ status: 503, count: 3 });
    expect(await f.run(sync)).toBeUndefined();
    expect((await f.gradeSettings())?.gradeError).toBe('grades_lms_unavailable');
    expect(await f.run(sync)).toBeUndefined();
    expect((await f.gradeSettings())?.gradeError).toBeNull();
    expect(grades()).toEqual([100, 0, 100]);
  });

  it('waits as a 429’s Retry-After asks, within the run or by running again then', async () => {
    const sync = f.sync();
    await f.override(instance, f.state.students[1]!, 'excused');
    f.state.harness.lms.failAgsRequests({ status: 429, count: 1, retryAfterSeconds: 3 });
    expect(await f.run(sync)).toBeUndefined();
    expect(f.retryWaits).toEqual([3000]);
    expect(grades()).toEqual([100, 100, 100]);

    await f.override(instance, f.state.students[1]!, null);
    f.state.harness.lms.failAgsRequests({ status: 429, count: 5, retryAfterSeconds: 2 * 60 * 60 });
    const before = f.now();
    const result = (await f.run(sync)) as { retryAt: number };
    expect(result.retryAt - before).toBeGreaterThanOrEqual(2 * 60 * 60_000 - 1_000);
    expect(result.retryAt - before).toBeLessThanOrEqual(2 * 60 * 60_000 + 5_000);
    expect(grades()).toEqual([100, 100, 100]);
    f.state.harness.lms.failAgsRequests({ status: 429, count: 0 });
    await f.run(sync);
    expect(grades()).toEqual([100, 0, 100]);
  });

  it('keeps a column deleted in the LMS deleted, saying so, until the instructor makes it again', async () => {
    const sync = f.sync();
    const { item } = f.column(COURSE_RESOURCE);
    f.state.harness.lms.deleteLineItem(item!.url);
    await f.override(instance, f.state.students[1]!, 'excused');
    await f.run(sync);
    const status = await sync.status(f.state.course);
    expect(status.error).toBe('grades_line_item_deleted');
    expect(status.lines).toEqual([{ label: 'Attendance', state: 'deleted_in_lms', url: item!.url }]);
    const spy = jest.fn(fetch);
    await f.run(f.sync({ fetch: spy }));
    expect(spy).not.toHaveBeenCalled();
    expect(f.column(COURSE_RESOURCE).count).toBe(0);
    expect((await sync.status(f.state.course)).error).toBe('grades_line_item_deleted');

    expect(await sync.recreate(f.state.course)).toBe(1);
    expect(f.enqueued.map((job) => job.kind)).toEqual([GRADES_JOB]);
    expect((await sync.status(f.state.course)).error).toBeUndefined();
    await f.run(sync);
    expect(f.column(COURSE_RESOURCE).count).toBe(1);
    expect(grades()).toEqual([100, 100, 100]);
    const again = await sync.status(f.state.course);
    expect(again.lines).toEqual([
      { label: 'Attendance', state: 'ok', url: f.column(COURSE_RESOURCE).item!.url },
    ]);
    expect(again.error).toBeUndefined();
  });

  it('sends nothing once the instructor stops sending grades', async () => {
    const sync = f.sync();
    f.state.harness.lms.deleteLineItem(f.column(COURSE_RESOURCE).item!.url);
    await f.override(instance, f.state.students[1]!, null);
    await f.run(sync);
    expect((await sync.status(f.state.course)).error).toBe('grades_line_item_deleted');
    await sync.stop(f.state.course, 'instructor');
    expect(f.enqueued).toEqual([]);
    const status = await sync.status(f.state.course);
    expect(status).toMatchObject({ mode: 'off', error: undefined, lines: [] });
    await f.override(instance, f.state.students[1]!, 'excused');
    const spy = jest.fn(fetch);
    await f.run(f.sync({ fetch: spy }));
    expect(requests(spy)).toBe(0);
  });
});
