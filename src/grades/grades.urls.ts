import dns from 'node:dns';
import net from 'node:net';
import { isPublicAddress, outboundPolicyFor, type OutboundPolicy } from '../lti';
import { errors } from '../shared/errors';

/**
 * Where the AGS client may send a request (and its bearer token). Every URL comes from a launch's
 * AGS claim, our own stored data or the LMS's own `Link` header; still, under the registration
 * fetch's outbound policy (`lti.registration.fetch.ts`): only public addresses, judged after DNS
 * resolution, unless the tool runs on loopback (development, the sandbox and its emulated LMSs) or
 * the operator allowed the host; and in production only https.
 */
export interface LmsUrlPolicy {
  outbound: OutboundPolicy;
  httpsOnly: boolean;
}

/** The policy for the tool's configuration: its PUBLIC_URL, the operator's allowed hosts, production or not. */
export function lmsUrlPolicyFor(config: {
  env: string;
  publicUrl: string;
  registrationAllowedHosts: readonly string[];
}): LmsUrlPolicy {
  return {
    outbound: outboundPolicyFor(config.publicUrl, config.registrationAllowedHosts),
    httpsOnly: config.env === 'production',
  };
}

async function addressesOf(host: string, policy: OutboundPolicy): Promise<string[]> {
  if (net.isIP(host)) return [host];
  if (policy.resolve) return (await policy.resolve(host)).map((entry) => entry.address);
  return (await dns.promises.lookup(host, { all: true, verbatim: true })).map((entry) => entry.address);
}

/** The URL, parsed, when the policy lets the client reach it; else a refusal that names why. */
export async function checkLmsUrl(raw: string, policy: LmsUrlPolicy): Promise<URL> {
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    throw errors.badRequest('The LMS’s grade service URL is not a URL, so nothing was sent.');
  }
  if (url.protocol !== 'https:' && (policy.httpsOnly || url.protocol !== 'http:')) {
    throw errors.badRequest(
      `The LMS’s grade service URL is not https (${url.protocol}), so nothing was sent.`,
    );
  }
  if (url.username || url.password) {
    throw errors.badRequest('The LMS’s grade service URL carries credentials, so nothing was sent.');
  }
  const host = url.hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
  const allowed = policy.outbound.anyAddress || policy.outbound.allowedHosts.some((name) => name === host);
  if (allowed) return url;
  const refused = () =>
    errors.badRequest(
      `The LMS’s grade service (${host}) is a private or local address, so nothing was sent.`,
    );
  if (host === 'localhost' || host.endsWith('.localhost')) throw refused();
  let addresses: string[];
  try {
    addresses = await addressesOf(host, policy.outbound);
  } catch (error) {
    throw errors.gradesLmsUnavailable(`The LMS’s host name ${host} did not resolve.`, error);
  }
  if (addresses.length === 0 || addresses.some((address) => !isPublicAddress(address))) throw refused();
  return url;
}
