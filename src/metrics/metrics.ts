import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';

/**
 * The tool's Prometheus metrics, one registry per app (never prom-client's global one, so several
 * apps in one process, as in tests, keep their own counts). Capabilities never import prom-client:
 * `services.ts` hands them these small callbacks. Every label value is bounded: outcomes and error
 * ids from fixed catalogues, Zoom's rate categories and status codes, at most `MAX_JOB_KINDS`
 * background job kinds, and at most `MAX_WEBHOOK_EVENTS` webhook event names (a school's own app signs what it sends, so its event
 * names are not trusted to stay few). No person, school, course or account ever becomes a label.
 */
export interface Metrics {
  registry: Registry;
  /** A launch landed (`landed`) or was refused (`refused:<error id>`); `loginAt` times a landing from its login. */
  launch(outcome: string, loginAt?: number): void;
  /** One answer from Zoom's API (status 0: no answer, a timeout or network failure). */
  zoomRequest(answer: { category: string; status: number }): void;
  /** One renewal of a connection's access token: renewed, dropped, failed or reconnect_required. */
  tokenRefresh(outcome: string): void;
  /** One attempt to make sure an instructor has a Zoom user, by outcome (`provisioning.outcomes.ts`). */
  provisioning(outcome: string): void;
  /** One webhook delivery: its event (or `unknown` before it was verified) and what was done with it. */
  webhookDelivery(delivery: { event: string | undefined; outcome: string }): void;
  /** A background job was given up (marked failed) after its last attempt. */
  jobFailed(kind: string): void;
  /**
   * Where the gauge of failed jobs (every instance's, by kind) is read at each scrape; until set,
   * or when the read fails, the gauge shows nothing.
   */
  countFailedJobs(source: () => Promise<Array<{ kind: string; count: number }>>): void;
}

export const MAX_WEBHOOK_EVENTS = 50;
export const MAX_JOB_KINDS = 20;
const EVENT_NAME = /^[a-z][a-z0-9_]*(\.[a-z][a-z0-9_]*){0,3}$/;
const JOB_KIND = /^[a-z][a-z0-9_]*([.-][a-z][a-z0-9_]*){0,3}$/;
const OUTCOME = /^[a-z][a-z0-9_]*(:[a-z][a-z0-9_]*)?$/;

/** Seconds from an LTI login to its landing: most land in well under a second; a slow LMS or Zoom a few. */
const LAUNCH_BUCKETS = [0.05, 0.1, 0.25, 0.5, 1, 2, 4, 8, 15, 30];

export function createMetrics(options: { now?: () => number; defaultMetrics?: boolean } = {}): Metrics {
  const now = options.now ?? Date.now;
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];

  const launches = new Counter({
    name: 'lti_launches_total',
    help: 'LTI launches by outcome: landed, or refused:<error id>',
    labelNames: ['outcome'] as const,
    registers,
  });
  const launchDuration = new Histogram({
    name: 'lti_launch_duration_seconds',
    help: 'Seconds from the OIDC login to the landing of a launch',
    buckets: LAUNCH_BUCKETS,
    registers,
  });
  const zoomRequests = new Counter({
    name: 'zoom_requests_total',
    help: "Answers from Zoom's API by rate category and HTTP status (0: no answer)",
    labelNames: ['category', 'status'] as const,
    registers,
  });
  const rateLimited = new Counter({
    name: 'zoom_rate_limited_total',
    help: "Zoom's 429 answers by rate category",
    labelNames: ['category'] as const,
    registers,
  });
  const tokenRefreshes = new Counter({
    name: 'zoom_token_refreshes_total',
    help: 'Renewals of Zoom access tokens by outcome',
    labelNames: ['outcome'] as const,
    registers,
  });
  const provisioning = new Counter({
    name: 'provisioning_outcomes_total',
    help: 'Attempts to make sure an instructor has a Zoom user, by outcome',
    labelNames: ['outcome'] as const,
    registers,
  });
  const webhooks = new Counter({
    name: 'zoom_webhook_deliveries_total',
    help: "Zoom's webhook deliveries by event and outcome",
    labelNames: ['event', 'outcome'] as const,
    registers,
  });

  const kinds = new Set<string>();
  const kindLabel = (kind: string): string => {
    if (!JOB_KIND.test(kind) || kind.length > 64) return 'other';
    if (kinds.has(kind)) return kind;
    if (kinds.size >= MAX_JOB_KINDS) return 'other';
    kinds.add(kind);
    return kind;
  };

  const jobsFailed = new Counter({
    name: 'background_jobs_failed_total',
    help: 'Background jobs given up (marked failed) by this instance, by kind',
    labelNames: ['kind'] as const,
    registers,
  });
  let failedJobsSource: (() => Promise<Array<{ kind: string; count: number }>>) | undefined;
  new Gauge({
    name: 'background_jobs_failed',
    help: 'Background jobs marked failed and not asked for again, in every instance, by kind',
    labelNames: ['kind'] as const,
    registers,
    async collect() {
      this.reset();
      if (!failedJobsSource) return;
      try {
        for (const { kind, count } of await failedJobsSource()) this.inc({ kind: kindLabel(kind) }, count);
      } catch {
        // The database does not answer: the scrape shows no count rather than failing.
      }
    },
  });

  const events = new Set<string>();
  const eventLabel = (event: string | undefined): string => {
    if (event === undefined) return 'unknown';
    if (!EVENT_NAME.test(event) || event.length > 64) return 'other';
    if (events.has(event)) return event;
    if (events.size >= MAX_WEBHOOK_EVENTS) return 'other';
    events.add(event);
    return event;
  };
  const outcomeLabel = (outcome: string): string =>
    OUTCOME.test(outcome) && outcome.length <= 64 ? outcome : 'other';
  const categoryLabel = (category: string): string => (/^[a-z_]{1,16}$/.test(category) ? category : 'other');

  return {
    registry,
    launch(outcome, loginAt) {
      launches.inc({ outcome: outcomeLabel(outcome) });
      if (loginAt !== undefined) launchDuration.observe(Math.max(0, now() - loginAt) / 1000);
    },
    zoomRequest({ category, status }) {
      const label = categoryLabel(category);
      const code = Number.isInteger(status) && status >= 100 && status <= 599 ? String(status) : '0';
      zoomRequests.inc({ category: label, status: code });
      if (status === 429) rateLimited.inc({ category: label });
    },
    tokenRefresh(outcome) {
      tokenRefreshes.inc({ outcome: outcomeLabel(outcome) });
    },
    provisioning(outcome) {
      provisioning.inc({ outcome: outcomeLabel(outcome) });
    },
    webhookDelivery({ event, outcome }) {
      webhooks.inc({ event: eventLabel(event), outcome: outcomeLabel(outcome) });
    },
    jobFailed(kind) {
      jobsFailed.inc({ kind: kindLabel(kind) });
    },
    countFailedJobs(source) {
      failedJobsSource = source;
    },
  };
}
