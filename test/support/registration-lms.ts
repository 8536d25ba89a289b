import http from 'node:http';
import type { AddressInfo } from 'node:net';

/**
 * A hand-made LMS for dynamic registration's bad cases (the emulator in src/sandbox/lms behaves):
 * its configuration may claim any issuer, and any path may answer with any status, body or delay.
 * Listens on 127.0.0.1; records every request it got.
 */
export interface RegistrationLms {
  url: string;
  /** `${url}/openid-configuration`. */
  configurationUrl: string;
  hits: { method: string; path: string; authorization: string | undefined }[];
  /** What the configuration says (issuer defaults to the server's own URL). */
  configure(configuration: { issuer?: string }): void;
  /** Replaces the answer of one path (`/openid-configuration`, `/register`). */
  answer(path: string, reply: (res: http.ServerResponse) => void): void;
  /** Back to the default answers and issuer. */
  reset(): void;
  close(): Promise<void>;
}

export async function startRegistrationLms(): Promise<RegistrationLms> {
  const replies = new Map<string, (res: http.ServerResponse) => void>();
  const hits: RegistrationLms['hits'] = [];
  let issuer: string | undefined;
  let url = '';
  const server = http.createServer((req, res) => {
    const path = (req.url ?? '').split('?')[0] ?? '';
    hits.push({ method: req.method ?? '', path, authorization: req.headers.authorization });
    req.resume();
    const reply = replies.get(path);
    if (reply) return reply(res);
    res.setHeader('content-type', 'application/json');
    if (path === '/openid-configuration') {
      return res.end(
        JSON.stringify({
          issuer: issuer ?? url,
          authorization_endpoint: `${url}/auth`,
          token_endpoint: `${url}/token`,
          jwks_uri: `${url}/jwks`,
          registration_endpoint: `${url}/register`,
        }),
      );
    }
    if (path === '/register') {
      return res.end(
        JSON.stringify({
          client_id: `client-${hits.length}`,
          'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: '1' },
        }),
      );
    }
    res.statusCode = 404;
    res.end('{}');
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return {
    url,
    configurationUrl: `${url}/openid-configuration`,
    hits,
    configure(configuration) {
      issuer = configuration.issuer;
    },
    answer(path, reply) {
      replies.set(path, reply);
    },
    reset() {
      replies.clear();
      issuer = undefined;
    },
    async close() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}
