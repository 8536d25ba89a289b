import { startCourse } from './bench.course';
import { classStartStorm, stormSizes } from './class-start.bench';
import { memoryOf } from './bench.processes';
import { mb } from './bench.stats';
import type { Bench, BenchContext, Row } from './bench.types';

const STORMS = Number(process.env.BENCH_MEMORY_STORMS ?? 3);
/** RSS after the last storm may exceed RSS after the first by at most this share of the baseline. */
const GROWTH_LIMIT = 0.1;

/**
 * Memory of one instance on PGlite through three class-start storms: the baseline (the course set
 * up, every student launched once, idle), the peak RSS in each storm (sampled every 50 ms), and the
 * RSS after each storm once it has been idle 5 s. No growth across storms: after the third, RSS is
 * within 10% of the baseline of what it was after the first.
 */
export const memoryBench: Bench = {
  name: 'memory',
  async run(context: BenchContext): Promise<Row[]> {
    const sizes = stormSizes(context.smoke);
    const settleMs = context.smoke ? 1_000 : 5_000;
    const course = await startCourse({
      database: 'pglite',
      ...sizes,
      log: (line) => context.log(`memory: ${line}`),
    });
    try {
      await new Promise((resolve) => setTimeout(resolve, settleMs));
      const baseline = memoryOf(course.tool.pid).rss;
      const peaks: number[] = [];
      const after: number[] = [];
      let errors = 0;
      let zoomRequests = 0;
      for (let storm = 1; storm <= STORMS; storm += 1) {
        context.log(`memory: storm ${storm} of ${STORMS} on PGlite (${sizes.learners} students)`);
        const result = await classStartStorm(course, sizes.arrivalMs);
        errors += result.errors;
        zoomRequests += result.zoomRequests;
        peaks.push(result.peakRss);
        await new Promise((resolve) => setTimeout(resolve, settleMs));
        after.push(memoryOf(course.tool.pid).rss);
      }
      const growth = (after[STORMS - 1] as number) - (after[0] as number);
      const bench = `memory (PGlite, ${STORMS} class-start storms of ${sizes.learners} students)`;
      return [
        { bench, measure: 'errors in the storms', value: String(errors), target: '0', pass: errors === 0 },
        {
          bench,
          measure: 'Zoom requests in the storms',
          value: String(zoomRequests),
          target: '0',
          pass: zoomRequests === 0,
        },
        { bench, measure: 'RSS baseline (idle, before the storms)', value: mb(baseline) },
        { bench, measure: 'RSS peak in each storm', value: peaks.map(mb).join(' / ') },
        {
          bench,
          measure: `RSS after storm 1 / 2 / 3 (idle ${settleMs / 1000} s)`,
          value: after.map(mb).join(' / '),
        },
        {
          bench,
          measure: 'growth from storm 1 to storm 3 (× baseline)',
          value: `${mb(growth)} (${((100 * growth) / baseline).toFixed(1)}%)`,
          target: `≤ ${(GROWTH_LIMIT * 100).toFixed(0)}% of baseline`,
          pass: growth <= GROWTH_LIMIT * baseline,
          timed: true,
        },
      ];
    } finally {
      await course.stop();
    }
  },
};
