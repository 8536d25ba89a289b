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

/**
 * An `ltiResourceLink` content item as the LMS reads it (LTI Deep Linking 2.0 §3.1): other types and
 * fields are ignored. Custom values must be strings; Moodle writes each as `key=value` text, so a
 * number or boolean arrives as its text.
 */
export const resourceLinkItemSchema = z.object({
  type: z.literal('ltiResourceLink'),
  title: z.string().optional(),
  text: z.string().optional(),
  url: z.string().optional(),
  custom: z.record(z.string(), z.union([z.string(), z.number(), z.boolean()]).transform(String)).optional(),
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

export const TOOL_CONFIGURATION = 'https://purl.imsglobal.org/spec/lti-tool-configuration';

function isLoopbackHost(hostname: string): boolean {
  return hostname === 'localhost' || hostname === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(hostname);
}

/** A tool URL as a platform accepts it: https, or http on localhost only. */
const toolUrl = z.string().refine(
  (value) => {
    if (!URL.canParse(value)) return false;
    const url = new URL(value);
    return url.protocol === 'https:' || (url.protocol === 'http:' && isLoopbackHost(url.hostname));
  },
  { message: 'must be an https URL (http only on localhost)' },
);

const includesAll = (required: string[]) => (values: string[]) =>
  required.every((value) => values.includes(value));

const messageSchema = z.looseObject({
  type: z.enum(['LtiResourceLinkRequest', 'LtiDeepLinkingRequest'], {
    message: 'must be LtiResourceLinkRequest or LtiDeepLinkingRequest',
  }),
  target_link_uri: toolUrl.optional(),
  label: z.string().optional(),
  placements: z.array(z.string()).optional(),
  custom_parameters: z.record(z.string(), z.string()).optional(),
});

/**
 * An LTI Dynamic Registration 1.0 client registration (section 3.1 and its tool configuration,
 * 3.1.2). Unknown members are kept (Canvas's `https://canvas.instructure.com/lti/*` extensions).
 */
export const clientRegistrationSchema = z.looseObject({
  application_type: z.literal('web', { message: 'must be "web"' }),
  response_types: z
    .array(z.string())
    .refine(includesAll(['id_token']), { message: 'must include "id_token"' }),
  grant_types: z.array(z.string()).refine(includesAll(['implicit', 'client_credentials']), {
    message: 'must include "implicit" and "client_credentials"',
  }),
  initiate_login_uri: toolUrl,
  redirect_uris: z.array(toolUrl).min(1, { message: 'must list at least one URL' }),
  jwks_uri: toolUrl,
  client_name: z.string().trim().min(1, { message: 'must not be empty' }),
  token_endpoint_auth_method: z.literal('private_key_jwt', { message: 'must be "private_key_jwt"' }),
  scope: z.string().optional(),
  logo_uri: z.string().optional(),
  [TOOL_CONFIGURATION]: z.looseObject({
    domain: z.string().trim().min(1, { message: 'must not be empty' }),
    target_link_uri: toolUrl,
    claims: z.array(z.string()),
    messages: z.array(messageSchema),
    custom_parameters: z.record(z.string(), z.string()).optional(),
    description: z.string().optional(),
  }),
});
export type ClientRegistration = z.infer<typeof clientRegistrationSchema>;
