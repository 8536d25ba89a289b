import crypto from 'node:crypto';
import request from 'supertest';
import { createLmsEmulator, type LmsEmulator, type LmsProfileName } from '../../../../src/sandbox/lms';
import { decodeToken, fetchJwks, toolEndpointsAt, verifyWithJwks } from './lms.helpers';

const profiles: LmsProfileName[] = ['moodle', 'canvas'];

describe.each(profiles)('%s emulator keys', (profile) => {
  let lms: LmsEmulator;

  beforeAll(async () => {
    lms = createLmsEmulator({ profile, tool: toolEndpointsAt('http://localhost:3999') });
    await lms.start();
  });
  afterAll(() => lms.stop());

  const jwksPath = profile === 'moodle' ? '/mod/lti/certs.php' : '/api/lti/security/jwks';

  it(`serves a JWKS of RS256 signing keys at ${jwksPath}`, async () => {
    expect(lms.jwksUrl).toBe(`${lms.baseUrl}${jwksPath}`);
    const response = await request(lms.app).get(jwksPath).expect(200).expect('content-type', /json/);
    expect(response.body.keys).toHaveLength(1);
    const [key] = response.body.keys;
    expect(Object.keys(key).sort()).toEqual(['alg', 'e', 'kid', 'kty', 'n', 'use']);
    expect(key).toMatchObject({ kty: 'RSA', alg: 'RS256', use: 'sig', e: 'AQAB' });
    expect(Buffer.from(key.n, 'base64url')).toHaveLength(256); // 2048-bit modulus
    if (profile === 'canvas') expect(key.kid).toMatch(/^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
    else expect(key.kid).toMatch(/^[A-Za-z0-9]{15}$/);
  });

  it('signs id tokens with RS256 and the kid of its current key', async () => {
    const token = await lms.signIdToken({ hello: 'world' });
    const verified = verifyWithJwks(token, await fetchJwks(lms));
    expect(verified.header).toEqual({ typ: 'JWT', alg: 'RS256', kid: (await fetchJwks(lms)).keys[0]?.kid });
    expect(verified.payload).toEqual({ hello: 'world' });
  });

  it("with tamper sign 'none', the token has alg none and an empty signature", async () => {
    const token = await lms.signIdToken({ a: 1 }, { sign: 'none' });
    expect(token.endsWith('.')).toBe(true);
    const decoded = decodeToken(token);
    expect(decoded.header.alg).toBe('none');
    expect(decoded.signatureText).toBe('');
    expect(decoded.payload).toEqual({ a: 1 });
  });

  it("with tamper sign 'hs256-with-public-key', the token is an HMAC keyed with the public key PEM", async () => {
    const jwks = await fetchJwks(lms);
    const jwk = jwks.keys[0]!;
    const token = await lms.signIdToken({ a: 1 }, { sign: 'hs256-with-public-key' });
    const decoded = decodeToken(token);
    expect(decoded.header).toMatchObject({ alg: 'HS256', kid: jwk.kid });
    const pem = crypto
      .createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' })
      .export({ type: 'spki', format: 'pem' })
      .toString();
    const mac = crypto.createHmac('sha256', pem).update(decoded.signingInput).digest('base64url');
    expect(decoded.signatureText).toBe(mac);
  });

  it("with tamper sign 'unknown-kid', the RS256 signature is real but the kid is not in the JWKS", async () => {
    const jwks = await fetchJwks(lms);
    const token = await lms.signIdToken({ a: 1 }, { sign: 'unknown-kid' });
    const decoded = decodeToken(token);
    expect(decoded.header.alg).toBe('RS256');
    expect(jwks.keys.map((key) => key.kid)).not.toContain(decoded.header.kid);
    expect(() => verifyWithJwks(token, jwks)).toThrow(/not in JWKS/);
    const withRealKid = { keys: jwks.keys.map((key) => ({ ...key, kid: String(decoded.header.kid) })) };
    expect(verifyWithJwks(token, withRealKid).payload).toEqual({ a: 1 });
  });

  it("with tamper sign 'foreign-key', the kid is real but the signature is from a key not in the JWKS", async () => {
    const jwks = await fetchJwks(lms);
    const token = await lms.signIdToken({ a: 1 }, { sign: 'foreign-key' });
    expect(decodeToken(token).header).toMatchObject({ alg: 'RS256', kid: jwks.keys[0]!.kid });
    expect(() => verifyWithJwks(token, jwks)).toThrow(/signature does not verify/);
  });

  it('lets a tamper header function rewrite the header before signing', async () => {
    const token = await lms.signIdToken(
      { a: 1 },
      { header: (header) => ({ ...header, typ: 'at+jwt', x: 1 }) },
    );
    expect(verifyWithJwks(token, await fetchJwks(lms)).header).toMatchObject({ typ: 'at+jwt', x: 1 });
  });

  it('after rotateKey, signs with a new kid and keeps the old key in the JWKS', async () => {
    const before = await fetchJwks(lms);
    const oldToken = await lms.signIdToken({ n: 1 });
    await lms.rotateKey();
    const after = await fetchJwks(lms);
    expect(after.keys).toHaveLength(before.keys.length + 1);
    expect(after.keys.map((key) => key.kid)).toEqual(
      expect.arrayContaining(before.keys.map((key) => key.kid)),
    );
    const newToken = await lms.signIdToken({ n: 2 });
    const newKid = decodeToken(newToken).header.kid;
    expect(before.keys.map((key) => key.kid)).not.toContain(newKid);
    expect(verifyWithJwks(newToken, after).payload).toEqual({ n: 2 });
    expect(verifyWithJwks(oldToken, after).payload).toEqual({ n: 1 });
  });
});
