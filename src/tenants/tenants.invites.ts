import crypto from 'node:crypto';
import { and, eq, gt, gte, isNull, sql } from 'drizzle-orm';
import { z } from 'zod';
import { randomToken } from '../shared/crypto';
import { errors } from '../shared/errors';
import { describeZodError } from '../shared/validation';
import { tables, type Db } from '../storage';
import { findOrCreateSchool } from './tenants.repo';

const { registrationInvites, schools } = tables;

const MAX_INVITE_TTL_MS = 90 * 24 * 3600_000;
/** Failed registrations a link survives: the fifth spends it (each one fetched a URL its holder chose). */
export const MAX_INVITE_FAILURES = 5;

/** `7d`, `12h`, `30m`: how long a link lives. */
export function parseDuration(text: string): number | undefined {
  const match = /^(\d{1,4})([dhm])$/.exec(text.trim());
  if (!match) return undefined;
  const unit = { d: 24 * 3600_000, h: 3600_000, m: 60_000 }[match[2] as 'd' | 'h' | 'm'];
  return Number(match[1]) * unit;
}

const inviteInput = z.object({
  school: z.string().trim().min(1, 'must not be empty').max(200),
  timeZone: z.string().trim().optional(),
  expiresInMs: z
    .number()
    .int()
    .min(60_000, 'must be at least a minute')
    .max(MAX_INVITE_TTL_MS, 'must be at most 90 days'),
});

export interface Invite {
  id: string;
  schoolId: string;
  schoolName: string;
}

const hashOf = (code: string) => crypto.createHash('sha256').update(code, 'utf8').digest('hex');

/**
 * One-time registration links (`school invite`): the operator makes one for a school; the LMS
 * admin pastes it into the LMS's dynamic registration; the registration it creates belongs to that
 * school. A link works once, until it expires, and survives MAX_INVITE_FAILURES - 1 failed
 * registrations; only the code's hash is stored, so a tampered code is simply unknown. Every
 * refusal is the same (but for a link its failures spent), and changes nothing.
 */
export class SchoolInvites {
  constructor(
    private readonly db: Db,
    private readonly publicUrl: string,
    private readonly now: () => number = Date.now,
  ) {}

  async create(raw: {
    school: string;
    timeZone?: string;
    expiresInMs: number;
  }): Promise<{ registrationUrl: string; expiresAt: string; school: string }> {
    const parsed = inviteInput.safeParse(raw);
    if (!parsed.success) throw errors.badRequest(`Invalid invite: ${describeZodError(parsed.error)}.`);
    const code = randomToken(32);
    const expiresAt = new Date(this.now() + parsed.data.expiresInMs);
    const school = await this.db.transaction(async (tx) => {
      const found = await findOrCreateSchool(tx, parsed.data.school, parsed.data.timeZone);
      await tx.insert(registrationInvites).values({ schoolId: found.id, codeHash: hashOf(code), expiresAt });
      return found;
    });
    const url = new URL(`${this.publicUrl}/lti/register`);
    url.searchParams.set('invite', code);
    return { registrationUrl: url.toString(), expiresAt: expiresAt.toISOString(), school: school.name };
  }

  /**
   * The invite behind a code, if it can still be used; otherwise the refusal (a link spent by its
   * failures says so: whoever holds it may know it was used up).
   */
  async check(code: string | undefined): Promise<Invite> {
    if (!code) throw errors.registrationInviteInvalid();
    const [row] = await this.db
      .select({ id: registrationInvites.id, schoolId: schools.id, schoolName: schools.name })
      .from(registrationInvites)
      .innerJoin(schools, eq(schools.id, registrationInvites.schoolId))
      .where(this.usable(code));
    if (row) return row;
    const [spent] = await this.db
      .select({ id: registrationInvites.id })
      .from(registrationInvites)
      .where(
        and(
          eq(registrationInvites.codeHash, hashOf(code)),
          isNull(registrationInvites.registrationId),
          gte(registrationInvites.failedAttempts, MAX_INVITE_FAILURES),
        ),
      );
    throw spent ? errors.registrationInviteSpent() : errors.registrationInviteInvalid();
  }

  /** Takes the invite (single use: of two registrations racing, one gets it). */
  async claim(code: string): Promise<Invite> {
    const invite = await this.check(code);
    const taken = await this.db
      .update(registrationInvites)
      .set({ usedAt: new Date(this.now()) })
      .where(and(eq(registrationInvites.id, invite.id), this.usable(code)))
      .returning({ id: registrationInvites.id });
    if (taken.length === 0) throw errors.registrationInviteInvalid();
    return invite;
  }

  /**
   * The registration failed after the invite was taken: the link works again, until this was its
   * MAX_INVITE_FAILURES-th failure; then it stays spent (`spent: true`). One update, so failures
   * racing each other are each counted.
   */
  async recordFailure(id: string): Promise<{ failures: number; spent: boolean }> {
    const [row] = await this.db
      .update(registrationInvites)
      .set({
        failedAttempts: sql`${registrationInvites.failedAttempts} + 1`,
        usedAt: sql`case when ${registrationInvites.failedAttempts} + 1 >= ${MAX_INVITE_FAILURES} then ${registrationInvites.usedAt} else null end`,
      })
      .where(and(eq(registrationInvites.id, id), isNull(registrationInvites.registrationId)))
      .returning({ failures: registrationInvites.failedAttempts });
    const failures = row?.failures ?? MAX_INVITE_FAILURES;
    return { failures, spent: failures >= MAX_INVITE_FAILURES };
  }

  async complete(id: string, registrationId: string): Promise<void> {
    await this.db.update(registrationInvites).set({ registrationId }).where(eq(registrationInvites.id, id));
  }

  private usable(code: string) {
    return and(
      eq(registrationInvites.codeHash, hashOf(code)),
      isNull(registrationInvites.usedAt),
      gt(registrationInvites.expiresAt, new Date(this.now())),
    );
  }
}
