import { z } from 'zod';
import { ServiceError } from './lms.services';
import type { AgsLineItem, LmsProfileName } from './lms.types';

/** The AGS media types and the bodies and queries the emulator's AGS endpoints accept. */
export const AGS_MEDIA_TYPES = {
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  score: 'application/vnd.ims.lis.v1.score+json',
  resultContainer: 'application/vnd.ims.lis.v2.resultcontainer+json',
} as const;

const ACTIVITY_PROGRESS = ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'] as const;
const GRADING_PROGRESS = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'] as const;

const isoWithOffset = z
  .string()
  .datetime({ offset: true, message: 'must be an ISO 8601 date-time with an offset (Z or +hh:mm)' });

export const lineItemBodySchema = z.object({
  label: z.string({ message: 'is required (a non-empty string)' }).trim().min(1, 'must not be empty'),
  scoreMaximum: z
    .number({ message: 'is required (a number greater than 0)' })
    .finite()
    .positive('must be greater than 0'),
  resourceId: z.string().optional(),
  tag: z.string().optional(),
  resourceLinkId: z.string().optional(),
  startDateTime: isoWithOffset.optional(),
  endDateTime: isoWithOffset.optional(),
});

export type LineItemBody = z.infer<typeof lineItemBodySchema>;

export const scoreBodySchema = z.object({
  userId: z.string({ message: 'is required (the launch sub)' }).min(1, 'must not be empty'),
  scoreGiven: z.number({ message: 'must be a number' }).finite().min(0, 'must be 0 or more').optional(),
  scoreMaximum: z.number({ message: 'must be a number' }).finite().min(0, 'must be 0 or more').optional(),
  activityProgress: z.enum(ACTIVITY_PROGRESS, {
    message: `is required, one of ${ACTIVITY_PROGRESS.join(', ')}`,
  }),
  gradingProgress: z.enum(GRADING_PROGRESS, {
    message: `is required, one of ${GRADING_PROGRESS.join(', ')}`,
  }),
  timestamp: isoWithOffset,
  comment: z.string().optional(),
});
export type ScoreBody = z.infer<typeof scoreBodySchema>;

export const pagingSchema = z.object({
  limit: z.coerce.number().int().positive().optional(),
  from: z.coerce.number().int().min(0).optional(),
  page: z.coerce.number().int().positive().optional(),
});
export const lineItemFilterSchema = pagingSchema.extend({
  resource_link_id: z.string().optional(),
  resource_id: z.string().optional(),
  tag: z.string().optional(),
});
export const resultFilterSchema = pagingSchema.extend({ user_id: z.string().optional() });

export function describeIssues(error: z.ZodError): string {
  return error.issues.map((issue) => `${issue.path.join('.') || 'body'} ${issue.message}`).join('; ');
}

export function parseJson(raw: string, what: string): unknown {
  try {
    return JSON.parse(raw) as unknown;
  } catch {
    throw new ServiceError(400, 'invalid_request', `the ${what} is not JSON`);
  }
}

/** Moodle takes only the exact media type (400); Canvas also parses application/json (415 otherwise). */
export function requireMediaType(
  profile: LmsProfileName,
  contentType: string | undefined,
  expected: string,
): void {
  const type = (contentType ?? '').split(';')[0]?.trim().toLowerCase() ?? '';
  const accepted = profile === 'moodle' ? [expected] : [expected, 'application/json'];
  if (!accepted.includes(type)) {
    throw new ServiceError(
      profile === 'moodle' ? 400 : 415,
      'unsupported_media_type',
      `the body must be sent as ${expected} (got ${type || 'no Content-Type'})`,
    );
  }
}

const REQUIRED_SCORE_FIELDS = ['userId', 'activityProgress', 'gradingProgress', 'timestamp'];

/**
 * A checked score, or the LMS's refusal: Moodle 400 "Incorrect score received" for anything
 * wrong; Canvas 400 for a missing or malformed parameter, 422 for a progress value its model refuses.
 */
export function readScore(profile: LmsProfileName, json: unknown): ScoreBody {
  const parsed = scoreBodySchema.safeParse(json);
  if (parsed.success) return parsed.data;
  const detail = describeIssues(parsed.error);
  if (profile === 'moodle')
    throw new ServiceError(400, 'invalid_request', `Incorrect score received: ${detail}`);
  const given = (field: string) => (json as Record<string, unknown> | null)?.[field] !== undefined;
  const onlyBadEnums = parsed.error.issues.every((issue) => {
    const field = String(issue.path[0]);
    return ['activityProgress', 'gradingProgress'].includes(field) && given(field);
  });
  const missing = REQUIRED_SCORE_FIELDS.some((field) => !given(field));
  if (onlyBadEnums && !missing) {
    throw new ServiceError(422, 'unprocessable_entity', `the score is refused: ${detail}`);
  }
  throw new ServiceError(400, 'invalid_request', `the score is refused: ${detail}`);
}

/** A line item from its identity and a checked body (absent fields stay absent). */
export function lineItemFrom(
  base: Pick<AgsLineItem, 'id' | 'courseId' | 'url'>,
  body: Omit<LineItemBody, 'resourceLinkId'> & { resourceLinkId?: string | undefined },
): AgsLineItem {
  const item: AgsLineItem = {
    id: base.id,
    courseId: base.courseId,
    url: base.url,
    label: body.label,
    scoreMaximum: body.scoreMaximum,
  };
  for (const key of ['resourceId', 'tag', 'resourceLinkId', 'startDateTime', 'endDateTime'] as const) {
    const value = body[key];
    if (value !== undefined) item[key] = value;
  }
  return item;
}
