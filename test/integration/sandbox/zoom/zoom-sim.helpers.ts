import http from 'node:http';
import type { AddressInfo } from 'node:net';
import request from 'supertest';
import { createZoomSimulator, fixedClock } from '../../../../src/sandbox/zoom';
import type {
  CreateAccountInput,
  CreateAppInput,
  ZoomSimulator,
  ZoomSimulatorOptions,
} from '../../../../src/sandbox/zoom';

/** Test support for the Zoom simulator: a frozen clock, an installed app per account, a webhook receiver. */

/** Monday 2030-01-07 09:00:00 UTC. */
export const T0 = Date.parse('2030-01-07T09:00:00Z');

export async function startSimulator(options: ZoomSimulatorOptions = {}): Promise<ZoomSimulator> {
  const sim = createZoomSimulator({ clock: fixedClock(T0), ...options });
  await sim.start();
  return sim;
}

export interface Tenant {
  account_id: string;
  admin_email: string;
  client_id: string;
  client_secret: string;
  webhook_secret_token: string;
  token: string;
  refresh_token: string | undefined;
}

/** An account with an OAuth app installed by its admin (tokens minted without the browser dance). */
export async function tenant(
  sim: ZoomSimulator,
  account: CreateAccountInput = { plan: 'pro' },
  app: Partial<CreateAppInput> = {},
): Promise<Tenant> {
  const { account_id, admin_email } = await sim.createAccount(account);
  const creds = await sim.createApp({
    kind: 'oauth',
    redirect_uri: 'https://tool.example/zoom/callback',
    ...app,
  });
  const tokens = sim.issueTokens(creds.client_id, account_id);
  return {
    account_id,
    admin_email,
    ...creds,
    token: tokens.access_token,
    refresh_token: tokens.refresh_token,
  };
}

type Method = 'get' | 'post' | 'patch' | 'delete';

/** A supertest call to the API with a bearer token. */
export function api(sim: ZoomSimulator, token: string, method: Method, path: string, body?: object) {
  const call = request(sim.app)[method](`/v2${path}`).set('Authorization', `Bearer ${token}`);
  return body === undefined ? call : call.send(body);
}

export function basic(clientId: string, secret: string): string {
  return `Basic ${Buffer.from(`${clientId}:${secret}`).toString('base64')}`;
}

export async function createUser(
  sim: ZoomSimulator,
  t: Tenant,
  email: string,
  type: 1 | 2 = 2,
  action = 'autoCreate',
) {
  const res = await api(sim, t.token, 'post', '/users', {
    action,
    user_info: { email, type, first_name: 'Test', last_name: 'User' },
  });
  if (res.status !== 201) throw new Error(`user create failed: ${res.status} ${JSON.stringify(res.body)}`);
  return res.body as { id: string; email: string };
}

export interface ReceivedHook {
  headers: http.IncomingHttpHeaders;
  raw: string;
  body: { event: string; payload: Record<string, unknown> } & Record<string, unknown>;
}

/** A webhook endpoint on 127.0.0.1 whose answer the test controls. */
export class HookReceiver {
  received: ReceivedHook[] = [];
  status = 200;
  delayMs = 0;
  answer: ((hook: ReceivedHook) => { status: number; body?: string }) | null = null;
  private server = http.createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const raw = Buffer.concat(chunks).toString('utf8');
      const hook: ReceivedHook = { headers: req.headers, raw, body: JSON.parse(raw) as ReceivedHook['body'] };
      this.received.push(hook);
      const reply = this.answer ? this.answer(hook) : { status: this.status };
      const send = () => {
        if (!res.destroyed)
          res.writeHead(reply.status, { 'content-type': 'application/json' }).end(reply.body ?? '');
      };
      if (this.delayMs > 0) setTimeout(send, this.delayMs);
      else send();
    });
  });

  async start(): Promise<string> {
    await new Promise<void>((resolve) => this.server.listen(0, '127.0.0.1', () => resolve()));
    return `http://127.0.0.1:${(this.server.address() as AddressInfo).port}/zoom/webhook`;
  }

  async stop(): Promise<void> {
    this.server.closeAllConnections();
    await new Promise<void>((resolve) => this.server.close(() => resolve()));
  }

  events(name: string): ReceivedHook[] {
    return this.received.filter((h) => h.body.event === name);
  }
}
