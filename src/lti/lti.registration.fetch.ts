import dns from 'node:dns';
import http from 'node:http';
import https from 'node:https';
import net from 'node:net';
import ipaddr from 'ipaddr.js';

/**
 * The tool's requests to URLs an outsider chose: a dynamic registration reads the configuration URL
 * the registration link was opened with, then posts to the endpoint that configuration names. The
 * rules, which the code below keeps:
 * - Only public unicast addresses are reached, judged after DNS resolution: when a name resolves to
 *   any loopback, private (RFC 1918), CGNAT (100.64/10), link-local, unique-local, multicast,
 *   unspecified, broadcast or reserved address (an IPv4-mapped IPv6 address judged as its IPv4 one),
 *   nothing is sent. `localhost` is refused by name. Every spelling of an address (`127.1`,
 *   `2130706433`, `0x7f000001`, `0177.0.0.1`, `[::ffff:127.0.0.1]`) is read as the URL parser reads it.
 * - The connection goes to the address that was checked (the lookup is pinned), so a name that
 *   resolves elsewhere a moment later (DNS rebinding) is never reached.
 * - Exceptions: any address when the tool itself runs on loopback (development and the sandbox, whose
 *   emulated LMSs live there), and the hosts the operator names (`REGISTRATION_ALLOWED_HOSTS`).
 * - No redirect is followed: a 3xx answer is a failure like any other non-2xx.
 * - At most `maxBodyBytes` of an answer are read, and the whole exchange (resolution, connection,
 *   answer) takes at most `timeoutMs`.
 * - A failure says its kind and the HTTP status, never the answer's body.
 */
export const MAX_BODY_BYTES = 64 * 1024;
export const TIMEOUT_MS = 5_000;

export interface ResolvedAddress {
  address: string;
  family: number;
}

/** Every address a host name resolves to (tests inject one; the default asks the system resolver). */
export type Resolver = (hostname: string) => Promise<ResolvedAddress[]>;

export interface OutboundPolicy {
  /** Every address may be reached: the tool's own PUBLIC_URL is loopback (development, sandbox). */
  anyAddress: boolean;
  /** Host names the operator allows whatever they resolve to (still pinned to what was resolved). */
  allowedHosts: readonly string[];
  resolve?: Resolver;
  timeoutMs?: number;
  maxBodyBytes?: number;
}

export type OutboundFailureKind = 'address_refused' | 'unreachable' | 'timeout' | 'too_large' | 'status';

export class OutboundFailure extends Error {
  constructor(
    readonly kind: OutboundFailureKind,
    /** The HTTP status, when the failure is an answer that was not 2xx. */
    readonly status?: number,
  ) {
    super(status === undefined ? kind : `${kind} ${status}`);
    this.name = 'OutboundFailure';
  }
}

/** Whether an address is public unicast (an IPv4-mapped IPv6 address is judged as its IPv4 one). */
export function isPublicAddress(address: string): boolean {
  if (!ipaddr.isValid(address)) return false;
  return ipaddr.process(address).range() === 'unicast';
}

/** The policy for a tool answering at `publicUrl`, with the hosts the operator allowed. */
export function outboundPolicyFor(publicUrl: string, allowedHosts: readonly string[]): OutboundPolicy {
  const host = bare(new URL(publicUrl).hostname);
  const loopback =
    isLocalhostName(host) || (ipaddr.isValid(host) && ipaddr.process(host).range() === 'loopback');
  return { anyAddress: loopback, allowedHosts };
}

const systemResolver: Resolver = (hostname) => dns.promises.lookup(hostname, { all: true, verbatim: true });

/** `[::1]` → `::1`; `example.edu.` → `example.edu`; lower case. */
function bare(hostname: string): string {
  return hostname
    .replace(/^\[(.*)\]$/, '$1')
    .replace(/\.$/, '')
    .toLowerCase();
}

function isLocalhostName(host: string): boolean {
  return host === 'localhost' || host.endsWith('.localhost');
}

/** The one address the request will connect to, after the checks. */
async function addressOf(host: string, policy: OutboundPolicy): Promise<ResolvedAddress> {
  const named = policy.allowedHosts.some((allowed) => bare(allowed) === host);
  const checked = !policy.anyAddress && !named;
  if (checked && isLocalhostName(host)) throw new OutboundFailure('address_refused');
  let addresses: ResolvedAddress[];
  if (net.isIP(host)) {
    addresses = [{ address: host, family: net.isIP(host) }];
  } else {
    try {
      addresses = await (policy.resolve ?? systemResolver)(host);
    } catch {
      throw new OutboundFailure('unreachable');
    }
  }
  const first = addresses[0];
  if (!first) throw new OutboundFailure('unreachable');
  if (checked && addresses.some((candidate) => !isPublicAddress(candidate.address))) {
    throw new OutboundFailure('address_refused');
  }
  return first;
}

/**
 * One request under the rules above: the answer's body as text when the status is 2xx, else an
 * `OutboundFailure`.
 */
export async function guardedFetch(
  rawUrl: string,
  request: { method: 'GET' | 'POST'; headers: Record<string, string>; body?: string },
  policy: OutboundPolicy,
): Promise<string> {
  const url = new URL(rawUrl);
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new OutboundFailure('address_refused');
  const host = bare(url.hostname);
  const maxBodyBytes = policy.maxBodyBytes ?? MAX_BODY_BYTES;
  const timeoutMs = policy.timeoutMs ?? TIMEOUT_MS;

  return new Promise<string>((resolve, reject) => {
    let outgoing: http.ClientRequest | undefined;
    let settled = false;
    const settle = (outcome: { text: string } | OutboundFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      outgoing?.destroy();
      if (outcome instanceof OutboundFailure) reject(outcome);
      else resolve(outcome.text);
    };
    const timer = setTimeout(() => settle(new OutboundFailure('timeout')), timeoutMs);

    addressOf(host, policy).then(
      (target) => {
        if (settled) return;
        const transport = url.protocol === 'https:' ? https : http;
        outgoing = transport.request(
          {
            hostname: host,
            port: url.port || undefined,
            path: `${url.pathname}${url.search}`,
            method: request.method,
            headers: request.headers,
            agent: false,
            // TLS names the host, never the address (a certificate is for the name).
            ...(net.isIP(host) ? {} : { servername: host }),
            // The connection goes to the address checked above, whatever DNS says now.
            lookup: (_hostname, options, callback) => {
              if ((options as { all?: boolean }).all) {
                (callback as unknown as (error: null, all: ResolvedAddress[]) => void)(null, [target]);
              } else {
                callback(null, target.address, target.family);
              }
            },
          },
          (answer) => {
            const status = answer.statusCode ?? 0;
            if (status < 200 || status > 299) return settle(new OutboundFailure('status', status));
            if (Number(answer.headers['content-length'] ?? 0) > maxBodyBytes) {
              return settle(new OutboundFailure('too_large'));
            }
            const chunks: Buffer[] = [];
            let size = 0;
            answer.on('data', (chunk: Buffer) => {
              size += chunk.length;
              if (size > maxBodyBytes) return settle(new OutboundFailure('too_large'));
              chunks.push(chunk);
            });
            answer.on('end', () => settle({ text: Buffer.concat(chunks).toString('utf8') }));
            answer.on('error', () => settle(new OutboundFailure('unreachable')));
          },
        );
        outgoing.on('error', () => settle(new OutboundFailure('unreachable')));
        outgoing.end(request.body);
      },
      (error: unknown) =>
        settle(error instanceof OutboundFailure ? error : new OutboundFailure('unreachable')),
    );
  });
}
