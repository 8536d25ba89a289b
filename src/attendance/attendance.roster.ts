import type { Logger } from 'pino';
import { z } from 'zod';
import { checkLmsUrl, linkWithRel, type LmsUrlPolicy } from '../grades';
import type { JobResult } from '../jobs';
import { NRPS_SCOPE, ServiceTokenRefused, type ServiceRegistration, type ServiceToken } from '../lti';
import { isAppError } from '../shared/errors';
import type { Db, Queryable } from '../storage';
import type { BackgroundWork } from './attendance.links';
import type { CourseKey } from './attendance.links.repo';
import * as repo from './attendance.roster.repo';

export const ROSTER_JOB = 'attendance.roster';
export const ROSTER_ATTEMPTS = 5;
/** A staff launch reads the roster again at most this often. */
export const ROSTER_EVERY_MS = 60 * 60_000;
const MAX_PAGES = 100;
const MAX_ANSWER_BYTES = 5 * 1024 * 1024;
const NRPS_MEDIA_TYPE = 'application/vnd.ims.lti-nrps.v2.membershipcontainer+json';

const payloadSchema = z.object({
  schoolId: z.uuid(),
  lmsIssuer: z.string().min(1),
  contextId: z.string().min(1),
});

const memberSchema = z.looseObject({
  user_id: z.string().min(1),
  name: z.string().nullish(),
  given_name: z.string().nullish(),
  family_name: z.string().nullish(),
  status: z.string().nullish(),
  roles: z.array(z.string()).nullish(),
});
const containerSchema = z.looseObject({ members: z.array(z.unknown()).default([]) });

/** A Learner of the course (`…membership#Learner`, or the short name). */
export function isLearnerRole(roles: string[]): boolean {
  return roles.some((role) => /(^|[#/])Learner$/.test(role));
}

export const rosterJobKey = (course: CourseKey) =>
  `${course.schoolId}:${course.lmsIssuer}:${course.contextId}`;

export interface AttendanceRosterOptions {
  db: Db;
  /** The LTI facade's service tokens (cached per registration and scopes). */
  serviceToken(
    registration: ServiceRegistration,
    scopes: readonly string[],
    options?: { renew?: boolean },
  ): Promise<ServiceToken>;
  /** Where the tool may send a request (grades.urls.ts: no private address in production, https). */
  urls: LmsUrlPolicy;
  jobs: BackgroundWork;
  /** Links for the course's upcoming meetings, when new students appeared. */
  newStudents(course: CourseKey): Promise<void>;
  logger: Logger;
  fetch?: typeof fetch;
  timeoutMs?: number;
  now?: () => number;
}

/**
 * The course's people from Names and Roles (the job `attendance.roster`, key: the course): every
 * page (`Link: rel="next"`), with a service token of the course's registration. Listed members are
 * written active (students: Learner roles); anyone active the roster no longer lists, or lists as
 * inactive, is `removed`, never deleted. New students get links for the upcoming meetings.
 */
export class AttendanceRoster {
  private readonly now: () => number;

  constructor(private readonly options: AttendanceRosterOptions) {
    this.now = options.now ?? Date.now;
  }

  private afterRead: ((tx: Queryable, course: CourseKey) => Promise<void>) | undefined;

  /** Run in the transaction that wrote a roster read (after the removed are marked). */
  whenRead(hook: (tx: Queryable, course: CourseKey) => Promise<void>): void {
    this.afterRead = hook;
  }

  /** A staff launch (or a created meeting): the roster is read when it was not read this past hour. */
  async maybeRead(course: CourseKey, db: Queryable = this.options.db, force = false): Promise<void> {
    if (!force) {
      const seen = await repo.lastSeen(db, course);
      if (seen && this.now() - seen.getTime() < ROSTER_EVERY_MS) return;
    }
    await this.options.jobs.enqueue(ROSTER_JOB, rosterJobKey(course), { ...course }, undefined, db);
  }

  async run(payload: Record<string, unknown>): Promise<JobResult> {
    const parsed = payloadSchema.safeParse(payload);
    if (!parsed.success) {
      this.options.logger.warn('attendance.roster job with a malformed payload: dropped');
      return;
    }
    const course = parsed.data;
    const { db, logger } = this.options;
    const services = await repo.courseServices(db, course);
    if (!services?.membershipsUrl || !services.clientId) {
      logger.info({ contextId: course.contextId }, 'no Names and Roles service recorded for the course');
      return;
    }
    let members: repo.Member[];
    try {
      members = await this.read(services.membershipsUrl, {
        issuer: course.lmsIssuer,
        clientId: services.clientId,
      });
    } catch (error) {
      if (
        error instanceof ServiceTokenRefused ||
        (isAppError(error) && error.status < 500) ||
        (error instanceof RosterError && error.status < 500 && error.status !== 429)
      ) {
        logger.warn(
          { contextId: course.contextId, reason: error instanceof Error ? error.message : 'refused' },
          'the roster could not be read (refused): left as it was',
        );
        return;
      }
      throw error;
    }
    const before = await repo.activeStudents(db, course);
    const at = new Date(this.now());
    let removed = 0;
    await db.transaction(async (tx) => {
      await repo.upsertMembers(tx, course, members, at);
      // An empty answer is not taken as everyone leaving (Names and Roles lists the instructor too).
      if (members.length > 0)
        removed = await repo.markMissingRemoved(
          tx,
          course,
          members.map((m) => m.lmsUserId),
          at,
        );
      // Whoever was dropped may host meetings of the course (services.ts: meetings' orphans).
      await this.afterRead?.(tx, course);
    });
    const added = members.filter((m) => m.isStudent && !before.has(m.lmsUserId)).length;
    logger.info({ contextId: course.contextId, members: members.length, added, removed }, 'roster read');
    if (added > 0) await this.options.newStudents(course);
  }

  /** Every page of the roster; inactive members are left out (so they become `removed`). */
  private async read(firstUrl: string, registration: ServiceRegistration): Promise<repo.Member[]> {
    const token = await this.options.serviceToken(registration, [NRPS_SCOPE]);
    const members = new Map<string, repo.Member>();
    let next: string | undefined = firstUrl;
    for (let page = 0; next && page < MAX_PAGES; page += 1) {
      const url = await checkLmsUrl(next, this.options.urls);
      const response = await (this.options.fetch ?? fetch)(url, {
        headers: { accept: NRPS_MEDIA_TYPE, authorization: `Bearer ${token.accessToken}` },
        redirect: 'error',
        signal: AbortSignal.timeout(this.options.timeoutMs ?? 15_000),
      });
      if (!response.ok) throw new RosterError(response.status);
      const text = await response.text();
      if (text.length > MAX_ANSWER_BYTES) throw new RosterError(413);
      const container = containerSchema.parse(JSON.parse(text));
      for (const raw of container.members) {
        const member = memberSchema.safeParse(raw);
        if (!member.success) continue;
        const m = member.data;
        if (m.status && m.status !== 'Active') continue;
        const roles = m.roles ?? [];
        const name = m.name?.trim() || [m.given_name, m.family_name].filter(Boolean).join(' ') || '';
        members.set(m.user_id, { lmsUserId: m.user_id, name, roles, isStudent: isLearnerRole(roles) });
      }
      next = linkWithRel(response.headers.get('link'), 'next', url.toString());
    }
    return [...members.values()];
  }
}

/** The LMS answered a roster page with an error status (retried by the job; never its body). */
export class RosterError extends Error {
  constructor(readonly status: number) {
    super(`Names and Roles answered HTTP ${status}`);
    this.name = 'RosterError';
  }
}
