import { z } from 'zod';

export const LTI_CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';

const FRAME_NAME = /^[A-Za-z0-9_.-]{1,100}$/;

/** Third-party initiated login (OIDC), as GET query or POST form. */
export const loginParams = z.object({
  iss: z.string({ error: 'iss is missing' }).trim().min(1, 'iss is missing'),
  login_hint: z.string({ error: 'login_hint is missing' }).min(1, 'login_hint is missing'),
  target_link_uri: z
    .string({ error: 'target_link_uri is missing' })
    .trim()
    .min(1, 'target_link_uri is missing'),
  client_id: z.string().trim().min(1).optional(),
  lti_message_hint: z.string().optional(),
  lti_deployment_id: z.string().optional(),
  /**
   * The frame that keeps data for the tool (LTI client-side postMessages; Canvas sends `_parent` or
   * `post_message_forwarding`). A value that cannot be a frame name is ignored.
   */
  lti_storage_target: z
    .string()
    .optional()
    .transform((value) => (value !== undefined && FRAME_NAME.test(value) ? value : undefined)),
});
export type LoginParams = z.infer<typeof loginParams>;

/** The authentication response the platform posts to the launch URL. */
export const launchBody = z.object({
  id_token: z.string({ error: 'id_token is missing' }).min(1, 'id_token is missing'),
  state: z.string({ error: 'state is missing' }).min(1, 'state is missing'),
});

export const idTokenHeader = z.object({ alg: z.string(), kid: z.string().optional() }).passthrough();

/** Only what our own checks read; ltijs validates the rest. Real launches carry much more. */
export const idTokenClaims = z
  .object({
    iss: z.string().optional(),
    aud: z.union([z.string(), z.array(z.string())]).optional(),
    azp: z.string().optional(),
    nonce: z.string().optional(),
    sub: z.string().optional(),
    [`${LTI_CLAIM}message_type`]: z.string().optional(),
    [`${LTI_CLAIM}deployment_id`]: z.string().optional(),
    [`${LTI_CLAIM}target_link_uri`]: z.string().optional(),
    [`${LTI_CLAIM}resource_link`]: z
      .object({ id: z.string().optional() })
      .passthrough()
      .nullable()
      .optional(),
  })
  .passthrough();
export type IdTokenClaims = z.infer<typeof idTokenClaims>;
