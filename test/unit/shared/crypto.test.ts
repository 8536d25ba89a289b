import { deriveKey, SecretBox, timingSafeEqualText } from '../../../src/shared/crypto';

describe('secrets at rest', () => {
  const box = new SecretBox(Buffer.alloc(32, 3));

  it('round-trips and never shows the plaintext', () => {
    const sealed = box.seal('refresh-token-value', 'school:1');
    expect(sealed).not.toContain('refresh-token-value');
    expect(sealed.startsWith('v1.')).toBe(true);
    expect(box.open(sealed, 'school:1')).toBe('refresh-token-value');
  });

  it('refuses a tampered ciphertext, a wrong context or another key', () => {
    const sealed = box.seal('secret', 'a');
    const parts = sealed.split('.');
    const body = Buffer.from(parts[3] ?? '', 'base64url');
    body[0] = (body[0] ?? 0) ^ 1;
    expect(() =>
      box.open([parts[0], parts[1], parts[2], body.toString('base64url')].join('.'), 'a'),
    ).toThrow();
    expect(() => box.open(sealed, 'b')).toThrow();
    expect(() => new SecretBox(Buffer.alloc(32, 4)).open(sealed, 'a')).toThrow();
  });

  it('derives a distinct key per purpose', () => {
    const master = Buffer.alloc(32, 9);
    expect(deriveKey(master, 'ltijs').equals(deriveKey(master, 'secrets-at-rest'))).toBe(false);
    expect(deriveKey(master, 'ltijs').equals(deriveKey(master, 'ltijs'))).toBe(true);
  });

  it('compares in constant time without throwing on different lengths', () => {
    expect(timingSafeEqualText('abc', 'abc')).toBe(true);
    expect(timingSafeEqualText('abc', 'abd')).toBe(false);
    expect(timingSafeEqualText('abc', 'abcd')).toBe(false);
  });
});
