import type { Logger } from 'pino';
import type { CourseMember } from '../lti';
import { ZoomApiError, type ZoomAccountApi } from '../zoom';

/** Why an instructor of the course can or cannot be an alternative host (catalog `meetings.hostReasons.*`). */
export type HostReason = 'self' | 'noEmail' | 'notInAccount' | 'notLicensed' | 'notActive' | 'unknown';

export interface HostCandidate {
  name: string;
  email: string | undefined;
  allowed: boolean;
  reason: HostReason | undefined;
}

/** What Zoom says of one email in the school's account. */
type ZoomStanding = { allowed: true } | { allowed: false; reason: HostReason };

const STANDING_TTL_MS = 5 * 60_000;

/**
 * The course's instructors (Names and Roles) as alternative hosts: Zoom accepts only licensed,
 * active users of the host's account, so each is looked up (Light, paced; remembered 5 minutes per
 * school and email, so a page load does not ask again) and anyone else is offered disabled, with
 * the reason.
 */
export class AlternativeHosts {
  private readonly standings = new Map<string, { at: number; standing: ZoomStanding }>();

  constructor(private readonly options: { logger: Logger; now?: () => number }) {}

  async candidates(input: {
    schoolId: string;
    members: CourseMember[];
    hostEmail: string | undefined;
    api: ZoomAccountApi | undefined;
  }): Promise<HostCandidate[]> {
    const host = input.hostEmail?.toLowerCase();
    const seen = new Set<string>();
    const result: HostCandidate[] = [];
    for (const member of input.members) {
      const email = member.email?.trim().toLowerCase();
      if (email && seen.has(email)) continue;
      if (email) seen.add(email);
      if (!email) {
        result.push({ name: member.name, email: undefined, allowed: false, reason: 'noEmail' });
        continue;
      }
      if (email === host) continue;
      const standing = await this.standing(input.schoolId, email, input.api);
      result.push({
        name: member.name,
        email,
        allowed: standing.allowed,
        reason: standing.allowed ? undefined : standing.reason,
      });
    }
    return result.sort((a, b) => a.name.localeCompare(b.name));
  }

  private async standing(
    schoolId: string,
    email: string,
    api: ZoomAccountApi | undefined,
  ): Promise<ZoomStanding> {
    const now = (this.options.now ?? Date.now)();
    const key = `${schoolId}|${email}`;
    const known = this.standings.get(key);
    if (known && now - known.at < STANDING_TTL_MS) return known.standing;
    if (!api) return { allowed: false, reason: 'unknown' };
    let standing: ZoomStanding;
    try {
      const user = await api.getUser(email);
      if (user.type !== 2) standing = { allowed: false, reason: 'notLicensed' };
      else if (user.status && user.status !== 'active') standing = { allowed: false, reason: 'notActive' };
      else standing = { allowed: true };
    } catch (error) {
      if (error instanceof ZoomApiError && (error.kind === 'not_found' || error.code === 1010)) {
        standing = { allowed: false, reason: 'notInAccount' };
      } else {
        this.options.logger.warn(
          { err: error instanceof Error ? error.message : String(error) },
          'alternative host look-up failed',
        );
        return { allowed: false, reason: 'unknown' };
      }
    }
    this.standings.set(key, { at: now, standing });
    return standing;
  }
}
