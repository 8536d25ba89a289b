import { PROVISIONING_STORM_TARGETS, runProvisioningStorm } from './provisioning-storm';
import { ms, ratio } from './bench.stats';
import type { Bench, BenchContext, Row } from './bench.types';

/**
 * Provisioning storm (bench/provisioning-storm.ts): N instructors' first launches in the same
 * instant against a Pro Zoom account in the simulator; the time until all have a Zoom user, as a
 * ratio to the floor Zoom's rate limits set for the requests the run needed (same run).
 */
export const provisioningBench: Bench = {
  name: 'provisioning',
  async run(context: BenchContext): Promise<Row[]> {
    const instructors = context.smoke ? 10 : 300;
    context.log(`provisioning: ${instructors} instructors' first launches in the same instant, PostgreSQL`);
    const result = await runProvisioningStorm(
      { instructors, arrivalSeconds: 0, database: 'postgres' },
      { log: (line) => context.log(`provisioning: ${line}`) },
    );
    const bench = `provisioning storm (${instructors} instructors)`;
    return [
      {
        bench,
        measure: 'errors (failed launches, no Zoom user, 429 shown)',
        value: String(result.errors),
        target: '0',
        pass: result.errors === 0,
      },
      {
        bench,
        measure: "Zoom's 429 answers",
        value: String(result.rateLimited),
        target: '0',
        pass: result.rateLimited === 0,
      },
      {
        bench,
        measure: 'time to provision all (× rate-limit floor)',
        value: `${result.elapsedSeconds.toFixed(1)} s (${ratio(result.ratio)} of ${result.floorSeconds.toFixed(1)} s)`,
        target: `≤ ${PROVISIONING_STORM_TARGETS.ratio.toFixed(2)}×`,
        pass: result.ratio <= PROVISIONING_STORM_TARGETS.ratio,
        timed: true,
      },
      {
        bench,
        measure: 'slowest launch (p99)',
        value: `${ms(result.slowestLaunchMs)} (${ms(result.p99LaunchMs)})`,
        target: `≤ ${ms(PROVISIONING_STORM_TARGETS.slowestLaunchMs)}`,
        pass: result.slowestLaunchMs <= PROVISIONING_STORM_TARGETS.slowestLaunchMs,
        timed: true,
      },
    ];
  },
};
