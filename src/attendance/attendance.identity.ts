import crypto from 'node:crypto';

/**
 * The secondary id a student is known by at Zoom (docs/architecture.md, "Who is who"): given as the
 * registrant's email, `u-<26 base32 characters of HMAC-SHA256(key, school id, issuer, LMS user id)>@<domain>`.
 * Stable (the same student is one email in every meeting and report), reveals no LMS id, is looked
 * up, never reversed. Not the student's real email (Zoom would get it, and it could match a real
 * Zoom user of the account); not the school's domain (it may be a real mailbox).
 */
const ALPHABET = 'abcdefghijklmnopqrstuvwxyz234567';
const LENGTH = 26;

/** RFC 4648 base32 (lower case, no padding) of the bytes, cut to `length` characters. */
export function base32(bytes: Buffer, length: number): string {
  let out = '';
  let bits = 0;
  let value = 0;
  for (const byte of bytes) {
    value = (value << 8) | byte;
    bits += 8;
    while (bits >= 5 && out.length < length) {
      out += ALPHABET[(value >>> (bits - 5)) & 31];
      bits -= 5;
    }
    value &= (1 << bits) - 1;
    if (out.length >= length) break;
  }
  if (bits > 0 && out.length < length) out += ALPHABET[(value << (5 - bits)) & 31];
  return out;
}

export interface Person {
  schoolId: string;
  issuer: string;
  lmsUserId: string;
}

export class RegistrantIdentity {
  /**
   * `key`: derived from the master key for this purpose alone (`deriveKey(masterKey,
   * 'attendance-registrants')`); `domain`: ATTENDANCE_EMAIL_DOMAIN.
   */
  constructor(
    private readonly key: Buffer,
    readonly domain: string,
  ) {
    if (key.length < 32) throw new Error('the registrant identity key must be 32 bytes');
    if (!/^[a-z0-9.-]+\.[a-z0-9-]+$/.test(domain)) throw new Error(`not a domain: ${domain}`);
  }

  /** The person's secondary id (`u-…@domain`). */
  emailOf(person: Person): string {
    // Length-prefixed parts: no two different people make the same input.
    const parts = [person.schoolId, person.issuer, person.lmsUserId].map((part) => {
      const bytes = Buffer.from(part, 'utf8');
      const length = Buffer.alloc(4);
      length.writeUInt32BE(bytes.length);
      return Buffer.concat([length, bytes]);
    });
    const mac = crypto.createHmac('sha256', this.key).update(Buffer.concat(parts)).digest();
    return `u-${base32(mac, LENGTH)}@${this.domain}`;
  }

  /** Whether an email Zoom sent is one of ours (the shape and the domain; not whose). */
  isOurs(email: string): boolean {
    const lower = email.trim().toLowerCase();
    return lower.endsWith(`@${this.domain}`) && /^u-[a-z2-7]{26}@/.test(lower);
  }
}
