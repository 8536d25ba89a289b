import { z } from 'zod';

export const settingsForm = z.object({
  action: z.enum(['create', 'autoCreate', 'ssoCreate', 'custCreate'], {
    error: 'must be one of the listed ways',
  }),
  licence: z.enum(['licensed', 'basic'], { error: 'must be Licensed or Basic' }),
  whenNoSeat: z.enum(['basic', 'refuse'], { error: 'must be one of the listed choices' }),
  /** A checkbox: sent as `yes` when ticked, absent when not. */
  provisionAdministrators: z
    .literal('yes', { error: 'must be ticked or not' })
    .optional()
    .transform((value) => value === 'yes'),
});

export const checkAgainForm = z.object({
  issuer: z.string({ error: 'is required' }).min(1).max(500),
  userId: z.string({ error: 'is required' }).min(1).max(255),
});
