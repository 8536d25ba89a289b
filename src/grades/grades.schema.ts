import { z } from 'zod';

/** The AGS media types (LTI Assignment and Grade Services 2.0; the score is v1). */
export const AGS_MEDIA_TYPES = {
  lineItemContainer: 'application/vnd.ims.lis.v2.lineitemcontainer+json',
  lineItem: 'application/vnd.ims.lis.v2.lineitem+json',
  score: 'application/vnd.ims.lis.v1.score+json',
  resultContainer: 'application/vnd.ims.lis.v2.resultcontainer+json',
} as const;

export const ACTIVITY_PROGRESS = ['Initialized', 'Started', 'InProgress', 'Submitted', 'Completed'] as const;
export const GRADING_PROGRESS = ['FullyGraded', 'Pending', 'PendingManual', 'Failed', 'NotReady'] as const;

/** Moodle writes '' for an absent resourceId or tag: read as absent. */
const optionalText = z
  .string()
  .nullish()
  .transform((value) => (value ? value : undefined));

/** A line item as an LMS answers it (unknown fields dropped). */
export const lineItemSchema = z.looseObject({
  id: z.url(),
  label: z.string(),
  scoreMaximum: z.number(),
  resourceId: optionalText,
  tag: optionalText,
  resourceLinkId: optionalText,
  startDateTime: optionalText,
  endDateTime: optionalText,
});
export type LineItem = z.infer<typeof lineItemSchema>;

export const lineItemContainerSchema = z.array(lineItemSchema);

/** What the tool sends to make or change a line item. */
export const lineItemInputSchema = z.object({
  label: z.string().trim().min(1),
  scoreMaximum: z.number().finite().positive(),
  resourceId: z.string().min(1),
  tag: z.string().min(1),
  resourceLinkId: z.string().min(1).optional(),
  startDateTime: z.iso.datetime({ offset: true }).optional(),
  endDateTime: z.iso.datetime({ offset: true }).optional(),
});
export type LineItemInput = z.infer<typeof lineItemInputSchema>;

/** A score as the tool posts it: a given score always with its maximum (Canvas refuses one without). */
export const scoreSchema = z
  .object({
    userId: z.string().min(1),
    scoreGiven: z.number().finite().min(0).optional(),
    scoreMaximum: z.number().finite().positive(),
    activityProgress: z.enum(ACTIVITY_PROGRESS),
    gradingProgress: z.enum(GRADING_PROGRESS),
    timestamp: z.iso.datetime({ offset: true, precision: 3 }),
    comment: z.string().max(1000).optional(),
  })
  .strict();
export type Score = z.infer<typeof scoreSchema>;

/** One result (a student's grade in a column) as an LMS answers it. */
export const resultSchema = z.looseObject({
  id: z.string().optional(),
  userId: z.string(),
  resultScore: z.number().nullish(),
  resultMaximum: z.number().nullish(),
  comment: z.string().nullish(),
  scoreOf: z.string().optional(),
});
export type Result = z.infer<typeof resultSchema>;

export const resultContainerSchema = z.array(resultSchema);

/** An OAuth / AGS error body (`{ error, error_description }`), when the LMS sends one. */
export const errorBodySchema = z.looseObject({ error: z.string().optional() });
