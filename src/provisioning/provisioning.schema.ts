import { z } from 'zod';

export const settingsForm = z.object({
  action: z.enum(['create', 'autoCreate', 'ssoCreate', 'custCreate'], {
    error: 'must be one of the listed ways',
  }),
  licence: z.enum(['licensed', 'basic'], { error: 'must be Licensed or Basic' }),
  whenNoSeat: z.enum(['basic', 'refuse'], { error: 'must be one of the listed choices' }),
});

export const checkAgainForm = z.object({
  issuer: z.string({ error: 'is required' }).min(1).max(500),
  userId: z.string({ error: 'is required' }).min(1).max(255),
});
