import type { Logger } from 'pino';
import { errors, type SchoolErrorRecord } from '../shared/errors';
import type { Db } from '../storage';
import type { SchoolInvites, TenantsService } from '../tenants';
import { acceptablePassword, isPasswordHash, verifyPassword } from './admin.auth';
import type { LoginLimiter } from './admin.limiter';
import * as overview from './admin.overview.repo';
import * as repo from './admin.repo';
import type { AddSchoolForm, DeploymentForm, RegistrationAction } from './admin.schema';
import type { OperatorSession, OperatorSessions } from './admin.sessions';
import type { Retention } from '../privacy';

/** How many errors each school keeps (older ones are dropped as new ones come). */
export const SCHOOL_ERRORS_KEPT = 50;
/** How many the school's page shows. */
export const SCHOOL_ERRORS_SHOWN = 20;

export interface AdminServiceOptions {
  db: Db;
  tenants: TenantsService;
  invites: SchoolInvites;
  sessions: OperatorSessions;
  limiter: LoginLimiter;
  logger: Logger;
  now: () => number;
  /** A school's retention (src/privacy): shown on its page and set there. */
  retention?: {
    of(schoolId: string): Promise<Retention>;
    change(schoolId: string, input: unknown, by: string): Promise<Retention>;
  };
}

export type LoginOutcome =
  | { kind: 'signed-in'; sessionId: string; maxAgeMs: number }
  | { kind: 'wrong' }
  | { kind: 'limited'; retryAfterSeconds: number }
  | { kind: 'busy'; retryAfterSeconds: number };

/**
 * The operator console's work: the operator's password and sign-in, and what the console shows and
 * changes (schools, registrations, deployments, registration links, Zoom health, latest errors).
 * Its routes only read forms and render; every change goes through here.
 */
export class AdminService {
  constructor(private readonly options: AdminServiceOptions) {}

  get sessions(): OperatorSessions {
    return this.options.sessions;
  }

  /** Stores the operator's password hash (made by the CLI) and ends every session of that operator. */
  async setPasswordHash(username: string, passwordHash: string): Promise<{ sessionsEnded: number }> {
    if (!isPasswordHash(passwordHash))
      throw errors.operatorPasswordInvalid('That is not a password hash this tool made.');
    const { db, now } = this.options;
    const sessionsEnded = await db.transaction(async (tx) => {
      await repo.upsertPasswordHash(tx, username, passwordHash, new Date(now()));
      return repo.deleteSessionsOf(tx, username);
    });
    this.options.logger.info({ username, sessionsEnded }, 'operator password set; their sessions ended');
    return { sessionsEnded };
  }

  /**
   * Checks a sign-in: reserved with the limiter before the password is hashed (refused unchecked
   * while limited, whatever the password), counted when wrong, answered busy when too many hashes wait.
   */
  async login(input: { username: string; password: string; ip: string }): Promise<LoginOutcome> {
    const { limiter, logger } = this.options;
    const who = { username: input.username, ip: input.ip };
    const attempt = await limiter.attempt(input.ip, input.username, async () => {
      const stored = await repo.passwordHashOf(this.options.db, input.username);
      return acceptablePassword(input.password) && (await verifyPassword(input.password, stored));
    });
    if (attempt.kind === 'limited') {
      logger.warn(who, 'operator sign-in refused: too many failures');
      return attempt;
    }
    if (attempt.kind === 'busy') {
      logger.warn(who, 'operator sign-in refused: too many password checks waiting');
      return attempt;
    }
    if (!attempt.right) {
      logger.warn(who, 'operator sign-in failed');
      return { kind: 'wrong' };
    }
    const session = await this.options.sessions.start(input.username);
    logger.info(who, 'operator signed in');
    return { kind: 'signed-in', sessionId: session.id, maxAgeMs: session.maxAgeMs };
  }

  async logout(session: OperatorSession): Promise<void> {
    await this.options.sessions.end(session.id);
    this.options.logger.info({ username: session.username }, 'operator signed out');
  }

  async schools() {
    return overview.schoolRows(this.options.db);
  }

  /** A school's page: registrations and deployments, Zoom health, latest errors. */
  async school(schoolId: string) {
    const { db } = this.options;
    const school = await overview.schoolRow(db, schoolId);
    if (!school) throw errors.notFound('There is no school with this id.');
    const [registrations, zoom, recentErrors, failedJobs] = await Promise.all([
      overview.registrationsOfSchool(db, schoolId),
      overview.zoomHealthOf(db, schoolId),
      overview.latestSchoolErrors(db, schoolId, SCHOOL_ERRORS_SHOWN),
      overview.failedJobsOfSchool(db, schoolId, SCHOOL_ERRORS_SHOWN),
    ]);
    const retention = await this.options.retention?.of(schoolId);
    return { school, registrations, zoom, errors: recentErrors, failedJobs, retention };
  }

  /** Sets a school's retention from the console's form (refused in words, nothing changed, when bad). */
  async changeRetention(schoolId: string, input: unknown, by: OperatorSession): Promise<void> {
    if (!this.options.retention) throw errors.notFound('Retention is not available here.');
    if (!(await overview.schoolRow(this.options.db, schoolId)))
      throw errors.notFound('There is no school with this id.');
    await this.options.retention.change(schoolId, input, `operator:${by.username}`);
  }

  async changeRegistration(
    target: { schoolId: string; registrationId: string },
    action: RegistrationAction,
    by: OperatorSession,
  ): Promise<void> {
    const flags = {
      activate: { active: true },
      deactivate: { active: false },
      'accept-new': { acceptNewDeployments: true },
      'refuse-new': { acceptNewDeployments: false },
    }[action];
    await this.options.tenants.updateRegistration(target, flags);
    this.options.logger.info({ ...target, action, username: by.username }, 'operator changed a registration');
  }

  async changeDeployment(
    target: { schoolId: string; registrationId: string },
    form: DeploymentForm,
    by: OperatorSession,
  ): Promise<void> {
    await this.options.tenants.setDeploymentActive(
      { ...target, deploymentId: form.deploymentId },
      form.action === 'approve',
    );
    this.options.logger.info(
      { ...target, deploymentId: form.deploymentId, action: form.action, username: by.username },
      'operator changed a deployment',
    );
  }

  /**
   * A new school (as the CLI's `school invite` makes one), with a one-time registration link when
   * asked; `taken` (nothing changed) when a school, real or sandbox, already has the name.
   */
  async addSchool(
    form: AddSchoolForm,
    by: OperatorSession,
  ): Promise<
    | { kind: 'added'; schoolId: string; invite?: { registrationUrl: string; expiresAt: string } }
    | { kind: 'taken'; schoolId: string | undefined }
  > {
    const school = await this.options.tenants.addSchool({
      name: form.name,
      timeZone: form.timeZone || undefined,
    });
    if (!school) {
      const existing = await overview.schoolIdByName(this.options.db, form.name);
      return { kind: 'taken', schoolId: existing };
    }
    this.options.logger.info({ schoolId: school.id, username: by.username }, 'operator added a school');
    const invite = form.link ? await this.createInvite(school.id, form.days, by) : undefined;
    return { kind: 'added', schoolId: school.id, ...(invite ? { invite } : {}) };
  }

  /** A one-time registration link for the school (as `school invite`): shown once, never stored in clear. */
  async createInvite(schoolId: string, days: number, by: OperatorSession) {
    const school = await overview.schoolRow(this.options.db, schoolId);
    if (!school) throw errors.notFound('There is no school with this id.');
    const invite = await this.options.invites.create({ school: school.name, expiresInMs: days * 86_400_000 });
    this.options.logger.info({ schoolId, days, username: by.username }, 'operator made a registration link');
    return invite;
  }

  /** The error handler's record of a school's failed request; the school keeps its latest SCHOOL_ERRORS_KEPT. */
  async recordSchoolError(record: SchoolErrorRecord): Promise<void> {
    const { db, now } = this.options;
    await db.transaction(async (tx) => {
      await overview.insertSchoolError(tx, { ...record, at: new Date(now()) });
      await overview.trimSchoolErrors(tx, record.schoolId, SCHOOL_ERRORS_KEPT);
    });
  }

  async purgeExpired(): Promise<number> {
    const { sessions, limiter, now } = this.options;
    return (await sessions.purgeExpired()) + (await limiter.purgeExpired(new Date(now())));
  }
}
