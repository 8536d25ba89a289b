import os from 'node:os';
import type { Logger } from 'pino';
import { z } from 'zod';
import { randomToken } from '../shared/crypto';
import { errors } from '../shared/errors';
import { translatorFor } from '../shared/i18n';
import type { Db } from '../storage';
import type { ZoomClient, ZoomConnectionRef } from '../zoom';
import {
  outcomeMessage,
  parseOutcome,
  shownOutcome,
  administratorLeftOutMessage,
  type Outcome,
  type OutcomeMessage,
} from './provisioning.outcomes';
import { dependsOnSettings, zoomUserFor, type Opener } from './provisioning.policy';
import { PersonLease, waitForHolder } from './provisioning.lease';
import * as repo from './provisioning.repo';
import {
  classify,
  LeaseLost,
  resolveWithZoom,
  retryAtOf,
  type Launcher,
  type Resolution,
} from './provisioning.zoom';

export type { Launcher } from './provisioning.zoom';

/** The school's Zoom connection, as provisioning needs it. */
export type ConnectionLookup = (schoolId: string) => Promise<{
  status: 'none' | 'connected' | 'reconnect_required' | 'disconnected';
  ref?: ZoomConnectionRef;
}>;

/** Where work that outlives a request goes (the job runner). */
export interface BackgroundWork {
  enqueue(kind: string, key: string, payload: Record<string, unknown>, runAt?: number): Promise<void>;
  track<T>(work: Promise<T>): Promise<T>;
}

export interface ProvisioningOptions {
  db: Db;
  client: ZoomClient;
  connectionOf: ConnectionLookup;
  jobs: BackgroundWork;
  logger: Logger;
  now?: () => number;
  /** How long a launch waits for Zoom before the rest continues in the background (default 8 s). */
  launchBudgetMs?: number;
  /** An active user is re-checked at most this often (default 24 h); pending users on every launch. */
  recheckActiveMs?: number;
  /** Lease on a person's row, renewed every third of it while Zoom is asked (default 60 s). */
  leaseMs?: number;
  /** How long a caller waits for another worker provisioning the same person (default 60 s). */
  waitForOtherMs?: number;
  /** Told each attempt's outcome (`error` when it threw), for metrics. */
  onOutcome?: (outcome: Outcome | 'error') => void;
}

/** The durable retry of a person Zoom's limits held back. */
export const PROVISIONING_RETRY_JOB = 'provisioning.retry';
/** Retries of one person before the job is given up (their next launch tries again). */
export const PROVISIONING_RETRY_ATTEMPTS = 5;
/** When Zoom did not answer (a lost or late answer may hide a user it made), asked again this much later. */
export const PROVISIONING_UNAVAILABLE_RETRY_MS = 30_000;

const launcherPayload = z.object({
  schoolId: z.string(),
  issuer: z.string(),
  userId: z.string(),
  role: z.enum(['administrator', 'instructor', 'learner']).nullable(),
  email: z.string().optional(),
  givenName: z.string().optional(),
  familyName: z.string().optional(),
  name: z.string(),
});

/** One attempt's outcome; `heldBack` when Zoom's limits stopped it (worth retrying in the background). */
interface Attempt {
  outcome: Outcome;
  heldBack?: { retryAt: number | undefined };
}

const personId = (launcher: Pick<Launcher, 'schoolId' | 'issuer' | 'userId'>) =>
  `${launcher.schoolId}|${launcher.issuer}|${launcher.userId}`;

/**
 * Makes sure each instructor or administrator has a Zoom user in their school's account (the Zoom
 * side is `provisioning.zoom.ts`). Single-flight per person across processes: a lease on their row,
 * renewed while Zoom is asked and checked again before any create. Work a launch stopped waiting for
 * is handed to the job runner, and retries after Zoom's limits are durable jobs. Learners never
 * reach Zoom.
 */
export class ProvisioningService {
  private readonly owner = `${os.hostname()}:${process.pid}:${randomToken(6)}`;
  private readonly now: () => number;
  private readonly leaseMs: number;
  private readonly inflight = new Map<string, Promise<Attempt>>();

  constructor(private readonly options: ProvisioningOptions) {
    this.now = options.now ?? Date.now;
    this.leaseMs = options.leaseMs ?? 60_000;
  }

  /**
   * Called on every launch. Resolves within the launch budget counted from `startedAt` (when the
   * launch reached the tool; default now), whatever it waits for: the person's lease, Zoom's rate
   * limits, Zoom itself. What is not done by then continues in the background ('queued': the page
   * says the Zoom user is being set up).
   */
  async ensureForLaunch(
    launcher: Launcher & Opener,
    options: { startedAt?: number } = {},
  ): Promise<Outcome | 'not_applicable' | 'administrator_left_out'> {
    const decision = await this.decide(launcher);
    if (decision !== 'provision') return decision;
    const budget = this.options.launchBudgetMs ?? 8_000;
    const now = this.now();
    const waitMs = Math.max(0, Math.min(budget, (options.startedAt ?? now) + budget - now));
    const work = this.ensure(launcher, false).then((attempt) => this.retryIfHeldBack(launcher, attempt));
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<'queued'>((resolve) => {
      timer = setTimeout(() => resolve('queued'), waitMs);
    });
    const outcome = await Promise.race([work, late]);
    clearTimeout(timer);
    if (outcome === 'queued') {
      void this.options.jobs
        .track(work)
        .catch((error: unknown) =>
          this.options.logger.warn({ err: error }, 'background provisioning failed'),
        );
    }
    return outcome;
  }

  /** Whether this person's launch gives them a Zoom user (the school's settings are read only when they decide). */
  private async decide(opener: Opener & { schoolId: string }) {
    const settings = dependsOnSettings(opener)
      ? await repo.settingsOf(this.options.db, opener.schoolId)
      : { provisionAdministrators: false };
    return zoomUserFor(opener, settings);
  }

  /** "Check again" from the admin page: always asks Zoom. */
  async checkAgain(key: repo.PersonKey): Promise<Outcome> {
    const row = await repo.person(this.options.db, key);
    if (!row) throw errors.notFound('There is no such person in your school.');
    const launcher = launcherOf(key, row);
    return this.retryIfHeldBack(launcher, await this.ensure(launcher, true));
  }

  /** The durable retry job: asks Zoom again; held back again → runs again when Zoom allows. */
  async retryFromJob(payload: Record<string, unknown>): Promise<void | { retryAt: number }> {
    const parsed = launcherPayload.parse(payload);
    const launcher: Launcher = {
      ...parsed,
      email: parsed.email,
      givenName: parsed.givenName,
      familyName: parsed.familyName,
    };
    const attempt = await this.ensure(launcher, true);
    if (attempt.heldBack) return { retryAt: attempt.heldBack.retryAt ?? this.now() + 1_000 };
  }

  /**
   * What the course page tells this person about their Zoom user, if anything. An administrator the
   * school's settings leave without a Zoom user is told why, and where that is changed (unless they
   * were linked to one before).
   */
  async pageMessage(
    person: {
      schoolId: string;
      issuer: string;
      userId: string;
      email: string | undefined;
      platform: string | undefined;
      locale?: string;
    } & Partial<Opener>,
  ): Promise<OutcomeMessage | undefined> {
    const [row, decision] = await Promise.all([
      repo.person(this.options.db, {
        schoolId: person.schoolId,
        lmsIssuer: person.issuer,
        lmsUserId: person.userId,
      }),
      person.role === undefined ? undefined : this.decide({ ...person, role: person.role }),
    ]);
    if (decision === 'administrator_left_out' && !row?.zoomUserId)
      return administratorLeftOutMessage(translatorFor(person.locale));
    const outcome = row ? shownOutcome(row) : undefined;
    return outcome
      ? outcomeMessage(
          outcome,
          { email: row?.email ?? person.email, platform: person.platform },
          translatorFor(person.locale),
        )
      : undefined;
  }

  /** A person's Zoom user as provisioning knows it (meetings are scheduled with it). */
  async zoomUserOf(person: { schoolId: string; issuer: string; userId: string }) {
    const row = await repo.person(this.options.db, {
      schoolId: person.schoolId,
      lmsIssuer: person.issuer,
      lmsUserId: person.userId,
    });
    return row
      ? { zoomUserId: row.zoomUserId, status: row.status, email: row.email, name: row.name }
      : undefined;
  }

  people(schoolId: string): Promise<repo.PersonRow[]> {
    return repo.peopleOf(this.options.db, schoolId);
  }

  settings(schoolId: string): Promise<repo.Settings> {
    return repo.settingsOf(this.options.db, schoolId);
  }

  saveSettings(settings: repo.SettingsInput): Promise<void> {
    return repo.saveSettings(this.options.db, settings);
  }

  private async retryIfHeldBack(launcher: Launcher, attempt: Attempt): Promise<Outcome> {
    if (attempt.heldBack) {
      const runAt = attempt.heldBack.retryAt ?? this.now() + 1_000;
      await this.options.jobs
        .enqueue(PROVISIONING_RETRY_JOB, personId(launcher), { ...launcher }, runAt)
        .catch((error: unknown) =>
          this.options.logger.warn({ err: error }, 'could not record a provisioning retry'),
        );
    }
    return attempt.outcome;
  }

  private ensure(launcher: Launcher, force: boolean): Promise<Attempt> {
    const id = personId(launcher);
    const running = this.inflight.get(id);
    if (running) return running;
    const work = this.run(launcher, force)
      .then(
        (attempt) => (this.options.onOutcome?.(attempt.outcome), attempt),
        (error: unknown) => {
          this.options.onOutcome?.('error');
          throw error;
        },
      )
      .finally(() => this.inflight.delete(id));
    this.inflight.set(id, work);
    return work;
  }

  private async run(launcher: Launcher, force: boolean): Promise<Attempt> {
    const { db } = this.options;
    const key = { schoolId: launcher.schoolId, lmsIssuer: launcher.issuer, lmsUserId: launcher.userId };
    // Round trips before Zoom is asked delay every launch behind them in a storm: the independent
    // reads go together.
    const [connection, known] = await Promise.all([
      this.options.connectionOf(launcher.schoolId),
      repo.person(db, key),
    ]);
    if (connection.status === 'reconnect_required') return { outcome: 'zoom_reconnect_required' };
    if (connection.status !== 'connected' || !connection.ref) return { outcome: 'zoom_not_connected' };
    const email = launcher.email?.trim().toLowerCase();
    if (!email) {
      await repo.recordWithoutZoom(db, key, {
        name: launcher.name,
        email: null,
        status: 'failed',
        lastOutcome: 'email_missing',
      });
      return { outcome: 'email_missing' };
    }
    if (!force && known && known.email === email && known.zoomUserId && known.status === 'active') {
      const checked = known.lastCheckedAt?.getTime() ?? 0;
      if (this.now() - checked < (this.options.recheckActiveMs ?? 24 * 3_600_000))
        return { outcome: 'active' };
    }
    const settings = repo.settingsOf(db, launcher.schoolId);
    settings.catch(() => undefined); // read below, once the lease is ours (its failure is handled there)
    const lease = await PersonLease.take({
      db,
      key,
      details: { name: launcher.name, email },
      owner: this.owner,
      leaseMs: this.leaseMs,
      now: this.now,
      logger: this.options.logger,
    });
    if (!lease)
      return { outcome: await waitForHolder(db, key, this.options.waitForOtherMs ?? 60_000, this.now) };

    let resolution: Resolution;
    try {
      resolution = await resolveWithZoom({
        api: this.options.client.forConnection(connection.ref),
        settings: await settings,
        launcher,
        email,
        // Someone never linked to a Zoom user is created straight away (one request, not two). The
        // row as the lease was taken, not as read before: another worker may have linked them since.
        lookupFirst: Boolean(lease.row.zoomUserId),
        stillHolding: () => lease.stillHolding(),
        logger: this.options.logger,
      });
    } catch (error) {
      if (error instanceof LeaseLost) {
        lease.stop();
        return { outcome: await waitForHolder(db, key, this.options.waitForOtherMs ?? 60_000, this.now) };
      }
      resolution = { outcome: classify(error), status: 'provisioning', retryAt: retryAtOf(error) };
      if (resolution.outcome === 'zoom_unavailable') {
        this.options.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'provisioning failed',
        );
      }
    }
    // Zoom did not answer (it may have made the user all the same): the durable retry looks them up
    // later, so a user Zoom made is linked even if this person never launches again.
    const heldBack =
      resolution.outcome === 'queued'
        ? { retryAt: resolution.retryAt }
        : resolution.outcome === 'zoom_unavailable'
          ? { retryAt: this.now() + PROVISIONING_UNAVAILABLE_RETRY_MS }
          : undefined;
    const transient = resolution.outcome === 'queued' || resolution.outcome === 'zoom_unavailable';
    if (transient && known?.zoomUserId && known.email === email) {
      // A re-check that Zoom could not answer changes nothing we knew (the next launch checks again).
      await lease.finish({});
      return { outcome: parseOutcome(known.lastOutcome) ?? 'queued', heldBack };
    }
    await lease.finish({
      email,
      status: resolution.status,
      ...(resolution.zoomUserId ? { zoomUserId: resolution.zoomUserId } : {}),
      ...(resolution.licenceType !== undefined ? { licenceType: resolution.licenceType } : {}),
      lastOutcome: resolution.outcome,
      lastCheckedAt: new Date(this.now()),
    });
    return { outcome: resolution.outcome, heldBack };
  }
}

function launcherOf(key: repo.PersonKey, row: repo.PersonRow): Launcher {
  const [givenName, ...rest] = row.name.split(' ');
  return {
    schoolId: key.schoolId,
    issuer: key.lmsIssuer,
    userId: key.lmsUserId,
    role: 'instructor',
    email: row.email ?? undefined,
    givenName,
    familyName: rest.join(' ') || undefined,
    name: row.name,
  };
}
