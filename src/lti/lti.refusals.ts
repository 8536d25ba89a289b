import type { Response } from 'express';

/**
 * ltijs' refusals (the message of the error it caught while verifying, which provider.ts hands to
 * our error pages), turned into sentences a person can act on.
 */
export const LTIJS_REFUSALS: Record<string, string> = {
  'invalid signature': 'The id token’s signature does not verify against the LMS’s keys.',
  'jwt expired': 'The id token has expired.',
  'jwt malformed': 'The id token is not a well-formed JWT.',
  'jwt signature is required': 'The id token is unsigned.',
  KEY_NOT_FOUND: 'The id token is signed with a key (kid) the LMS does not publish.',
  KID_NOT_FOUND: 'The id token names no signing key (kid).',
  TOKEN_TOO_OLD: 'The id token was issued too long ago (iat).',
  NONCE_ALREADY_RECEIVED: 'This id token’s nonce was already used: the launch was replayed.',
  MISSING_VALIDATION_COOKIE:
    'The login’s state cookie did not come back (it is missing, or belongs to another login).',
  ISS_CLAIM_DOES_NOT_MATCH: 'The id token’s issuer differs from the login’s.',
  UNREGISTERED_PLATFORM: 'The id token comes from an LMS registration this tool does not know.',
  AZP_DOES_NOT_MATCH_CLIENTID: 'The id token’s authorized party (azp) is not this tool.',
  ALG_NOT_RS256: 'The id token is not signed with RS256.',
  WRONG_LTI_VERSION_CLAIM: 'The launch is not LTI version 1.3.0.',
  NO_LTI_VERSION_CLAIM: 'The launch names no LTI version.',
  NO_MESSAGE_TYPE_CLAIM: 'The launch has no supported message type.',
  NO_DEPLOYMENT_ID_CLAIM: 'The id token names no deployment.',
  NO_SUB_CLAIM: 'The id token names no user (sub).',
  NO_ROLES_CLAIM: 'The id token carries no roles claim.',
  NO_TARGET_LINK_URI_CLAIM: 'The id token has no target_link_uri.',
  NO_RESOURCE_LINK_ID_CLAIM: 'The launch has no resource link id.',
  PLATFORM_NOT_ACTIVATED: 'This LMS registration is not active.',
};

/** The message of the error ltijs caught while verifying (our plugin's errors carry their code). */
export function ltijsMessage(res: Response): string | undefined {
  return (res.locals.err as { details?: { message?: string } } | undefined)?.details?.message;
}

export function refusalFrom(res: Response): string | undefined {
  const message = ltijsMessage(res);
  if (!message) return undefined;
  const known = Object.entries(LTIJS_REFUSALS).find(([needle]) => message.includes(needle));
  return known ? known[1] : `The id token failed verification (${message}).`;
}
