import os from 'node:os';
import type { Logger } from 'pino';
import { randomToken } from '../shared/crypto';
import { AppError } from '../shared/errors';
import type { Db } from '../storage';
import { ZoomApiError, type ZoomAccountApi, type ZoomClient, type ZoomConnectionRef } from '../zoom';
import type { Outcome } from './provisioning.outcomes';
import * as repo from './provisioning.repo';

/** The person launching, as provisioning needs them. */
export interface Launcher {
  schoolId: string;
  issuer: string;
  userId: string;
  role: 'administrator' | 'instructor' | 'learner' | null;
  email: string | undefined;
  givenName: string | undefined;
  familyName: string | undefined;
  name: string;
}

/** The school's Zoom connection, as provisioning needs it. */
export type ConnectionLookup = (schoolId: string) => Promise<{
  status: 'none' | 'connected' | 'reconnect_required' | 'disconnected';
  ref?: ZoomConnectionRef;
}>;

export interface ProvisioningOptions {
  db: Db;
  client: ZoomClient;
  connectionOf: ConnectionLookup;
  logger: Logger;
  now?: () => number;
  /** How long a launch waits for Zoom before the rest continues in the background (default 8 s). */
  launchBudgetMs?: number;
  /** An active user is re-checked at most this often (default 24 h); pending users on every launch. */
  recheckActiveMs?: number;
  /** Lease of one provisioning attempt (default 60 s: paced requests can queue). */
  leaseMs?: number;
}

type Resolution = {
  outcome: Outcome;
  zoomUserId?: string;
  licenceType?: number;
  status: repo.PersonRow['status'];
  /** When Zoom's rate limit lets us try again (ms epoch). */
  retryAt?: number;
};

const BACKGROUND_RETRIES = 5;

const SEAT_MESSAGE = /paid users|licen[cs]|seat/i;
const ALREADY_IN_ACCOUNT = /already in the account/i;

/**
 * Makes sure each instructor or administrator has a Zoom user in their school's account: look up
 * by email; active → link; pending → link and explain; absent → create with the school's settings.
 * Single-flight per person across processes (a lease on their row); learners never reach Zoom.
 */
export class ProvisioningService {
  private readonly owner = `${os.hostname()}:${process.pid}:${randomToken(6)}`;
  private readonly now: () => number;
  private readonly inflight = new Map<string, Promise<Outcome>>();
  private readonly retries = new Map<string, number>();

  constructor(private readonly options: ProvisioningOptions) {
    this.now = options.now ?? Date.now;
  }

  /** Called on every launch. Resolves within the launch budget; slower work continues in the background. */
  async ensureForLaunch(launcher: Launcher): Promise<Outcome | 'not_applicable'> {
    if (launcher.role !== 'instructor' && launcher.role !== 'administrator') return 'not_applicable';
    const work = this.ensure(launcher, false);
    const budget = this.options.launchBudgetMs ?? 8_000;
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'queued'>((resolve) => {
      timer = setTimeout(() => resolve('queued'), budget);
    });
    const outcome = await Promise.race([work, late]);
    clearTimeout(timer);
    if (outcome === 'queued') {
      work.catch((error: unknown) =>
        this.options.logger.warn({ err: error }, 'background provisioning failed'),
      );
    }
    return outcome;
  }

  /** "Check again" from the admin page: always asks Zoom. */
  async checkAgain(key: repo.PersonKey): Promise<Outcome> {
    const row = await repo.person(this.options.db, key);
    if (!row) return 'zoom_unavailable';
    const [givenName, ...rest] = row.name.split(' ');
    return this.ensure(
      {
        schoolId: key.schoolId,
        issuer: key.lmsIssuer,
        userId: key.lmsUserId,
        role: 'instructor',
        email: row.email ?? undefined,
        givenName,
        familyName: rest.join(' ') || undefined,
        name: row.name,
      },
      true,
    );
  }

  private ensure(launcher: Launcher, force: boolean): Promise<Outcome> {
    const id = `${launcher.schoolId}|${launcher.issuer}|${launcher.userId}`;
    const running = this.inflight.get(id);
    if (running) return running;
    const work = this.run(launcher, force).finally(() => this.inflight.delete(id));
    this.inflight.set(id, work);
    return work;
  }

  private async run(launcher: Launcher, force: boolean): Promise<Outcome> {
    const { db } = this.options;
    const key = { schoolId: launcher.schoolId, lmsIssuer: launcher.issuer, lmsUserId: launcher.userId };
    const connection = await this.options.connectionOf(launcher.schoolId);
    if (connection.status === 'reconnect_required') return 'zoom_reconnect_required';
    if (connection.status !== 'connected' || !connection.ref) return 'zoom_not_connected';
    const email = launcher.email?.trim().toLowerCase();
    if (!email) {
      await repo.recordWithoutZoom(db, key, {
        name: launcher.name,
        email: null,
        status: 'failed',
        lastOutcome: 'email_missing',
      });
      return 'email_missing';
    }
    const known = await repo.person(db, key);
    if (!force && known && known.email === email && known.zoomUserId && known.status === 'active') {
      const checked = known.lastCheckedAt?.getTime() ?? 0;
      if (this.now() - checked < (this.options.recheckActiveMs ?? 24 * 3_600_000)) return 'active';
    }
    const now = this.now();
    const leased = await repo.takeLease(
      db,
      key,
      { name: launcher.name, email },
      this.owner,
      new Date(now + (this.options.leaseMs ?? 60_000)),
      new Date(now),
    );
    if (!leased) return this.waitForOther(key);
    let resolution: Resolution;
    try {
      resolution = await this.resolve(connection.ref, launcher, email);
    } catch (error) {
      resolution = {
        outcome: this.classify(error),
        status: 'provisioning',
        retryAt: error instanceof ZoomApiError ? error.retryAt : undefined,
      };
      if (resolution.outcome === 'zoom_unavailable') {
        this.options.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'provisioning failed',
        );
      }
    }
    if (resolution.outcome === 'queued') this.retryLater(launcher, resolution.retryAt);
    const transient = resolution.outcome === 'queued' || resolution.outcome === 'zoom_unavailable';
    if (transient && known?.zoomUserId && known.email === email) {
      // A re-check that Zoom could not answer changes nothing we knew (the next launch checks again).
      await repo.finish(db, key, this.owner, {});
      return (known.lastOutcome as Outcome | null) ?? 'queued';
    }
    await repo.finish(db, key, this.owner, {
      email,
      status: resolution.status,
      ...(resolution.zoomUserId ? { zoomUserId: resolution.zoomUserId } : {}),
      ...(resolution.licenceType !== undefined ? { licenceType: resolution.licenceType } : {}),
      lastOutcome: resolution.outcome,
      lastCheckedAt: new Date(this.now()),
    });
    return resolution.outcome;
  }

  /**
   * Zoom's limits held this person back: try again in the background once they allow it, so the
   * instructor's Zoom user is ready without another launch (bounded; the next launch retries too).
   */
  private retryLater(launcher: Launcher, retryAt: number | undefined): void {
    const id = `${launcher.schoolId}|${launcher.issuer}|${launcher.userId}`;
    const attempts = (this.retries.get(id) ?? 0) + 1;
    if (attempts > BACKGROUND_RETRIES) {
      this.retries.delete(id);
      return;
    }
    this.retries.set(id, attempts);
    const delay = Math.min(Math.max((retryAt ?? 0) - this.now(), 1_000 * attempts), 10 * 60_000);
    setTimeout(() => {
      this.ensure(launcher, true)
        .then((outcome) => {
          if (outcome !== 'queued') this.retries.delete(id);
        })
        .catch((error: unknown) =>
          this.options.logger.warn({ err: error }, 'background provisioning retry failed'),
        );
    }, delay).unref();
  }

  /** Another process is provisioning this person: wait for its answer (bounded by the lease). */
  private async waitForOther(key: repo.PersonKey): Promise<Outcome> {
    const deadline = this.now() + (this.options.leaseMs ?? 60_000);
    while (this.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, 100));
      const row = await repo.person(this.options.db, key);
      if (row && !row.leaseOwner) return (row.lastOutcome as Outcome | null) ?? 'queued';
    }
    return 'queued';
  }

  private async resolve(ref: ZoomConnectionRef, launcher: Launcher, email: string): Promise<Resolution> {
    const api = this.options.client.forConnection(ref);
    const existing = await this.lookup(api, email);
    if (existing) return existing;
    const settings = await repo.settingsOf(this.options.db, launcher.schoolId);
    const firstType = settings.licence === 'licensed' ? 2 : 1;
    try {
      return await this.create(api, settings.action, firstType, launcher, email);
    } catch (error) {
      if (!(error instanceof ZoomApiError)) throw error;
      if (error.code === 200 && SEAT_MESSAGE.test(error.zoomMessage) && firstType === 2) {
        if (settings.whenNoSeat === 'refuse') return { outcome: 'no_seats', status: 'failed' };
        return this.create(api, settings.action, 1, launcher, email).catch((retry: unknown) =>
          this.refusal(retry),
        );
      }
      if (error.kind === 'conflict' && ALREADY_IN_ACCOUNT.test(error.zoomMessage)) {
        const linked = await this.lookup(api, email);
        if (linked) return linked;
      }
      return this.refusal(error);
    }
  }

  private async lookup(api: ZoomAccountApi, email: string): Promise<Resolution | undefined> {
    try {
      const user = await api.getUser(email);
      const status =
        user.status === 'pending' ? 'pending' : user.status === 'inactive' ? 'inactive' : 'active';
      return { outcome: status, status, zoomUserId: user.id, licenceType: user.type };
    } catch (error) {
      if (error instanceof ZoomApiError && error.kind === 'not_found') return undefined;
      if (error instanceof ZoomApiError && error.code === 1010)
        return { outcome: 'email_taken', status: 'failed' };
      throw error;
    }
  }

  private async create(
    api: ZoomAccountApi,
    action: repo.SettingsRow['action'],
    type: 1 | 2,
    launcher: Launcher,
    email: string,
  ): Promise<Resolution> {
    const created = await api.createUser({
      action,
      user_info: {
        email,
        type,
        first_name: launcher.givenName?.slice(0, 64),
        last_name: launcher.familyName?.slice(0, 64),
        display_name: launcher.name.slice(0, 128),
      },
    });
    this.options.logger.info({ schoolId: launcher.schoolId, action, type }, 'Zoom user created');
    const status = action === 'create' ? 'pending' : 'active';
    return { outcome: status, status, zoomUserId: created.id, licenceType: created.type ?? type };
  }

  /** Zoom's refusals of a create, as outcomes (ZOOM-NOTES "Users"). */
  private refusal(error: unknown): Resolution {
    if (!(error instanceof ZoomApiError)) throw error;
    if (error.code === 1005 || error.code === 1009 || error.kind === 'conflict')
      return { outcome: 'email_taken', status: 'failed' };
    if (error.code === 1107 || error.code === 1116)
      return { outcome: 'domain_not_allowed', status: 'failed' };
    if (error.code === 200 && SEAT_MESSAGE.test(error.zoomMessage))
      return { outcome: 'no_seats', status: 'failed' };
    if (error.code === 2002 || error.code === 200 || error.code === 1108)
      return { outcome: 'action_not_allowed', status: 'failed' };
    throw error;
  }

  private classify(error: unknown): Outcome {
    if (error instanceof AppError) {
      if (error.id === 'zoom_reconnect_required') return 'zoom_reconnect_required';
      if (error.id === 'zoom_not_connected') return 'zoom_not_connected';
      return 'zoom_unavailable';
    }
    if (error instanceof ZoomApiError) {
      if (error.kind === 'rate_limited' || error.kind === 'daily_limit') return 'queued';
      if (error.kind === 'missing_scopes') return 'zoom_reconnect_required';
    }
    return 'zoom_unavailable';
  }
}
