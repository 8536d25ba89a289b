import { sql } from 'drizzle-orm';
import { HashingBusy } from '../../../src/admin/admin.auth';
import {
  ADDRESS_FAILURES_ALLOWED,
  LOGIN_FAILURES_ALLOWED,
  LoginLimiter,
  NAME_PAUSE_AFTER,
  NAME_PAUSE_MS,
  type LoginAttempt,
} from '../../../src/admin/admin.limiter';
import { queryRows, type Db } from '../../../src/storage';
import { createTestDatabase, databaseKinds, type TestDatabase } from '../../support/db';

/**
 * Issue 17, item 5: the console's sign-in limiter. An attempt is reserved (one atomic point per
 * address, and per address and operator name) before its password is hashed, so concurrent guesses
 * cannot outrun the count; others' failures slow a name down but never lock its owner out; a right
 * password, or a hash that could not run, gives its reservation back. On each database: the
 * reservation is the store's atomic upsert.
 */
describe.each(databaseKinds('both'))('the console sign-in limiter on %s', (kind) => {
  let database: TestDatabase;
  let limiter: LoginLimiter;
  let pauses: number[];
  beforeAll(async () => {
    database = await createTestDatabase(kind);
  });
  afterAll(() => database.drop());
  beforeEach(async () => {
    await database.db.execute(sql`delete from operator_login_limits`);
    pauses = [];
    limiter = new LoginLimiter(database.db, {
      pause: async (ms) => {
        pauses.push(ms);
      },
    });
  });

  /** A password check that counts its runs and answers `right`. */
  function checker(right = false) {
    const check = jest.fn(async () => right);
    return check;
  }
  const kinds = (attempts: LoginAttempt[]) => attempts.map((attempt) => attempt.kind);

  it('five wrong passwords from one address for one name: the sixth is refused before its password is checked, even when right', async () => {
    const wrong = checker(false);
    for (let attempt = 1; attempt <= LOGIN_FAILURES_ALLOWED; attempt += 1) {
      expect(await limiter.attempt('198.51.100.7', 'operator', wrong)).toEqual({
        kind: 'checked',
        right: false,
      });
    }
    const right = checker(true);
    const sixth = await limiter.attempt('198.51.100.7', 'operator', right);
    expect(sixth.kind).toBe('limited');
    expect(sixth.kind === 'limited' && sixth.retryAfterSeconds).toBeGreaterThanOrEqual(1);
    expect(sixth.kind === 'limited' && sixth.retryAfterSeconds).toBeLessThanOrEqual(60);
    expect(wrong).toHaveBeenCalledTimes(LOGIN_FAILURES_ALLOWED);
    expect(right).not.toHaveBeenCalled();
    // The same address under IPv4-mapped IPv6 is the same address.
    expect((await limiter.attempt('::ffff:198.51.100.7', 'operator', right)).kind).toBe('limited');
  });

  it('after 50 wrong guesses from 50 other addresses, the owner’s right password from a fresh address is checked and passes (slowed, never locked out)', async () => {
    const wrong = checker(false);
    for (let attempt = 1; attempt <= 50; attempt += 1) {
      const answer = await limiter.attempt(`203.0.113.${attempt}`, 'operator', wrong);
      expect(answer).toEqual({ kind: 'checked', right: false });
    }
    expect(wrong).toHaveBeenCalledTimes(50);
    // Once the name had NAME_PAUSE_AFTER failures from anywhere, each further try for it waited.
    expect(pauses).toEqual(Array.from({ length: 50 - NAME_PAUSE_AFTER }, () => NAME_PAUSE_MS));
    const right = checker(true);
    expect(await limiter.attempt('192.0.2.200', 'operator', right)).toEqual({ kind: 'checked', right: true });
    expect(right).toHaveBeenCalledTimes(1);
    expect(pauses).toHaveLength(50 - NAME_PAUSE_AFTER + 1);
    // Another name is not slowed by them.
    expect(await limiter.attempt('192.0.2.200', 'someone-else', checker(false))).toMatchObject({
      right: false,
    });
    expect(pauses).toHaveLength(50 - NAME_PAUSE_AFTER + 1);
  });

  it(`one address trying many names is refused after ${ADDRESS_FAILURES_ALLOWED} wrong passwords, whatever name comes next`, async () => {
    const wrong = checker(false);
    for (let attempt = 1; attempt <= ADDRESS_FAILURES_ALLOWED; attempt += 1) {
      expect((await limiter.attempt('198.51.100.9', `guess${attempt}`, wrong)).kind).toBe('checked');
    }
    const right = checker(true);
    expect((await limiter.attempt('198.51.100.9', 'operator', right)).kind).toBe('limited');
    expect(right).not.toHaveBeenCalled();
    // Another address is not concerned.
    expect(await limiter.attempt('198.51.100.10', 'operator', right)).toEqual({
      kind: 'checked',
      right: true,
    });
  });

  it('40 concurrent wrong guesses from one address for one name check at most five passwords; the rest are refused unchecked', async () => {
    const wrong = checker(false);
    const answers = await Promise.all(
      Array.from({ length: 40 }, () => limiter.attempt('198.51.100.20', 'operator', wrong)),
    );
    expect(wrong).toHaveBeenCalledTimes(LOGIN_FAILURES_ALLOWED);
    expect(kinds(answers).filter((answer) => answer === 'checked')).toHaveLength(LOGIN_FAILURES_ALLOWED);
    expect(kinds(answers).filter((answer) => answer === 'limited')).toHaveLength(40 - LOGIN_FAILURES_ALLOWED);
  });

  it(`40 concurrent wrong guesses from one address for 40 names check at most ${ADDRESS_FAILURES_ALLOWED} passwords`, async () => {
    const wrong = checker(false);
    const answers = await Promise.all(
      Array.from({ length: 40 }, (_, n) => limiter.attempt('198.51.100.21', `name${n}`, wrong)),
    );
    expect(wrong).toHaveBeenCalledTimes(ADDRESS_FAILURES_ALLOWED);
    expect(kinds(answers).filter((answer) => answer === 'limited')).toHaveLength(
      40 - ADDRESS_FAILURES_ALLOWED,
    );
  });

  it('a right password gives its reservation back and clears its name’s failures from that address', async () => {
    const right = checker(true);
    for (let attempt = 1; attempt <= ADDRESS_FAILURES_ALLOWED + 5; attempt += 1) {
      expect((await limiter.attempt('192.0.2.1', 'operator', right)).kind).toBe('checked');
    }
    const wrong = checker(false);
    for (let round = 1; round <= 2; round += 1) {
      for (let attempt = 1; attempt < LOGIN_FAILURES_ALLOWED; attempt += 1) {
        expect((await limiter.attempt('192.0.2.1', 'operator', wrong)).kind).toBe('checked');
      }
      expect((await limiter.attempt('192.0.2.1', 'operator', right)).kind).toBe('checked');
    }
    expect(wrong).toHaveBeenCalledTimes(2 * (LOGIN_FAILURES_ALLOWED - 1));
  });

  it('when no hash could run (too many waiting), the attempt is answered busy and given back', async () => {
    const busy = jest.fn(async (): Promise<boolean> => {
      throw new HashingBusy();
    });
    for (let attempt = 1; attempt <= 2 * LOGIN_FAILURES_ALLOWED; attempt += 1) {
      expect(await limiter.attempt('192.0.2.2', 'operator', busy)).toEqual({
        kind: 'busy',
        retryAfterSeconds: 1,
      });
    }
    const wrong = checker(false);
    for (let attempt = 1; attempt <= LOGIN_FAILURES_ALLOWED; attempt += 1) {
      expect((await limiter.attempt('192.0.2.2', 'operator', wrong)).kind).toBe('checked');
    }
    expect((await limiter.attempt('192.0.2.2', 'operator', wrong)).kind).toBe('limited');
    expect(pauses).toEqual([]);
  });

  it('a check that fails for another reason is given back and its error goes on', async () => {
    const broken = jest.fn(async (): Promise<boolean> => {
      throw new Error('database gone');
    });
    for (let attempt = 1; attempt <= LOGIN_FAILURES_ALLOWED + 1; attempt += 1) {
      await expect(limiter.attempt('192.0.2.3', 'operator', broken)).rejects.toThrow('database gone');
    }
    expect((await limiter.attempt('192.0.2.3', 'operator', checker(true))).kind).toBe('checked');
  });

  it('counts are in the database (shared by every instance) and purged once their window is over', async () => {
    await limiter.attempt('192.0.2.4', 'operator', checker(false));
    const keys = async () =>
      (
        await queryRows<{ key: string }>(database.db, sql`select key from operator_login_limits order by key`)
      ).map((row) => row.key);
    expect(await keys()).toEqual([
      'operator-login-address:192.0.2.4',
      'operator-login-name:operator',
      'operator-login-pair:192.0.2.4|operator',
    ]);
    // Another instance sees them.
    const other = new LoginLimiter(database.db, { pause: async () => undefined });
    for (let attempt = 2; attempt <= LOGIN_FAILURES_ALLOWED; attempt += 1) {
      await other.attempt('192.0.2.4', 'operator', checker(false));
    }
    expect((await limiter.attempt('192.0.2.4', 'operator', checker(true))).kind).toBe('limited');
    expect(await limiter.purgeExpired(new Date())).toBe(0);
    expect(await limiter.purgeExpired(new Date(Date.now() + 3_600_000))).toBe(3);
    expect(await keys()).toEqual([]);
  });
});

describe('the console sign-in limiter’s timers', () => {
  afterEach(() => jest.useRealTimers());

  it('starts no clean-up timer of its own: it would outlive a closed database (the periodic purge removes spent counts)', () => {
    jest.useFakeTimers();
    new LoginLimiter({} as Db);
    expect(jest.getTimerCount()).toBe(0);
  });
});
