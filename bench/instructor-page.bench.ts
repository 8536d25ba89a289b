import pg from 'pg';
import { page, runLoad } from './bench.client';
import { startCourse } from './bench.course';
import { ms, percentile } from './bench.stats';
import type { Bench, BenchContext, Row } from './bench.types';

/**
 * Instructor page: the instructor views the course page of a course with 20 meetings N times within
 * a minute (5 at a time). Timed: each view (GET /lti/course with the ltik, 200). Counted: the Zoom
 * API requests those views caused (the simulator's log, waiting for the background reconciliation
 * to finish): reconciliation runs at most once per course in 5 minutes, so N views (the first one
 * finding a reconciliation due) may cost at most one reconciliation's worth — one request per meeting.
 */
export const instructorPageBench: Bench = {
  name: 'instructor-page',
  async run(context: BenchContext): Promise<Row[]> {
    const meetings = context.smoke ? 3 : 20;
    const views = context.smoke ? 5 : 60;
    const course = await startCourse({
      database: 'postgres',
      meetings,
      learners: 0,
      log: (line) => context.log(`instructor-page: ${line}`),
    });
    try {
      // The course was reconciled while it was set up: make the next reconciliation due, as it is
      // 5 minutes after the last, so the views below may cause one (and only one).
      const db = new pg.Client({ connectionString: course.tool.databaseUrl });
      await db.connect();
      await db.query('update courses set reconciled_at = null').finally(() => db.end());
      await course.clearZoomRequests();
      context.log(`instructor-page: ${views} views of the course page by the instructor`);
      const result = await runLoad(
        views,
        () => page(course.agent, course.instructorPage, { expect: [200] }),
        {
          concurrency: 5,
        },
      );
      await new Promise((resolve) => setTimeout(resolve, 3_000));
      const zoomRequests = await course.zoomApiRequests();
      const bench = `instructor page (${meetings} meetings, ${views} views in ${(result.wallMs / 1000).toFixed(0)} s, PostgreSQL)`;
      return [
        { bench, measure: 'errors', value: String(result.errors), target: '0', pass: result.errors === 0 },
        { bench, measure: 'p50', value: ms(percentile(result.latencies, 50)) },
        { bench, measure: 'p99', value: ms(percentile(result.latencies, 99)) },
        {
          bench,
          measure: 'Zoom requests for all views (per view)',
          value: `${zoomRequests} (${(zoomRequests / views).toFixed(2)})`,
          target: `≤ ${meetings} (one reconciliation)`,
          pass: zoomRequests <= meetings,
        },
      ];
    } finally {
      await course.stop();
    }
  },
};
