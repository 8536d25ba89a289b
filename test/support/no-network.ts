import net from 'node:net';

/**
 * Tests never reach the network: Zoom is the simulator and the LMS is the emulator, both on
 * loopback. Every TCP connection in Node (http, https, axios, fetch/undici, pg, tls) goes through
 * `net.Socket.prototype.connect`; a connection to anything but loopback or a unix socket throws there
 * at once, naming the host, before any DNS lookup. Loaded by setup-env.ts in every test worker;
 * patching twice is a no-op.
 */
const PATCHED = Symbol.for('zoom-lti.test.no-network');

type ConnectTarget = { host?: unknown; port?: unknown; path?: unknown };

/** The connect arguments as Node accepts them: (options), ([options, cb]) as normalised by net.connect, (port, host), (path). */
function targetOf(args: unknown[]): ConnectTarget {
  const first = Array.isArray(args[0]) ? (args[0] as unknown[])[0] : args[0];
  if (typeof first === 'object' && first !== null) return first as ConnectTarget;
  if (typeof first === 'string' && !/^\d+$/.test(first)) return { path: first };
  return { port: first, host: args[1] };
}

function isLoopback(host: string): boolean {
  const name = host.replace(/^\[(.*)\]$/, '$1').toLowerCase();
  if (name === 'localhost' || name === '::1') return true;
  const v4 = name.startsWith('::ffff:') ? name.slice('::ffff:'.length) : name;
  return net.isIPv4(v4) && v4.startsWith('127.');
}

const socketPrototype = net.Socket.prototype as net.Socket & { [PATCHED]?: true };
if (!socketPrototype[PATCHED]) {
  const connect = socketPrototype.connect;
  socketPrototype.connect = function guardedConnect(this: net.Socket, ...args: unknown[]) {
    const { host, port, path } = targetOf(args);
    const name = typeof host === 'string' && host !== '' ? host : 'localhost';
    if (typeof path === 'string' || isLoopback(name)) {
      return (connect as (...a: unknown[]) => net.Socket).apply(this, args);
    }
    throw Object.assign(new Error(`tests may not reach the network: ${name}:${String(port)}`), {
      code: 'ENETUNREACH',
    });
  } as typeof connect;
  socketPrototype[PATCHED] = true;
}
