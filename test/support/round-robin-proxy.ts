import http from 'node:http';

/** One request the proxy forwarded: which instance (index into the targets) answered it, and how. */
export interface ProxyLogEntry {
  seq: number;
  method: string;
  /** The path without its query (a query may carry an ltik). */
  path: string;
  instance: number;
  /** The instance's status, 502 when it could not be reached. */
  status: number | null;
}

export interface RoundRobinProxy {
  /** Where the proxy listens: the tool's PUBLIC_URL. */
  url: string;
  /** The instances to forward to (they may start after the proxy, which must know its URL first). */
  setTargets(targets: string[]): void;
  log(): ProxyLogEntry[];
  /** With `dropCookies`: how many answers had their `Set-Cookie` headers dropped. */
  droppedCookies(): number;
  clearLog(): void;
  close(): Promise<void>;
}

/**
 * A load balancer in front of several instances of the tool (tests only): each request goes to the
 * next instance in turn, with its method, path, query, headers (Host included) and body unchanged, and the answer
 * comes back unchanged. Every forwarded request is logged with the instance that answered it.
 */
export async function startRoundRobinProxy(
  options: {
    targets?: string[];
    host?: string;
    /** A browser that keeps no cookie of the tool: no `Cookie` goes in, no `Set-Cookie` comes out. */
    dropCookies?: boolean;
  } = {},
): Promise<RoundRobinProxy> {
  let upstreams = (options.targets ?? []).map((target) => new URL(target));
  const agent = new http.Agent({ keepAlive: true, maxSockets: 64 });
  const entries: ProxyLogEntry[] = [];
  let turn = 0;
  let seq = 0;
  let dropped = 0;
  const withoutCookie = (headers: http.IncomingHttpHeaders): http.IncomingHttpHeaders => {
    const { cookie: _dropped, ...rest } = headers;
    return rest;
  };
  const withoutCookies = (raw: string[]): string[] => {
    const kept: string[] = [];
    for (let i = 0; i + 1 < raw.length; i += 2) {
      if ((raw[i] as string).toLowerCase() === 'set-cookie') continue;
      kept.push(raw[i] as string, raw[i + 1] as string);
    }
    if (kept.length !== raw.length) dropped += 1;
    return kept;
  };

  const server = http.createServer((req, res) => {
    if (upstreams.length === 0) {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('no instance behind the proxy yet');
      return;
    }
    const instance = turn % upstreams.length;
    turn += 1;
    seq += 1;
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const entry: ProxyLogEntry = {
      seq,
      method: req.method ?? 'GET',
      path: query >= 0 ? url.slice(0, query) : url,
      instance,
      status: null,
    };
    entries.push(entry);
    const upstream = upstreams[instance] as URL;
    const forwarded = http.request(
      {
        host: upstream.hostname,
        port: upstream.port,
        method: req.method,
        path: url,
        headers: options.dropCookies ? withoutCookie(req.headers) : req.headers,
        agent,
      },
      (answer) => {
        entry.status = answer.statusCode ?? null;
        const headers = options.dropCookies ? withoutCookies(answer.rawHeaders) : answer.rawHeaders;
        res.writeHead(answer.statusCode ?? 502, answer.statusMessage, headers);
        answer.pipe(res);
      },
    );
    forwarded.on('error', (error) => {
      entry.status = 502;
      if (res.headersSent) {
        res.destroy(error);
        return;
      }
      res.writeHead(502, { 'content-type': 'text/plain' });
      res.end(`instance ${instance} could not be reached: ${error.message}`);
    });
    req.pipe(forwarded);
  });

  const host = options.host ?? '127.0.0.1';
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  const address = server.address();
  const port = typeof address === 'object' && address ? address.port : 0;
  return {
    url: `http://${host}:${port}`,
    setTargets: (targets) => {
      upstreams = targets.map((target) => new URL(target));
    },
    log: () => entries.map((logged) => ({ ...logged })),
    droppedCookies: () => dropped,
    clearLog: () => {
      entries.length = 0;
    },
    close: async () => {
      server.closeAllConnections();
      agent.destroy();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
