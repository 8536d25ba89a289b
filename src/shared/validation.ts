import type { z } from 'zod';
import { errors } from './errors';

/** Every issue of a failed parse, as `field: message; …` (or `input: …` for the whole value), for operators. */
export function describeZodError(error: z.ZodError): string {
  return error.issues
    .map((issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'input'}: ${issue.message}`)
    .join('; ');
}

/** A submitted form or query, checked: its typed value, or a 400 naming every field to fix ("accountId is required"). */
export function parseInput<T>(schema: z.ZodType<T>, input: unknown): T {
  const parsed = schema.safeParse(input);
  if (parsed.success) return parsed.data;
  const fields = parsed.error.issues.map(
    (issue) => `${issue.path.length > 0 ? issue.path.join('.') : 'the form'} ${issue.message}`,
  );
  throw errors.badRequest(`Please check: ${fields.join('; ')}.`);
}
