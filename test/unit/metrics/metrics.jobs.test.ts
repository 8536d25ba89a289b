import { createMetrics, MAX_JOB_KINDS } from '../../../src/metrics';

/** The value of one sample in Prometheus' text format (0 when absent). */
function sampleOf(text: string, name: string, labels: Record<string, string> = {}): number {
  for (const line of text.split('\n')) {
    if (!line.startsWith(`${name}{`) && !line.startsWith(`${name} `)) continue;
    const wanted = Object.entries(labels).every(([key, value]) => line.includes(`${key}="${value}"`));
    if (wanted) return Number(line.slice(line.lastIndexOf(' ') + 1));
  }
  return 0;
}

/** Failed background jobs: a counter of this instance's give-ups and a gauge read at each scrape. */
describe('failed background job metrics', () => {
  it('counts give-ups by kind, with a bounded set of kind labels', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.jobFailed('meetings.reconcile');
    metrics.jobFailed('meetings.reconcile');
    metrics.jobFailed('Not A Kind!');
    for (let n = 0; n < MAX_JOB_KINDS + 5; n += 1) metrics.jobFailed(`kind${n}`);
    const text = await metrics.registry.metrics();
    expect(sampleOf(text, 'background_jobs_failed_total', { kind: 'meetings.reconcile' })).toBe(2);
    expect(sampleOf(text, 'background_jobs_failed_total', { kind: `kind${MAX_JOB_KINDS + 4}` })).toBe(0);
    // The bad name and the kinds past the bound (one slot went to meetings.reconcile) share "other".
    expect(sampleOf(text, 'background_jobs_failed_total', { kind: 'other' })).toBe(7);
  });

  it('the gauge shows what its source reads at each scrape, and nothing when the source fails', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    expect(await metrics.registry.metrics()).not.toMatch(/^background_jobs_failed\{/m);
    let counts = [{ kind: 'provisioning.retry', count: 3 }];
    let failing = false;
    metrics.countFailedJobs(async () => {
      if (failing) throw new Error('database down');
      return counts;
    });
    expect(
      sampleOf(await metrics.registry.metrics(), 'background_jobs_failed', { kind: 'provisioning.retry' }),
    ).toBe(3);
    counts = [];
    expect(await metrics.registry.metrics()).not.toMatch(/^background_jobs_failed\{/m);
    counts = [{ kind: 'provisioning.retry', count: 1 }];
    failing = true;
    expect(await metrics.registry.metrics()).not.toMatch(/^background_jobs_failed\{/m);
  });
});
