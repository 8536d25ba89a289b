import { z } from 'zod';

/** The three things a school keeps for a while after a course ends, each in days (null: kept). */
export const RETENTION_KINDS = ['meetings', 'attendance', 'logs'] as const;
export type RetentionKind = (typeof RETENTION_KINDS)[number];

/** At most 100 years: a longer one is a typo, not a policy. */
const days = z.coerce
  .number({ error: 'a number of days' })
  .int('a whole number of days')
  .min(1, 'at least 1 day')
  .max(36_500, 'at most 36500 days');

/** A change to a school's retention: days to set, kinds to keep (no limit); the rest unchanged. */
export const retentionChange = z
  .object({
    meetings: days.optional(),
    attendance: days.optional(),
    logs: days.optional(),
    keep: z.array(z.enum(RETENTION_KINDS, { error: 'meetings, attendance or logs' })).default([]),
  })
  .refine((change) => change.keep.every((kind) => change[kind] === undefined), {
    message: 'a kind cannot be both kept and given a number of days',
  });
export type RetentionChange = z.infer<typeof retentionChange>;

export interface Retention {
  meetingsDays: number | null;
  attendanceDays: number | null;
  logsDays: number | null;
  updatedBy: string | null;
  updatedAt: Date | null;
}

/** Who an export or erasure is about: one LMS user of one school's LMS. */
export const subjectInput = z.object({
  school: z.string().trim().min(1, 'the school (its id or name)'),
  issuer: z.string().trim().min(1, "the LMS's issuer"),
  user: z.string().trim().min(1, 'the LMS user id'),
});
export type SubjectInput = z.infer<typeof subjectInput>;

export interface Subject {
  schoolId: string;
  schoolName: string;
  issuer: string;
  userId: string;
}

/** What an erasure did, per table: rows removed, rows kept (anonymised or kept as they are), and why. */
export interface ErasureReport {
  subjectHash: string;
  removed: Record<string, number>;
  anonymised: Record<string, number>;
  kept: Record<string, number>;
  /** Sentences for the operator: what was kept and why, what the tool did not do. */
  notes: string[];
}
