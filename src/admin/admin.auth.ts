import crypto from 'node:crypto';

/**
 * The operator's password hash: scrypt from node:crypto (no native dependency; argon2 would need a
 * compiled addon), with a random 16-byte salt per password and its parameters stored with it:
 * `scrypt$ln=17,r=8,p=1$<salt>$<hash>` (base64url; N = 2^ln). The defaults follow OWASP's password
 * storage guidance for scrypt (N=2^17, r=8, p=1). Verification reads the parameters from the stored
 * text, so they can be raised later without invalidating existing hashes, and refuses parameters
 * outside sane bounds (a crafted hash cannot make a login burn gigabytes).
 */

export const MIN_PASSWORD_LENGTH = 12;
export const MAX_PASSWORD_LENGTH = 1024;

export interface ScryptParams {
  /** log2 of the CPU/memory cost N. */
  ln: number;
  r: number;
  p: number;
}

export const DEFAULT_SCRYPT: ScryptParams = { ln: 17, r: 8, p: 1 };
const KEY_LENGTH = 32;
const SALT_LENGTH = 16;
const FORMAT = /^scrypt\$ln=(\d{1,2}),r=(\d{1,2}),p=(\d)\$([A-Za-z0-9_-]{22})\$([A-Za-z0-9_-]{43})$/;

/**
 * Hashes at once in this process: each takes 128 MiB and a core for a few hundred milliseconds, so
 * at most HASHES_AT_ONCE run together and HASHES_WAITING wait their turn; one more is refused at once
 * with HashingBusy, before hashing (the sign-in answers 503 with Retry-After).
 */
export const HASHES_AT_ONCE = 2;
export const HASHES_WAITING = 8;

export class HashingBusy extends Error {
  constructor() {
    super('Too many password hashes are waiting; none was computed.');
    this.name = 'HashingBusy';
  }
}

let running = 0;
const waiting: Array<() => void> = [];

async function inTurn<T>(work: () => Promise<T>): Promise<T> {
  if (running < HASHES_AT_ONCE) running += 1;
  else if (waiting.length < HASHES_WAITING) await new Promise<void>((resolve) => waiting.push(resolve));
  else throw new HashingBusy();
  try {
    return await work();
  } finally {
    // The turn goes straight to the next in line, or is given back.
    const next = waiting.shift();
    if (next) next();
    else running -= 1;
  }
}

function scrypt(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  return inTurn(() => scryptNow(password, salt, params));
}

function scryptNow(password: string, salt: Buffer, params: ScryptParams): Promise<Buffer> {
  const N = 2 ** params.ln;
  return new Promise((resolve, reject) =>
    crypto.scrypt(
      password.normalize('NFKC'),
      salt,
      KEY_LENGTH,
      // scrypt needs 128·N·r bytes; node's default ceiling (32 MiB) is below OWASP's parameters.
      { N, r: params.r, p: params.p, maxmem: 256 * N * params.r },
      (error, key) => (error ? reject(error) : resolve(key)),
    ),
  );
}

/** True when `password` may be used: long enough, not absurdly long. */
export function acceptablePassword(password: string): boolean {
  const length = [...password].length;
  return length >= MIN_PASSWORD_LENGTH && length <= MAX_PASSWORD_LENGTH;
}

function parse(stored: string): { params: ScryptParams; salt: Buffer; hash: Buffer } | undefined {
  const match = FORMAT.exec(stored);
  if (!match) return undefined;
  const params = { ln: Number(match[1]), r: Number(match[2]), p: Number(match[3]) };
  if (params.ln < 14 || params.ln > 20 || params.r < 1 || params.r > 16 || params.p < 1) return undefined;
  return {
    params,
    salt: Buffer.from(match[4] ?? '', 'base64url'),
    hash: Buffer.from(match[5] ?? '', 'base64url'),
  };
}

/** True when `stored` is a hash this module made (and could verify against). */
export function isPasswordHash(stored: string): boolean {
  return parse(stored) !== undefined;
}

export async function hashPassword(password: string, params: ScryptParams = DEFAULT_SCRYPT): Promise<string> {
  const salt = crypto.randomBytes(SALT_LENGTH);
  const hash = await scrypt(password, salt, params);
  return `scrypt$ln=${params.ln},r=${params.r},p=${params.p}$${salt.toString('base64url')}$${hash.toString('base64url')}`;
}

/** A hash of nothing: verified against when the account is unknown, so that takes as long as a wrong password. */
let decoy: Promise<string> | undefined;

/**
 * Whether `password` matches `stored` (constant-time comparison). With no stored hash (unknown
 * operator, or no password set) a decoy is verified anyway and the answer is false.
 */
export async function verifyPassword(password: string, stored: string | undefined): Promise<boolean> {
  const parsed = stored === undefined ? undefined : parse(stored);
  if (!parsed) {
    // A decoy refused while busy is made again by the next check.
    decoy ??= hashPassword(crypto.randomBytes(16).toString('base64url')).catch((error: unknown) => {
      decoy = undefined;
      throw error;
    });
    const fallback = parse(await decoy);
    if (fallback) await scrypt(password.slice(0, MAX_PASSWORD_LENGTH), fallback.salt, fallback.params);
    return false;
  }
  if ([...password].length > MAX_PASSWORD_LENGTH) return false;
  const candidate = await scrypt(password, parsed.salt, parsed.params);
  return candidate.length === parsed.hash.length && crypto.timingSafeEqual(candidate, parsed.hash);
}
