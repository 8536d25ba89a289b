import {
  acceptablePassword,
  hashPassword,
  isPasswordHash,
  verifyPassword,
} from '../../../src/admin/admin.auth';

/** The operator's password hash: scrypt, a salt per password, parameters stored with the hash. */
describe('operator password hashes', () => {
  const fast = { ln: 14, r: 8, p: 1 };

  it('verifies the right password and refuses a wrong one', async () => {
    const stored = await hashPassword('twelve chars ok', fast);
    expect(stored).toMatch(/^scrypt\$ln=14,r=8,p=1\$[A-Za-z0-9_-]{22}\$[A-Za-z0-9_-]{43}$/);
    expect(await verifyPassword('twelve chars ok', stored)).toBe(true);
    expect(await verifyPassword('twelve chars OK', stored)).toBe(false);
  });

  it('salts each hash: the same password twice gives two hashes', async () => {
    expect(await hashPassword('same password!', fast)).not.toBe(await hashPassword('same password!', fast));
  });

  it('uses OWASP’s scrypt parameters by default', async () => {
    const stored = await hashPassword('default parameters');
    expect(stored.startsWith('scrypt$ln=17,r=8,p=1$')).toBe(true);
    expect(await verifyPassword('default parameters', stored)).toBe(true);
  }, 20_000);

  it('refuses a tampered hash, unsafe parameters and no hash at all', async () => {
    const stored = await hashPassword('twelve chars ok', fast);
    const last = stored.at(-2) === 'A' ? 'B' : 'A';
    const tampered = `${stored.slice(0, -2)}${last}${stored.slice(-1)}`;
    expect(await verifyPassword('twelve chars ok', tampered)).toBe(false);
    const huge = stored.replace('ln=14', 'ln=30');
    expect(isPasswordHash(huge)).toBe(false);
    expect(await verifyPassword('twelve chars ok', huge)).toBe(false);
    expect(await verifyPassword('twelve chars ok', undefined)).toBe(false);
    expect(isPasswordHash('twelve chars ok')).toBe(false);
  }, 20_000);

  it('accepts passwords of 12 to 1024 characters', () => {
    expect(acceptablePassword('x'.repeat(11))).toBe(false);
    expect(acceptablePassword('x'.repeat(12))).toBe(true);
    expect(acceptablePassword('é'.repeat(12))).toBe(true);
    expect(acceptablePassword('x'.repeat(1025))).toBe(false);
  });
});
