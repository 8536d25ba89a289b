import crypto from 'node:crypto';
import { promisify } from 'node:util';

/** The tool's key pair for one platform, in the PEM forms ltijs stores (SPKI public, PKCS#1 private). */
export interface ToolKeyPair {
  publicKey: string;
  privateKey: string;
}

export type ToolKeyPairSource = () => Promise<ToolKeyPair>;

const generateKeyPair = promisify(crypto.generateKeyPair);

/**
 * The key ltijs would make (RSA-4096), made on libuv's thread pool. ltijs makes it with
 * `generateKeyPairSync`, which holds the event loop for one to two seconds on this machine: every
 * launch and every page of every school would wait while an LMS admin registers the tool.
 */
export const generateToolKeyPair: ToolKeyPairSource = () =>
  generateKeyPair('rsa', {
    modulusLength: 4096,
    publicKeyEncoding: { type: 'spki', format: 'pem' },
    privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
  });
