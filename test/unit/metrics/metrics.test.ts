import { createMetrics, MAX_WEBHOOK_EVENTS } from '../../../src/metrics';

async function sample(
  metrics: ReturnType<typeof createMetrics>,
  name: string,
  labels: Record<string, string>,
) {
  const metric = (await metrics.registry.getMetricsAsJSON()).find((m) => m.name === name);
  const value = metric?.values.find((v) =>
    Object.entries(labels).every(([key, wanted]) => String(v.labels[key]) === wanted),
  );
  return value?.value ?? 0;
}

describe('metrics', () => {
  it('when two apps count in one process, neither sees the other (a registry each, not the global one)', async () => {
    const [a, b] = [createMetrics({ defaultMetrics: false }), createMetrics({ defaultMetrics: false })];
    a.launch('landed');
    expect(await sample(a, 'lti_launches_total', { outcome: 'landed' })).toBe(1);
    expect(await sample(b, 'lti_launches_total', { outcome: 'landed' })).toBe(0);
  });

  it('when a launch lands, its time from the login is observed in seconds', async () => {
    const metrics = createMetrics({ defaultMetrics: false, now: () => 10_000 });
    metrics.launch('landed', 8_500);
    const text = await metrics.registry.metrics();
    expect(text).toContain('lti_launch_duration_seconds_sum 1.5');
    expect(text).toContain('lti_launch_duration_seconds_bucket{le="2"} 1');
    expect(text).toContain('lti_launch_duration_seconds_bucket{le="1"} 0');
  });

  it('when Zoom answers 429, the request and the rate limit are both counted; no answer is status 0', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.zoomRequest({ category: 'light', status: 429 });
    metrics.zoomRequest({ category: 'light', status: 200 });
    metrics.zoomRequest({ category: 'medium', status: 0 });
    expect(await sample(metrics, 'zoom_requests_total', { category: 'light', status: '429' })).toBe(1);
    expect(await sample(metrics, 'zoom_requests_total', { category: 'light', status: '200' })).toBe(1);
    expect(await sample(metrics, 'zoom_requests_total', { category: 'medium', status: '0' })).toBe(1);
    expect(await sample(metrics, 'zoom_rate_limited_total', { category: 'light' })).toBe(1);
  });

  it('when webhook event names keep changing, the labels stop growing (bounded, then "other")', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    for (let i = 0; i < MAX_WEBHOOK_EVENTS + 20; i += 1)
      metrics.webhookDelivery({ event: `meeting.e${i}`, outcome: 'handled' });
    metrics.webhookDelivery({ event: 'Not An Event <script>', outcome: 'handled' });
    metrics.webhookDelivery({ event: undefined, outcome: 'refused:zoom_webhook_signature_invalid' });
    const metric = (await metrics.registry.getMetricsAsJSON()).find(
      (m) => m.name === 'zoom_webhook_deliveries_total',
    );
    const events = new Set(metric?.values.map((v) => String(v.labels.event)));
    expect(events.size).toBe(MAX_WEBHOOK_EVENTS + 2); // the first 50, 'other' and 'unknown'
    expect(await sample(metrics, 'zoom_webhook_deliveries_total', { event: 'other' })).toBe(21);
    expect(
      await sample(metrics, 'zoom_webhook_deliveries_total', {
        event: 'unknown',
        outcome: 'refused:zoom_webhook_signature_invalid',
      }),
    ).toBe(1);
  });

  it('when an outcome is not a plain id, it is counted as "other" (no free text becomes a label)', async () => {
    const metrics = createMetrics({ defaultMetrics: false });
    metrics.provisioning('user@example.edu');
    metrics.tokenRefresh('renewed');
    expect(await sample(metrics, 'provisioning_outcomes_total', { outcome: 'other' })).toBe(1);
    expect(await sample(metrics, 'zoom_token_refreshes_total', { outcome: 'renewed' })).toBe(1);
  });

  it('by default the process metrics are there too', async () => {
    const text = await createMetrics().registry.metrics();
    expect(text).toContain('process_cpu_seconds_total');
    expect(text).toContain('nodejs_heap_size_used_bytes');
  });
});
