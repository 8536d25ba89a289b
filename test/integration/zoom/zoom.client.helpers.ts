import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { CreateAccountInput, ZoomSimulator } from '../../../src/sandbox/zoom';
import type { AccessTokenProvider, ZoomConnectionRef } from '../../../src/zoom/zoom.types';

/** Test support for the Zoom client against the simulator: S2S schools, a counting token provider, a recording front. */

/** Fetches S2S tokens from the simulator's token endpoint, like the real token store would, and counts. */
export class SimS2STokens implements AccessTokenProvider {
  fetches = 0;
  rejections: string[] = [];
  reconnects: Array<{ connectionId: string; reason: string }> = [];
  private current: string | null = null;

  constructor(
    private readonly sim: ZoomSimulator,
    private readonly clientId: string,
    private readonly clientSecret: string,
    private readonly accountId: string,
  ) {}

  async accessToken(_connectionId: string, options?: { rejected?: string }): Promise<string> {
    if (options?.rejected !== undefined) this.rejections.push(options.rejected);
    if (this.current === null || (options?.rejected !== undefined && options.rejected === this.current)) {
      this.current = await this.fetchToken();
    }
    return this.current;
  }

  async markReconnectRequired(connectionId: string, reason: string): Promise<void> {
    this.reconnects.push({ connectionId, reason });
  }

  /** The token handed out last (to check it never reaches a log). */
  get lastToken(): string | null {
    return this.current;
  }

  private async fetchToken(): Promise<string> {
    this.fetches += 1;
    const url = `${this.sim.baseUrl}/oauth/token?grant_type=account_credentials&account_id=${this.accountId}`;
    const basic = Buffer.from(`${this.clientId}:${this.clientSecret}`).toString('base64');
    const res = await fetch(url, { method: 'POST', headers: { authorization: `Basic ${basic}` } });
    if (res.status !== 200) throw new Error(`S2S token request failed: ${res.status}`);
    const body = (await res.json()) as { access_token: string };
    return body.access_token;
  }
}

export interface School {
  accountId: string;
  adminEmail: string;
  ownerId: string;
  tokens: SimS2STokens;
  connection: ZoomConnectionRef;
}

let schools = 0;

/** A Zoom account with the school's own Server-to-Server app (classic admin scopes unless given). */
export async function s2sSchool(
  sim: ZoomSimulator,
  account: CreateAccountInput,
  scopes?: string[],
): Promise<School> {
  const { account_id, admin_email } = await sim.createAccount(account);
  const app = await sim.createApp({ kind: 's2s', account_id, ...(scopes ? { scopes } : {}) });
  const owner = sim.users(account_id).find((u) => u.email === admin_email);
  if (!owner) throw new Error('the simulator created no owner');
  schools += 1;
  return {
    accountId: account_id,
    adminEmail: admin_email,
    ownerId: owner.id,
    tokens: new SimS2STokens(sim, app.client_id, app.client_secret, account_id),
    connection: {
      id: `conn-${schools}`,
      schoolId: `school-${schools}`,
      zoomAccountId: account_id,
      plan: account.plan,
    },
  };
}

export interface Recorded {
  method: string;
  path: string;
  body: unknown;
  status: number;
  response: unknown;
  retryAfter: string | undefined;
}

/**
 * A loopback server in front of the simulator's own Express app (same state, request log and faults)
 * that records what the client sent and what it got, for checks against Zoom's OpenAPI description.
 */
export async function recordingFront(
  sim: ZoomSimulator,
): Promise<{ apiUrl: string; records: Recorded[]; stop(): Promise<void> }> {
  const records: Recorded[] = [];
  const front = express();
  front.use(express.json());
  front.use((req, res, next) => {
    const record: Recorded = {
      method: req.method,
      path: req.path,
      body: req.headers['content-length'] === undefined ? undefined : (req.body as unknown),
      status: 0,
      response: undefined,
      retryAfter: undefined,
    };
    const json = res.json.bind(res);
    res.json = (body: unknown) => {
      record.response = body;
      return json(body);
    };
    res.on('finish', () => {
      record.status = res.statusCode;
      const retryAfter = res.getHeader('retry-after');
      record.retryAfter = retryAfter === undefined ? undefined : String(retryAfter);
    });
    records.push(record);
    next();
  });
  front.use(sim.app);
  const server = http.createServer(front);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', () => resolve()));
  return {
    apiUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/v2`,
    records,
    async stop() {
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** Resolves once `check` holds (polling), for waiting on the simulator's request log. */
export async function eventually(check: () => boolean, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}
