import { DateTime } from 'luxon';
import { z } from 'zod';

function isHttpUrl(value: string): boolean {
  try {
    return ['http:', 'https:'].includes(new URL(value).protocol);
  } catch {
    return false;
  }
}

const httpUrl = z.string().trim().refine(isHttpUrl, 'must be an absolute http(s) URL');

const origin = httpUrl.transform((value) => new URL(value).origin);

/** What an operator gives to register an LMS (CLI today, the operator console later). */
export const addPlatformInput = z
  .object({
    issuer: httpUrl.transform((value) => value.replace(/\/+$/, '')),
    clientId: z.string().trim().min(1, 'must not be empty').max(255),
    loginUrl: httpUrl,
    tokenUrl: httpUrl,
    jwksUrl: httpUrl,
    deployments: z
      .array(z.string().trim().min(1, 'must not be empty').max(255))
      .transform((ids) => [...new Set(ids)]),
    school: z.string().trim().min(1, 'must not be empty').max(200),
    /** The school's time zone (IANA), for times shown to people whose browser did not say its own. */
    timeZone: z
      .string()
      .trim()
      .refine(
        (zone) => zone === 'UTC' || DateTime.local().setZone(zone).isValid,
        'must be an IANA time zone, e.g. America/New_York',
      )
      .optional(),
    acceptNewDeployments: z.boolean().default(false),
    frameOrigins: z.array(origin).default([]),
    name: z.string().trim().min(1).max(200).optional(),
  })
  // A registration with no deployment yet must take the first one its launches carry (Canvas's
  // dynamic registration names none: the install makes it).
  .refine((input) => input.deployments.length > 0 || input.acceptNewDeployments, {
    path: ['deployments'],
    message: 'at least one --deployment is required',
  });
export type AddPlatformInput = z.input<typeof addPlatformInput>;
export type AddPlatform = z.output<typeof addPlatformInput>;

export const removePlatformInput = z.union([
  z.object({ id: z.string().uuid('must be a registration id (uuid)') }),
  z.object({ issuer: z.string().trim().min(1), clientId: z.string().trim().min(1) }),
]);
export type RemovePlatformInput = z.infer<typeof removePlatformInput>;

/** A registration as operators see it. */
export interface RegistrationView {
  id: string;
  school: { id: string; name: string; timeZone: string };
  issuer: string;
  clientId: string;
  loginUrl: string;
  tokenUrl: string;
  jwksUrl: string;
  deployments: string[];
  acceptNewDeployments: boolean;
  frameOrigins: string[];
  createdAt: string;
}

/** What the LTI launch needs to know about a registration. */
export interface RegistrationForLaunch {
  id: string;
  schoolId: string;
  schoolName: string;
  issuer: string;
  clientId: string;
  loginUrl: string;
  /** Where the LMS publishes the keys its id tokens are signed with. */
  jwksUrl: string;
  acceptNewDeployments: boolean;
  deployments: string[];
}
