import crypto, { type KeyObject } from 'node:crypto';
import { jwtHeaderSchema, remoteJwksSchema } from './lms.schema';
import type { Tamper } from './lms.types';

/**
 * Keys and JWTs, on node:crypto alone (jose 6 is ESM-only and cannot load in jest's CommonJS
 * runtime). Compact JWS is small enough to build by hand, which the tamper modes need anyway.
 */
export interface SigningKey {
  kid: string;
  privateKey: KeyObject;
  publicKey: KeyObject;
}

export interface PublicJwk {
  kty: string;
  n: string;
  e: string;
  kid: string;
  alg: 'RS256';
  use: 'sig';
}

export interface DecodedJwt {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
}

/** A JWT that could not be decoded or verified; `reason` says which check failed. */
export class JwtError extends Error {
  constructor(readonly reason: string) {
    super(reason);
    this.name = 'JwtError';
  }
}

export function base64urlJson(value: unknown): string {
  return Buffer.from(JSON.stringify(value)).toString('base64url');
}

function generateRsaKey(kid: string): Promise<SigningKey> {
  return new Promise((resolve, reject) => {
    crypto.generateKeyPair('rsa', { modulusLength: 2048 }, (error, publicKey, privateKey) => {
      if (error) reject(error);
      else resolve({ kid, publicKey, privateKey });
    });
  });
}

export function signRs256(header: Record<string, unknown>, payload: unknown, key: KeyObject): string {
  const signingInput = `${base64urlJson(header)}.${base64urlJson(payload)}`;
  return `${signingInput}.${crypto.sign('sha256', Buffer.from(signingInput), key).toString('base64url')}`;
}

export function signHs256(
  header: Record<string, unknown>,
  payload: unknown,
  secret: string | Buffer,
): string {
  const signingInput = `${base64urlJson(header)}.${base64urlJson(payload)}`;
  return `${signingInput}.${crypto.createHmac('sha256', secret).update(signingInput).digest('base64url')}`;
}

function parseJsonObject(part: string, what: string): Record<string, unknown> {
  try {
    const value: unknown = JSON.parse(Buffer.from(part, 'base64url').toString('utf8'));
    if (value && typeof value === 'object' && !Array.isArray(value)) return value as Record<string, unknown>;
  } catch {
    // fall through
  }
  throw new JwtError(`the JWT ${what} is not a JSON object`);
}

export function decodeJwt(token: string): DecodedJwt {
  const parts = token.split('.');
  if (parts.length !== 3) throw new JwtError('not a compact JWT (three dot-separated parts)');
  const [header, payload, signature] = parts as [string, string, string];
  return {
    header: parseJsonObject(header, 'header'),
    payload: parseJsonObject(payload, 'payload'),
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url'),
  };
}

/** The platform's signing keys: the newest signs, all stay published (rotation keeps old kids). */
export class KeyStore {
  private readonly keys: Promise<SigningKey[]>;
  private foreign?: Promise<SigningKey>;
  private readonly kids: string[] = [];
  private ready?: SigningKey[];

  constructor(private readonly newKid: (existing: readonly string[]) => string) {
    this.keys = generateRsaKey(this.claimKid()).then((key) => (this.ready = [key]));
    this.keys.catch(() => undefined); // surfaced on first use
  }

  /** Signs RS256 with the current key at once; the key must have been generated (after start()). */
  signNow(claims: Record<string, unknown>): string {
    const key = this.ready?.[this.ready.length - 1];
    if (!key) throw new Error('LMS emulator: its signing key is ready once start() has resolved');
    return signRs256({ typ: 'JWT', alg: 'RS256', kid: key.kid }, claims, key.privateKey);
  }

  private claimKid(): string {
    const kid = this.newKid(this.kids);
    this.kids.push(kid);
    return kid;
  }

  async current(): Promise<SigningKey> {
    const keys = await this.keys;
    return keys[keys.length - 1] as SigningKey;
  }

  async rotate(): Promise<void> {
    const keys = await this.keys;
    keys.push(await generateRsaKey(this.claimKid()));
  }

  async jwks(): Promise<{ keys: PublicJwk[] }> {
    const keys = await this.keys;
    return {
      keys: keys.map(({ kid, publicKey }) => {
        const jwk = publicKey.export({ format: 'jwk' });
        return { kty: String(jwk.kty), n: String(jwk.n), e: String(jwk.e), kid, alg: 'RS256', use: 'sig' };
      }),
    };
  }

  /** Signs an id token the way the platform does, or broken in one of the tamper modes. */
  async sign(claims: Record<string, unknown>, tamper: Pick<Tamper, 'header' | 'sign'> = {}): Promise<string> {
    const key = await this.current();
    let header: Record<string, unknown> = { typ: 'JWT', alg: 'RS256', kid: key.kid };
    if (tamper.sign === 'none') header.alg = 'none';
    if (tamper.sign === 'hs256-with-public-key') header.alg = 'HS256';
    if (tamper.sign === 'unknown-kid') header.kid = `unknown-${crypto.randomBytes(6).toString('hex')}`;
    header = tamper.header?.(header) ?? header;

    switch (tamper.sign) {
      case 'none':
        return `${base64urlJson(header)}.${base64urlJson(claims)}.`;
      case 'hs256-with-public-key':
        return signHs256(header, claims, key.publicKey.export({ type: 'spki', format: 'pem' }).toString());
      case 'foreign-key':
        this.foreign ??= generateRsaKey(key.kid);
        return signRs256(header, claims, (await this.foreign).privateKey);
      default:
        return signRs256(header, claims, key.privateKey);
    }
  }
}

/**
 * Verifies an RS256 JWT the tool signed, against the tool's JWKS fetched now (so a rotated tool
 * key is picked up at once). Checks only the signature; callers check the claims.
 */
export async function verifyWithRemoteJwks(token: string, jwksUrl: string): Promise<DecodedJwt> {
  const decoded = decodeJwt(token);
  const header = jwtHeaderSchema.safeParse(decoded.header);
  if (!header.success) throw new JwtError('the JWT header has no alg');
  if (header.data.alg !== 'RS256') throw new JwtError(`alg ${header.data.alg} is not accepted (RS256 only)`);
  if (!header.data.kid) throw new JwtError('the JWT header has no kid');

  let body: unknown;
  try {
    const response = await fetch(jwksUrl, { signal: AbortSignal.timeout(5000) });
    if (!response.ok) throw new JwtError(`the tool's JWKS answered HTTP ${response.status}`);
    body = await response.json();
  } catch (error) {
    if (error instanceof JwtError) throw error;
    throw new JwtError(`the tool's JWKS could not be fetched from ${jwksUrl}`);
  }
  const jwks = remoteJwksSchema.safeParse(body);
  if (!jwks.success) throw new JwtError("the tool's JWKS is not a JSON Web Key Set");
  const jwk = jwks.data.keys.find((candidate) => candidate.kid === header.data.kid);
  if (!jwk) throw new JwtError(`kid ${header.data.kid} is not in the tool's JWKS`);

  let publicKey: KeyObject;
  try {
    publicKey = crypto.createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
  } catch {
    throw new JwtError(`the tool's key ${header.data.kid} is not a usable RSA key`);
  }
  if (!crypto.verify('sha256', Buffer.from(decoded.signingInput), publicKey, decoded.signature)) {
    throw new JwtError('the JWT signature does not verify with the tool key');
  }
  return decoded;
}
