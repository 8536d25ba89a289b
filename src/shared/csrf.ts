import crypto from 'node:crypto';
import { timingSafeEqualText } from './crypto';

/**
 * A form token bound to the session link (ltik) it was rendered for. Requests after a launch
 * authenticate with the ltik they carry (no ambient cookie), so another site cannot post as the
 * user without it; the token also ties each form to this tool's own pages.
 */
export function csrfToken(key: Buffer, ltik: string): string {
  return crypto.createHmac('sha256', key).update(`csrf\n${ltik}`).digest('base64url');
}

export function csrfMatches(key: Buffer, ltik: string, given: unknown): boolean {
  return typeof given === 'string' && timingSafeEqualText(given, csrfToken(key, ltik));
}
