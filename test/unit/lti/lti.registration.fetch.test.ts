import http from 'node:http';
import type { AddressInfo } from 'node:net';
import {
  guardedFetch,
  OutboundFailure,
  outboundPolicyFor,
  type OutboundPolicy,
  type Resolver,
} from '../../../src/lti/lti.registration.fetch';

/**
 * The registration's requests to URLs an invite holder chose: non-public addresses are refused after
 * resolution, in every spelling; the connection goes to the address checked; no redirect is
 * followed; the body and the time are capped; a failure carries the status, never the body.
 */
describe('the registration’s guarded fetch', () => {
  // The test LMS listens on 127.0.0.2 only: a connection that asked DNS for `localhost` again
  // (127.0.0.1 or ::1) would not reach it, so an answer proves the connection went where the check looked.
  const LMS_ADDRESS = '127.0.0.2';
  let server: http.Server;
  let port = 0;
  const hits: string[] = [];

  beforeAll(async () => {
    server = http.createServer((req, res) => {
      hits.push(req.url ?? '');
      if (req.url === '/ok') return res.end('{"ok":true}');
      if (req.url === '/redirect') {
        res.writeHead(302, { location: `http://${LMS_ADDRESS}:${port}/ok` });
        return res.end();
      }
      if (req.url === '/big') return res.end('x'.repeat(64 * 1024 + 1));
      if (req.url === '/big-chunked') {
        res.writeHead(200, { 'content-type': 'application/json' });
        for (let i = 0; i < 17; i++) res.write('y'.repeat(4096));
        return res.end();
      }
      if (req.url === '/exactly-64k') return res.end('z'.repeat(64 * 1024));
      if (req.url === '/error') {
        res.writeHead(500);
        return res.end('internal secret: db password hunter2');
      }
      // /slow: never answers.
    });
    await new Promise<void>((resolve) => server.listen(0, LMS_ADDRESS, resolve));
    port = (server.address() as AddressInfo).port;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  beforeEach(() => {
    hits.length = 0;
  });

  const PUBLIC = '93.184.216.34';
  /** A tool on a public PUBLIC_URL; every name resolves to a public address unless the table says. */
  const publicTool = (resolve: Resolver = async () => [{ address: PUBLIC, family: 4 }]): OutboundPolicy => ({
    ...outboundPolicyFor('https://tool.example.edu', []),
    resolve,
  });
  /** An LMS the operator allowed by name (`localhost`), which resolves to the test server. */
  const allowedLms = (extra: Partial<OutboundPolicy> = {}): OutboundPolicy => ({
    anyAddress: false,
    allowedHosts: ['localhost'],
    resolve: async () => [{ address: LMS_ADDRESS, family: 4 }],
    ...extra,
  });
  const get = (url: string, policy: OutboundPolicy) =>
    guardedFetch(url, { method: 'GET', headers: { accept: 'application/json' } }, policy);
  const failureOf = async (promise: Promise<unknown>): Promise<OutboundFailure> => {
    const outcome = await promise.then(
      () => undefined,
      (error: unknown) => error,
    );
    if (!(outcome instanceof OutboundFailure)) throw new Error(`expected a failure, got ${String(outcome)}`);
    return outcome;
  };

  it.each([
    'http://localhost/',
    'http://LOCALHOST./',
    'http://app.localhost/',
    'http://[::1]/',
    'http://127.0.0.1/',
    'http://127.1/',
    'http://2130706433/',
    'http://0x7f000001/',
    'http://0177.0.0.1/',
    'http://[::ffff:127.0.0.1]/',
    'http://[0:0:0:0:0:ffff:7f00:1]/',
    'http://10.0.0.1/',
    'http://172.16.5.4/',
    'http://192.168.1.1/',
    'http://100.64.0.1/',
    'http://169.254.169.254/latest/meta-data/',
    'http://[fe80::1]/',
    'http://[fc00::1]/',
    'http://[fd12:3456::1]/',
    'http://224.0.0.1/',
    'http://[ff02::1]/',
    'http://0.0.0.0/',
    'http://0/',
    'http://[::]/',
    'http://255.255.255.255/',
    'http://[::ffff:10.0.0.1]/',
    'http://[::ffff:169.254.169.254]/',
    'https://127.0.0.1:8443/',
  ])('with a public PUBLIC_URL, %s is refused before any connection', async (url) => {
    const resolve = jest.fn<ReturnType<Resolver>, Parameters<Resolver>>(async () => [
      { address: PUBLIC, family: 4 },
    ]);
    const failure = await failureOf(get(url, publicTool(resolve)));
    expect(failure.kind).toBe('address_refused');
    // An address written as a number is never handed to DNS (nor is `localhost`).
    expect(resolve).not.toHaveBeenCalled();
  });

  it.each([
    ['a private address', [{ address: '10.1.2.3', family: 4 }]],
    ['loopback', [{ address: '127.0.0.1', family: 4 }]],
    ['the cloud metadata address', [{ address: '169.254.169.254', family: 4 }]],
    ['a unique-local IPv6 address', [{ address: 'fd00::5', family: 6 }]],
    ['an IPv4-mapped loopback', [{ address: '::ffff:127.0.0.1', family: 6 }]],
    [
      'a public and a private address',
      [
        { address: PUBLIC, family: 4 },
        { address: '192.168.0.10', family: 4 },
      ],
    ],
  ])('a name that resolves to %s is refused', async (_name, addresses) => {
    const failure = await failureOf(
      get(
        'https://lms.attacker.example/config',
        publicTool(async () => addresses),
      ),
    );
    expect(failure.kind).toBe('address_refused');
  });

  it('connects to the address it resolved and checked, resolving once (no second lookup to rebind)', async () => {
    const resolve = jest.fn<ReturnType<Resolver>, Parameters<Resolver>>(async () => [
      { address: LMS_ADDRESS, family: 4 },
    ]);
    await expect(get(`http://localhost:${port}/ok`, allowedLms({ resolve }))).resolves.toBe('{"ok":true}');
    expect(resolve).toHaveBeenCalledTimes(1);
    expect(hits).toEqual(['/ok']);
  });

  it('with a loopback PUBLIC_URL (development, the sandbox), loopback LMSs are reached', async () => {
    for (const publicUrl of ['http://localhost:3000', 'http://127.0.0.1:3000', 'http://[::1]:3000']) {
      await expect(get(`http://${LMS_ADDRESS}:${port}/ok`, outboundPolicyFor(publicUrl, []))).resolves.toBe(
        '{"ok":true}',
      );
    }
    expect(outboundPolicyFor('https://tool.example.edu', []).anyAddress).toBe(false);
  });

  it('follows no redirect: a redirect to a private address is a failure with its status, and nothing is fetched there', async () => {
    const failure = await failureOf(get(`http://localhost:${port}/redirect`, allowedLms()));
    expect(failure).toMatchObject({ kind: 'status', status: 302 });
    expect(hits).toEqual(['/redirect']);
  });

  it.each(['/big', '/big-chunked'])('an answer over 64 KiB (%s) is refused', async (path) => {
    const failure = await failureOf(get(`http://localhost:${port}${path}`, allowedLms()));
    expect(failure.kind).toBe('too_large');
  });

  it('an answer of exactly 64 KiB is read', async () => {
    await expect(get(`http://localhost:${port}/exactly-64k`, allowedLms())).resolves.toHaveLength(64 * 1024);
  });

  it('an answer slower than the time limit is a timeout', async () => {
    const failure = await failureOf(get(`http://localhost:${port}/slow`, allowedLms({ timeoutMs: 100 })));
    expect(failure.kind).toBe('timeout');
  });

  it('a resolution slower than the time limit is a timeout too', async () => {
    const never: Resolver = () => new Promise(() => undefined);
    const failure = await failureOf(
      get('https://lms.slow-dns.example/', { ...publicTool(never), timeoutMs: 100 }),
    );
    expect(failure.kind).toBe('timeout');
  });

  it('a non-2xx answer carries its status only, never its body', async () => {
    const failure = await failureOf(get(`http://localhost:${port}/error`, allowedLms()));
    expect(failure).toMatchObject({ kind: 'status', status: 500 });
    expect(JSON.stringify({ ...failure, message: failure.message })).not.toContain('hunter2');
  });
});
