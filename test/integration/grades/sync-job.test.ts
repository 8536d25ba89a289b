import { sql } from 'drizzle-orm';
import { COURSE_RESOURCE, GRADES_JOB, GRADES_JOB_ATTEMPTS, type GradesSync } from '../../../src/grades';
import { JobRunner } from '../../../src/jobs';
import type { LmsProfileName } from '../../../src/sandbox/lms';
import { createLogger } from '../../../src/shared/logger';
import { queryRows } from '../../../src/storage';
import { syncFixture } from './sync-fixture';

const profiles: LmsProfileName[] = ['moodle', 'canvas'];

describe.each(profiles)('the attendance.grades job run by the job runner, with the %s LMS', (profile) => {
  const f = syncFixture(profile);
  let runner: JobRunner;
  let sync: GradesSync;
  let instance: string;
  const jobs = () =>
    queryRows<{ kind: string; key: string; status: string; last_error: string | null; due_in_s: number }>(
      f.state.harness.database.db,
      sql`select kind, key, status, last_error,
                 extract(epoch from (run_at - now()))::float8 as due_in_s
          from background_jobs where kind = ${GRADES_JOB}`,
    );
  async function until(check: () => Promise<boolean>, what: string) {
    const end = Date.now() + 15_000;
    while (!(await check())) {
      if (Date.now() > end) throw new Error(`timed out waiting for ${what}`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  }
  const grades = () =>
    f.state.students.map((student) => f.column(COURSE_RESOURCE).scores.get(student.id)?.scoreGiven);

  beforeAll(async () => {
    // The harness's own runner runs nothing of this suite: this one, with the job registered, does.
    await f.state.harness.built.jobs.stop();
    runner = new JobRunner({
      db: f.state.harness.database.db,
      logger: createLogger({ level: 'silent' }),
      pollMs: 50,
    });
    sync = f.sync({ jobs: runner });
    runner.register(GRADES_JOB, {
      handler: (payload, context) => sync.run(payload, context),
      maxAttempts: GRADES_JOB_ATTEMPTS,
    });
    runner.start();
    const lecture = await f.meeting('History', -1);
    instance = await f.held(lecture, '2026-12-04T13:00:00.000Z', ['present', 'absent', 'absent']);
  });
  afterAll(async () => {
    await runner.stop();
  });

  it('sends the grades once the mode is set (the job recorded with the setting)', async () => {
    await sync.setMode(f.state.course, 'course', 'instructor');
    await until(async () => (await jobs()).length === 0, 'the job to finish');
    expect(grades()).toEqual([100, 0, 0]);
  });

  it('runs again later while the LMS is down, and sends when it is back', async () => {
    await f.override(instance, f.state.students[1]!, 'excused');
    f.state.harness.lms.failAgsRequests({ status: 503, count: 3 });
    await sync.enqueue(f.state.course);
    await until(async () => (await jobs())[0]?.last_error === 'asked_to_retry', 'the job to be put off');
    const [job] = await jobs();
    expect(job).toMatchObject({
      key: `${f.state.course.schoolId}:${f.state.course.lmsIssuer}:${f.state.course.contextId}`,
      status: 'pending',
    });
    expect(job!.due_in_s).toBeGreaterThan(20);
    expect(grades()).toEqual([100, 0, 0]);
    expect((await sync.status(f.state.course)).error).toBe('grades_lms_unavailable');

    // Its time comes.
    await queryRows(
      f.state.harness.database.db,
      sql`update background_jobs set run_at = now() where kind = ${GRADES_JOB}`,
    );
    await until(async () => (await jobs()).length === 0, 'the job to finish');
    expect(grades()).toEqual([100, 100, 0]);
    expect((await sync.status(f.state.course)).error).toBeUndefined();
  });
});
