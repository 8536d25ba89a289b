import { z } from 'zod';

/** Every input the emulator accepts from a tool, as zod schemas. */

const param = z.string().optional();

/** The OIDC authentication request (GET query or POST form). Values must be single strings. */
export const authRequestSchema = z.object({
  scope: param,
  response_type: param,
  response_mode: param,
  prompt: param,
  client_id: param,
  redirect_uri: param,
  login_hint: param,
  lti_message_hint: param,
  nonce: param,
  state: param,
});
export type AuthRequest = z.infer<typeof authRequestSchema>;

/** The client-credentials token request (RFC 6749 4.4 with an RFC 7523 client assertion). */
export const tokenRequestSchema = z.object({
  grant_type: param,
  client_assertion_type: param,
  client_assertion: param,
  scope: param,
});

export const clientAssertionClaimsSchema = z.object({
  iss: z.string(),
  sub: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  iat: z.number().optional(),
  jti: z.string().min(1),
});

export const jwtHeaderSchema = z.object({ alg: z.string(), kid: z.string().optional() });

export const remoteJwksSchema = z.object({
  keys: z.array(
    z.object({
      kty: z.literal('RSA'),
      kid: z.string().optional(),
      n: z.string(),
      e: z.string(),
    }),
  ),
});

/** The LtiDeepLinkingResponse the tool posts back (the claims this emulator checks). */
export const deepLinkingResponseSchema = z.object({
  iss: z.string(),
  aud: z.union([z.string(), z.array(z.string())]),
  exp: z.number(),
  iat: z.number().optional(),
  nonce: z.string().min(1),
  'https://purl.imsglobal.org/spec/lti/claim/message_type': z.literal('LtiDeepLinkingResponse'),
  'https://purl.imsglobal.org/spec/lti/claim/version': z.literal('1.3.0'),
  'https://purl.imsglobal.org/spec/lti/claim/deployment_id': z.string(),
  'https://purl.imsglobal.org/spec/lti-dl/claim/data': z.string().optional(),
  'https://purl.imsglobal.org/spec/lti-dl/claim/content_items': z.array(z.unknown()).optional(),
});

/** Query of the course page and its initiate frame. */
export const coursePageQuerySchema = z.object({
  user: z.string().min(1),
  messageType: z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest']).optional(),
  resourceLinkId: param,
  targetLinkUri: param,
  deploymentId: param,
  /** A BCP 47-like language tag as LMSs send it: `es`, `es-MX`, Moodle's `es_mx`. */
  locale: z
    .string()
    .regex(/^[A-Za-z]{2,3}(?:[-_][A-Za-z0-9]{2,8})*$/)
    .optional(),
});

export const nrpsQuerySchema = z.object({
  limit: z.coerce.number().int().positive().max(1000).optional(),
  from: z.coerce.number().int().nonnegative().optional(),
  page: z.coerce.number().int().positive().optional(),
  role: param,
  rlid: param,
});
