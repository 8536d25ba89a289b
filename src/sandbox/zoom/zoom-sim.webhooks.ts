import crypto from 'node:crypto';
import type { SimClock } from './zoom-sim.clock';
import type { EventSink } from './zoom-sim.context';
import type { ResolvedOptions } from './zoom-sim.options';
import type { SimApp, SimState } from './zoom-sim.state';
import type { WebhookAttempt, WebhookValidationResult } from './zoom-sim.types';

/**
 * Webhook delivery like Zoom's: a JSON POST to the app's endpoint, signed
 * `x-zm-signature: v0=hex(HMAC-SHA256(secret, "v0:{x-zm-request-timestamp}:{raw body}"))`.
 * Only 200 or 204 within the timeout counts as delivered; otherwise Zoom retries after 5, 20 and
 * 60 minutes (each after the previous attempt) of simulated time — retries run when the clock is
 * advanced past them.
 */
interface Job {
  id: string;
  client_id: string;
  event: string;
  body: string;
  attempts: number;
  next_at: number | null;
  done: boolean;
}

export class WebhookDispatcher implements EventSink {
  private jobs: Job[] = [];
  private attempts: WebhookAttempt[] = [];
  private inflight = new Set<Promise<void>>();
  /** Deliveries to one app go out one after another, in emission order (deterministic for tests). */
  private chains = new Map<string, Promise<void>>();

  constructor(
    private readonly state: SimState,
    private readonly clock: SimClock,
    private readonly options: ResolvedOptions,
    private readonly installed: (clientId: string, accountId: string) => boolean,
  ) {}

  reset(): void {
    this.jobs = [];
    this.attempts = [];
  }

  private subscribers(accountId: string, event: string): SimApp[] {
    return [...this.state.apps.values()].filter((app) => {
      if (!app.webhook_url || app.disabled || (app.events && !app.events.includes(event))) return false;
      return app.kind === 's2s' ? app.account_id === accountId : this.installed(app.client_id, accountId);
    });
  }

  emit(
    accountId: string,
    event: string,
    payload: Record<string, unknown>,
    extra: Record<string, unknown> = {},
  ): void {
    for (const app of this.subscribers(accountId, event))
      this.enqueue(app, event, { account_id: accountId, ...payload }, extra);
  }

  emitToApp(clientId: string, event: string, payload: Record<string, unknown>): void {
    const app = this.state.apps.get(clientId);
    if (app?.webhook_url) this.enqueue(app, event, payload, {});
  }

  private enqueue(
    app: SimApp,
    event: string,
    payload: Record<string, unknown>,
    extra: Record<string, unknown>,
  ): void {
    const body = JSON.stringify({ event, event_ts: this.clock.now(), payload, ...extra });
    const job: Job = {
      id: crypto.randomUUID(),
      client_id: app.client_id,
      event,
      body,
      attempts: 0,
      next_at: null,
      done: false,
    };
    this.jobs.push(job);
    this.schedule(job);
  }

  private schedule(job: Job): void {
    const previous = this.chains.get(job.client_id) ?? Promise.resolve();
    const p = previous.then(() => this.attempt(job));
    this.chains.set(job.client_id, p);
    this.inflight.add(p);
    void p.finally(() => {
      this.inflight.delete(p);
      if (this.chains.get(job.client_id) === p) this.chains.delete(job.client_id);
    });
  }

  async flush(): Promise<void> {
    while (this.inflight.size > 0) await Promise.all([...this.inflight]);
  }

  /** Headers Zoom sends, signed over the raw body at the current simulated time. */
  signedHeaders(app: SimApp, body: string): Record<string, string> {
    const now = this.clock.now();
    const timestamp = String(
      this.options.webhooks.timestampUnit === 'seconds' ? Math.floor(now / 1000) : now,
    );
    const signature = crypto
      .createHmac('sha256', app.webhook_secret_token)
      .update(`v0:${timestamp}:${body}`)
      .digest('hex');
    return {
      'content-type': 'application/json; charset=utf-8',
      'user-agent': 'Zoom Marketplace/1.0a',
      clientid: app.client_id,
      'x-zm-trackingid': `v=2.0;clid=sim;rid=${crypto.randomBytes(8).toString('hex')}`,
      'x-zm-request-timestamp': timestamp,
      'x-zm-signature': `v0=${signature}`,
    };
  }

  private async post(
    url: string,
    headers: Record<string, string>,
    body: string,
  ): Promise<{ status: number | null; text: string; error: string | null }> {
    try {
      const response = await fetch(url, {
        method: 'POST',
        headers,
        body,
        signal: AbortSignal.timeout(this.options.webhooks.timeoutMs),
      });
      return { status: response.status, text: await response.text(), error: null };
    } catch (err) {
      const name = err instanceof Error ? err.name : '';
      const timedOut = name === 'TimeoutError' || name === 'AbortError';
      return {
        status: null,
        text: '',
        error: timedOut ? `no answer within ${this.options.webhooks.timeoutMs} ms` : String(err),
      };
    }
  }

  private async attempt(job: Job): Promise<void> {
    const app = this.state.apps.get(job.client_id);
    if (!app?.webhook_url) {
      job.done = true;
      return;
    }
    job.attempts += 1;
    const headers = this.signedHeaders(app, job.body);
    const at = this.clock.iso();
    const result = await this.post(app.webhook_url, headers, job.body);
    const ok = result.status === 200 || result.status === 204;
    this.attempts.push({
      delivery_id: job.id,
      client_id: job.client_id,
      event: job.event,
      url: app.webhook_url,
      attempt: job.attempts,
      at,
      status: result.status,
      ok,
      error: ok ? null : (result.error ?? `HTTP ${result.status}`),
      body: job.body,
      headers,
    });
    const delays = this.options.webhooks.retryMinutes;
    const delay = delays[job.attempts - 1];
    if (ok || delay === undefined) job.done = true;
    else job.next_at = this.clock.now() + delay * 60_000;
  }

  /** The earliest retry due at or before `until`, if any. */
  nextDue(until: number): number | null {
    let next: number | null = null;
    for (const job of this.jobs)
      if (job.next_at !== null && job.next_at <= until && (next === null || job.next_at < next))
        next = job.next_at;
    return next;
  }

  /** Runs every retry due now. */
  async runDue(): Promise<void> {
    const now = this.clock.now();
    const due = this.jobs.filter((j) => j.next_at !== null && j.next_at <= now);
    for (const job of due) {
      job.next_at = null;
      this.schedule(job);
    }
    await this.flush();
    this.jobs = this.jobs.filter((j) => !j.done);
  }

  deliveries(filter: { client_id?: string; event?: string } = {}): WebhookAttempt[] {
    return this.attempts
      .filter(
        (a) =>
          (!filter.client_id || a.client_id === filter.client_id) &&
          (!filter.event || a.event === filter.event),
      )
      .map((a) => ({ ...a, headers: { ...a.headers } }));
  }

  /** The `endpoint.url_validation` handshake: the endpoint must echo plainToken and its HMAC. */
  async validate(app: SimApp): Promise<WebhookValidationResult> {
    if (!app.webhook_url) return { ok: false, status: null, reason: 'The app has no webhook_url.' };
    const plainToken = crypto.randomBytes(16).toString('base64url');
    const body = JSON.stringify({
      payload: { plainToken },
      event_ts: this.clock.now(),
      event: 'endpoint.url_validation',
    });
    const result = await this.post(app.webhook_url, this.signedHeaders(app, body), body);
    if (result.status !== 200)
      return { ok: false, status: result.status, reason: result.error ?? `HTTP ${result.status}` };
    const expected = crypto.createHmac('sha256', app.webhook_secret_token).update(plainToken).digest('hex');
    let answer: unknown;
    try {
      answer = JSON.parse(result.text);
    } catch {
      return { ok: false, status: 200, reason: 'The answer is not JSON.' };
    }
    const { plainToken: echoed, encryptedToken } = (answer ?? {}) as Record<string, unknown>;
    if (echoed !== plainToken) return { ok: false, status: 200, reason: 'plainToken was not echoed.' };
    if (encryptedToken !== expected)
      return { ok: false, status: 200, reason: 'encryptedToken is not HMAC-SHA256(secret, plainToken).' };
    return { ok: true, status: 200, reason: null };
  }
}
