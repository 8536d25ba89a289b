import crypto from 'node:crypto';
import {
  acceptablePassword,
  HASHES_AT_ONCE,
  HASHES_WAITING,
  HashingBusy,
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

/**
 * Issue 17, item 5: each scrypt hash takes 128 MiB and a core, so this process runs a few at once,
 * lets a few more wait, and refuses the rest before hashing (the sign-in answers 503).
 */
describe('password hashes at once', () => {
  const fast = { ln: 14, r: 8, p: 1 };
  const fresh = {} as typeof import('../../../src/admin/admin.auth');
  afterEach(() => jest.restoreAllMocks());

  /** Counts scrypt runs and the most running together, by wrapping node's scrypt. */
  function watchScrypt() {
    const original = crypto.scrypt.bind(crypto);
    const seen = { calls: 0, running: 0, most: 0 };
    jest.spyOn(crypto, 'scrypt').mockImplementation(((
      password: crypto.BinaryLike,
      salt: crypto.BinaryLike,
      length: number,
      options: crypto.ScryptOptions,
      done: (error: Error | null, key: Buffer) => void,
    ) => {
      seen.calls += 1;
      seen.running += 1;
      seen.most = Math.max(seen.most, seen.running);
      original(password, salt, length, options, (error, key) => {
        seen.running -= 1;
        done(error, key);
      });
    }) as typeof crypto.scrypt);
    return seen;
  }

  it('runs at most HASHES_AT_ONCE together, queues HASHES_WAITING more and refuses the rest without hashing', async () => {
    const stored = await hashPassword('twelve chars ok', fast);
    const seen = watchScrypt();
    const extra = 5;
    const results = await Promise.allSettled(
      Array.from({ length: HASHES_AT_ONCE + HASHES_WAITING + extra }, () =>
        verifyPassword('twelve chars ok', stored),
      ),
    );
    expect(HASHES_AT_ONCE).toBeLessThanOrEqual(2);
    expect(seen.most).toBe(HASHES_AT_ONCE);
    expect(seen.calls).toBe(HASHES_AT_ONCE + HASHES_WAITING);
    const refused = results.filter((result) => result.status === 'rejected');
    expect(refused).toHaveLength(extra);
    for (const result of refused)
      expect((result as PromiseRejectedResult).reason).toBeInstanceOf(HashingBusy);
    expect(results.filter((result) => result.status === 'fulfilled' && result.value === true)).toHaveLength(
      HASHES_AT_ONCE + HASHES_WAITING,
    );
    // Every turn was given back: the next hash runs at once.
    expect(seen.running).toBe(0);
    expect(await verifyPassword('twelve chars ok', stored)).toBe(true);
  });

  it('gives its turn back when a hash fails, and an unknown operator’s decoy refused while busy is made again later', async () => {
    // A fresh module: no decoy made yet by the tests above.
    const auth = await jest
      .isolateModulesAsync(async () => {
        Object.assign(fresh, await import('../../../src/admin/admin.auth'));
      })
      .then(() => fresh);
    const stored = await auth.hashPassword('twelve chars ok', fast);
    const original = crypto.scrypt.bind(crypto);
    let failNext = true;
    jest.spyOn(crypto, 'scrypt').mockImplementation(((
      password: crypto.BinaryLike,
      salt: crypto.BinaryLike,
      length: number,
      options: crypto.ScryptOptions,
      done: (error: Error | null, key?: Buffer) => void,
    ) => {
      if (failNext) {
        failNext = false;
        return setImmediate(() => done(new Error('out of memory')));
      }
      original(password, salt, length, options, done);
    }) as typeof crypto.scrypt);
    await expect(auth.verifyPassword('twelve chars ok', stored)).rejects.toThrow('out of memory');
    // Every turn is free again: as many as fit are taken, and the decoy finds no place.
    const busy = Array.from({ length: HASHES_AT_ONCE + HASHES_WAITING }, () =>
      auth.verifyPassword('twelve chars ok', stored),
    );
    await expect(auth.verifyPassword('twelve chars ok', undefined)).rejects.toBeInstanceOf(auth.HashingBusy);
    expect(await Promise.all(busy)).toEqual(busy.map(() => true));
    expect(await auth.verifyPassword('twelve chars ok', undefined)).toBe(false);
  }, 20_000);
});
