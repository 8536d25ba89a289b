import crypto, { type KeyObject } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { LmsAuthError, type LmsEmulator } from '../../../../src/sandbox/lms';

/**
 * Test helpers for the LMS emulator suites. JWTs are checked with node:crypto: jose 6 is ESM-only
 * and jest's CommonJS runtime on Node 20 cannot load it.
 */
export interface DecodedToken {
  header: Record<string, unknown>;
  payload: Record<string, unknown>;
  signingInput: string;
  signature: Buffer;
  signatureText: string;
}

export function decodeToken(token: string): DecodedToken {
  const [header = '', payload = '', signature = ''] = token.split('.');
  return {
    header: JSON.parse(Buffer.from(header, 'base64url').toString('utf8')) as Record<string, unknown>,
    payload: JSON.parse(Buffer.from(payload, 'base64url').toString('utf8')) as Record<string, unknown>,
    signingInput: `${header}.${payload}`,
    signature: Buffer.from(signature, 'base64url'),
    signatureText: signature,
  };
}

export interface Jwks {
  keys: { kty: string; n: string; e: string; kid: string; alg: string; use: string }[];
}

/** RS256 verification against a JWKS, keyed by kid: what a tool does with the platform's keys. */
export function verifyWithJwks(token: string, jwks: Jwks): DecodedToken {
  const decoded = decodeToken(token);
  if (decoded.header.alg !== 'RS256') throw new Error(`alg ${String(decoded.header.alg)}`);
  const jwk = jwks.keys.find((key) => key.kid === decoded.header.kid);
  if (!jwk) throw new Error(`kid ${String(decoded.header.kid)} not in JWKS`);
  const key = crypto.createPublicKey({ key: { kty: jwk.kty, n: jwk.n, e: jwk.e }, format: 'jwk' });
  if (!crypto.verify('sha256', Buffer.from(decoded.signingInput), key, decoded.signature)) {
    throw new Error('signature does not verify');
  }
  return decoded;
}

export async function fetchJwks(lms: LmsEmulator): Promise<Jwks> {
  const response = await fetch(lms.jwksUrl);
  return (await response.json()) as Jwks;
}

function rs256(header: Record<string, unknown>, payload: Record<string, unknown>, key: KeyObject): string {
  const input = [header, payload]
    .map((part) => Buffer.from(JSON.stringify(part)).toString('base64url'))
    .join('.');
  return `${input}.${crypto.sign('sha256', Buffer.from(input), key).toString('base64url')}`;
}

/** A throwaway "tool": an RSA key whose public half a tiny local server publishes as a JWKS. */
export interface ToolKeys {
  baseUrl: string;
  jwksUrl: string;
  kid: string;
  sign(payload: Record<string, unknown>, options?: { kid?: string; key?: KeyObject }): string;
  close(): Promise<void>;
}

export async function startToolKeys(): Promise<ToolKeys> {
  const { publicKey, privateKey } = crypto.generateKeyPairSync('rsa', { modulusLength: 2048 });
  const kid = `tool-${crypto.randomBytes(4).toString('hex')}`;
  const jwk = publicKey.export({ format: 'jwk' });
  const body = JSON.stringify({ keys: [{ ...jwk, kid, alg: 'RS256', use: 'sig' }] });
  const server = http.createServer((req, res) => {
    if (req.url === '/lti/keys') res.writeHead(200, { 'content-type': 'application/json' }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const baseUrl = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    baseUrl,
    jwksUrl: `${baseUrl}/lti/keys`,
    kid,
    sign: (payload, options = {}) =>
      rs256({ typ: 'JWT', alg: 'RS256', kid: options.kid ?? kid }, payload, options.key ?? privateKey),
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

export function toolEndpointsAt(baseUrl: string) {
  return {
    loginUrl: `${baseUrl}/lti/login`,
    launchUrl: `${baseUrl}/lti/launch`,
    jwksUrl: `${baseUrl}/lti/keys`,
  };
}

/** The authentication request a tool sends after the LMS's login initiation. */
export function authRequestFor(
  lms: LmsEmulator,
  initiation: Record<string, string>,
  redirectUri: string,
  overrides: Record<string, string | undefined> = {},
): Record<string, string> {
  const request: Record<string, string | undefined> = {
    scope: 'openid',
    response_type: 'id_token',
    response_mode: 'form_post',
    prompt: 'none',
    client_id: lms.clientId,
    redirect_uri: redirectUri,
    login_hint: initiation.login_hint,
    lti_message_hint: initiation.lti_message_hint,
    nonce: crypto.randomBytes(12).toString('hex'),
    state: crypto.randomBytes(12).toString('hex'),
    ...overrides,
  };
  return Object.fromEntries(
    Object.entries(request).filter((entry): entry is [string, string] => entry[1] !== undefined),
  );
}

/** Reads the hidden fields and action of an auto-post form page. */
export function readForm(html: string): { action: string; fields: Record<string, string> } {
  const unescape = (value: string) =>
    value
      .replace(/&quot;/g, '"')
      .replace(/&#39;/g, "'")
      .replace(/&lt;/g, '<')
      .replace(/&gt;/g, '>')
      .replace(/&amp;/g, '&');
  const action = /<form[^>]*action="([^"]*)"/.exec(html)?.[1];
  if (action === undefined) throw new Error('no form in page');
  const fields: Record<string, string> = {};
  for (const match of html.matchAll(/<input type="hidden" name="([^"]*)" value="([^"]*)">/g)) {
    fields[unescape(match[1] ?? '')] = unescape(match[2] ?? '');
  }
  return { action: unescape(action), fields };
}

/** The LmsAuthError a refused authentication request rejects with (failing the test otherwise). */
export async function refusal(promise: Promise<unknown>): Promise<LmsAuthError> {
  const error = await promise.then(
    () => undefined,
    (caught: unknown) => caught,
  );
  expect(error).toBeInstanceOf(LmsAuthError);
  return error as LmsAuthError;
}
