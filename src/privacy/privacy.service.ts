import type { Logger } from 'pino';
import { errors } from '../shared/errors';
import type { JobRunner } from '../jobs';
import type { Db } from '../storage';
import { eraseSubject } from './privacy.erase';
import { exportSubject } from './privacy.export';
import { RetentionPurge } from './privacy.purge';
import { CourseLaunches, RetentionSettings, schoolNamed } from './privacy.retention';
import { subjectInput, type ErasureReport, type Subject } from './privacy.schema';

export interface PrivacyServiceOptions {
  db: Db;
  jobs?: JobRunner;
  logger: Logger;
  /** The key of erasures' subject hashes (derived from the master key, purpose `privacy-erasures`). */
  erasureKey: Buffer;
  /** The clock (tests move it). */
  now?: () => number;
}

/**
 * Retention and privacy (issue 20 item 6; docs/privacy.md): a school's retention, launches into
 * courses (when a course ended), the daily purge, and the operator's export and erasure of one
 * LMS user.
 */
export class PrivacyService {
  readonly retention: RetentionSettings;
  readonly launches: CourseLaunches;
  readonly purge: RetentionPurge;

  constructor(private readonly options: PrivacyServiceOptions) {
    const { db, jobs, logger, now } = options;
    this.purge = new RetentionPurge({ db, jobs, logger, now });
    this.retention = new RetentionSettings({ db, logger, onLimited: () => this.purge.schedule() });
    this.launches = new CourseLaunches({ db, now });
  }

  /** The school an operator named (id or name). */
  school(idOrName: string): Promise<{ id: string; name: string }> {
    return schoolNamed(this.options.db, idOrName);
  }

  /** Everything held about one LMS user in one school, as JSON-ready data. */
  async export(input: unknown): Promise<Awaited<ReturnType<typeof exportSubject>>> {
    return exportSubject(this.options.db, await this.subject(input));
  }

  /** Erases one LMS user of one school; says what went, what stayed and why. */
  async erase(input: unknown, requestedBy: string): Promise<ErasureReport & { subject: Subject }> {
    const subject = await this.subject(input);
    const report = await eraseSubject(this.options.db, subject, {
      key: this.options.erasureKey,
      requestedBy,
    });
    this.options.logger.info(
      { schoolId: subject.schoolId, subjectHash: report.subjectHash, removed: report.removed, requestedBy },
      'privacy erasure done',
    );
    return { ...report, subject };
  }

  private async subject(input: unknown): Promise<Subject> {
    const parsed = subjectInput.safeParse(input);
    if (!parsed.success)
      throw errors.badRequest(parsed.error.issues.map((issue) => issue.message).join('; '));
    const school = await this.school(parsed.data.school);
    return {
      schoolId: school.id,
      schoolName: school.name,
      issuer: parsed.data.issuer,
      userId: parsed.data.user,
    };
  }
}
