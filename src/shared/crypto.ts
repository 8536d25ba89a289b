import crypto from 'node:crypto';

/**
 * Key handling. One 32-byte master key (config or DATA_DIR) is never used directly: each use gets
 * its own key derived with HKDF, so a leak of one derived key exposes nothing else.
 */
export type KeyPurpose =
  | 'secrets-at-rest'
  | 'ltijs'
  | 'oauth-state'
  | 'forms'
  | 'calendar-feeds'
  | 'zoom-connect-links'
  | 'attendance-registrants'
  | 'privacy-erasures';

export function deriveKey(masterKey: Buffer, purpose: KeyPurpose): Buffer {
  return Buffer.from(crypto.hkdfSync('sha256', masterKey, Buffer.alloc(0), `zoom-lti:${purpose}`, 32));
}

/**
 * AES-256-GCM envelope: `v1.<iv>.<tag>.<ciphertext>`, base64url parts. Always sealed under the
 * current master key; opened under the current key or, during a key rotation (ENCRYPTION_KEY_PREVIOUS,
 * or the embedded database's previous key file), a previous one. Which key a value is under is found
 * by trying (GCM authenticates, so a wrong key never yields a wrong plaintext): `keys rotate` re-seals
 * what the current key does not open.
 */
export class SecretBox {
  private readonly key: Buffer;
  private readonly previous: Buffer[];

  constructor(masterKey: Buffer, options: { previousMasterKeys?: Buffer[] } = {}) {
    this.key = deriveKey(masterKey, 'secrets-at-rest');
    this.previous = (options.previousMasterKeys ?? [])
      .filter((previous) => !previous.equals(masterKey))
      .map((previous) => deriveKey(previous, 'secrets-at-rest'));
  }

  /** True while values sealed under a previous master key are still accepted. */
  get rotating(): boolean {
    return this.previous.length > 0;
  }

  seal(plaintext: string, associatedData = ''): string {
    const iv = crypto.randomBytes(12);
    const cipher = crypto.createCipheriv('aes-256-gcm', this.key, iv);
    cipher.setAAD(Buffer.from(associatedData));
    const body = Buffer.concat([cipher.update(plaintext, 'utf8'), cipher.final()]);
    return ['v1', iv, cipher.getAuthTag(), body]
      .map((part) => (typeof part === 'string' ? part : part.toString('base64url')))
      .join('.');
  }

  open(sealed: string, associatedData = ''): string {
    try {
      return openWith(this.key, sealed, associatedData);
    } catch (error) {
      for (const key of this.previous) {
        try {
          return openWith(key, sealed, associatedData);
        } catch {
          // the next previous key, if any
        }
      }
      throw error;
    }
  }

  /** True when the current key opens the value (nothing for a rotation to do). */
  opensWithCurrentKey(sealed: string, associatedData = ''): boolean {
    try {
      openWith(this.key, sealed, associatedData);
      return true;
    } catch {
      return false;
    }
  }
}

function openWith(key: Buffer, sealed: string, associatedData: string): string {
  const [version, iv, tag, body] = sealed.split('.');
  if (version !== 'v1' || iv === undefined || tag === undefined || body === undefined) {
    throw new Error('Not a sealed secret');
  }
  const decipher = crypto.createDecipheriv('aes-256-gcm', key, Buffer.from(iv, 'base64url'));
  decipher.setAAD(Buffer.from(associatedData));
  decipher.setAuthTag(Buffer.from(tag, 'base64url'));
  return Buffer.concat([decipher.update(Buffer.from(body, 'base64url')), decipher.final()]).toString('utf8');
}

export function randomToken(bytes = 32): string {
  return crypto.randomBytes(bytes).toString('base64url');
}

export function timingSafeEqualText(a: string, b: string): boolean {
  const left = Buffer.from(a);
  const right = Buffer.from(b);
  return left.length === right.length && crypto.timingSafeEqual(left, right);
}
