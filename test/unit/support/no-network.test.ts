import http from 'node:http';
import net, { type AddressInfo } from 'node:net';
import axios from 'axios';

/**
 * The guard is installed by setup-env.ts for every test file; this file does not import it. Errors
 * come from another realm (Node's own, or the first test file of the worker): compare shapes, not
 * classes.
 */
describe('tests cannot reach the network', () => {
  let server: http.Server;
  let base: string;

  beforeAll(async () => {
    server = http.createServer((_req, res) => res.end('local'));
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });

  async function elapsedAndError(call: () => Promise<unknown>) {
    const started = performance.now();
    const error = await call().then(
      () => undefined,
      (reason: unknown) => reason,
    );
    return { ms: performance.now() - started, error };
  }

  it('when axios asks https://zoom.us, it fails at once naming the host', async () => {
    const { ms, error } = await elapsedAndError(() => axios.get('https://zoom.us/'));
    expect(error).toMatchObject({ message: 'tests may not reach the network: zoom.us:443' });
    expect(ms).toBeLessThan(500);
  });

  it('when fetch asks https://api.zoom.us, it fails at once naming the host', async () => {
    const { ms, error } = await elapsedAndError(() => fetch('https://api.zoom.us/v2/users/me'));
    expect(error).toMatchObject({
      message: 'fetch failed',
      cause: { message: 'tests may not reach the network: api.zoom.us:443' },
    });
    expect(ms).toBeLessThan(500);
  });

  it('when a socket asks for a hostname, it is refused before any DNS lookup', () => {
    const lookup = jest.fn();
    expect(() => net.connect({ host: 'zoom.us', port: 443, lookup })).toThrow(
      'tests may not reach the network: zoom.us:443',
    );
    expect(lookup).not.toHaveBeenCalled();
  });

  it('when a socket asks for an outside IP address, it is refused', () => {
    expect(() => net.connect(80, '93.184.215.14')).toThrow(
      'tests may not reach the network: 93.184.215.14:80',
    );
  });

  it('when axios asks a server on 127.0.0.1, it is answered', async () => {
    const res = await axios.get(base);
    expect(res.data).toBe('local');
  });

  it('when fetch asks a server on 127.0.0.1, it is answered', async () => {
    const res = await fetch(base);
    expect(await res.text()).toBe('local');
  });

  it('when a socket asks for a unix socket path, the guard lets the connection be attempted', async () => {
    const socket = net.connect({ path: '/nonexistent/zoom-lti-test.sock' });
    const error = await new Promise<NodeJS.ErrnoException>((resolve) => socket.on('error', resolve));
    expect(error.code).toBe('ENOENT');
  });

  it.each(['127.0.0.1', '127.10.20.30', 'localhost', 'LOCALHOST', '::1', '::ffff:127.0.0.1'])(
    'when a socket asks for loopback host %s, the guard lets the connection be attempted',
    (host) => {
      const attempt = () => {
        const socket = net.connect({ host, port: 9 });
        socket.on('error', () => undefined);
        socket.destroy();
      };
      expect(attempt).not.toThrow();
    },
  );

  it.each(['10.0.0.1', '0.0.0.0', '::', '128.0.0.1', 'localhost.zoom.us', '127.0.0.1.nip.io'])(
    'when a socket asks for %s, it is refused',
    (host) => {
      expect(() => net.connect({ host, port: 9 })).toThrow(`tests may not reach the network: ${host}:9`);
    },
  );
});
