import type { RequestHandler, Response } from 'express';
import type { SimClock } from './zoom-sim.clock';
import { SimControlError } from './zoom-sim.errors';
import type { RequestFilter, RequestLogEntry } from './zoom-sim.types';

/**
 * The request log: every request to the Zoom surfaces (not `/_sim/`), with the account and client
 * it was made for and how it was answered. Secrets never enter it: no bodies, no headers, and
 * secret query parameters are masked.
 */
const SECRET_QUERY = new Set([
  'token',
  'code',
  'zak',
  'access_token',
  'refresh_token',
  'code_verifier',
  'client_secret',
  'pwd',
]);

export class RequestLog {
  private entries: RequestLogEntry[] = [];
  private seq = 0;

  constructor(private readonly clock: SimClock) {}

  middleware(): RequestHandler {
    return (req, res, next) => {
      if (req.path.startsWith('/_sim/') || req.path === '/_sim') return next();
      const url = req.originalUrl;
      const q = url.indexOf('?');
      const query: Record<string, string> = {};
      for (const [name, value] of new URLSearchParams(q >= 0 ? url.slice(q + 1) : '')) {
        query[name] = SECRET_QUERY.has(name) ? '[redacted]' : value;
      }
      this.seq += 1;
      const entry: RequestLogEntry = {
        seq: this.seq,
        method: req.method,
        path: q >= 0 ? url.slice(0, q) : url,
        query,
        account_id: null,
        client_id: null,
        status: null,
        error_code: null,
        at: this.clock.iso(),
      };
      this.entries.push(entry);
      res.locals.logEntry = entry;
      let finished = false;
      res.on('finish', () => {
        finished = true;
        complete(entry, res, res.locals.dropped === true ? 0 : res.statusCode);
      });
      res.on('close', () => {
        if (!finished) complete(entry, res, 0);
      });
      next();
    };
  }

  list(filter: RequestFilter = {}): RequestLogEntry[] {
    const since = filter.since;
    const sinceAt = typeof since === 'string' ? Date.parse(since) : Number.NaN;
    if (typeof since === 'string' && Number.isNaN(sinceAt)) {
      throw new SimControlError(400, 'since must be a sequence number or an ISO time.');
    }
    return this.entries
      .filter((e) => {
        if (typeof since === 'number' && e.seq <= since) return false;
        if (typeof since === 'string' && Date.parse(e.at) < sinceAt) return false;
        if (filter.account_id && e.account_id !== filter.account_id) return false;
        if (filter.client_id && e.client_id !== filter.client_id) return false;
        if (filter.method && e.method !== filter.method.toUpperCase()) return false;
        return !filter.path || e.path.startsWith(filter.path);
      })
      .map((e) => ({ ...e, query: { ...e.query } }));
  }

  /** Forgets the entries; sequence numbers keep growing so `since` stays meaningful. */
  clear(): void {
    this.entries = [];
  }

  reset(): void {
    this.entries = [];
    this.seq = 0;
  }
}

/** Copies what the handlers learnt (account, client, grant type, Zoom error code) into the entry. */
export function noteIdentity(res: Response): void {
  const entry = res.locals.logEntry as RequestLogEntry | undefined;
  if (!entry) return;
  entry.account_id = (res.locals.accountId as string | undefined) ?? entry.account_id;
  entry.client_id = (res.locals.clientId as string | undefined) ?? entry.client_id;
  if ('grantType' in res.locals) entry.grant_type = res.locals.grantType as string | null;
  entry.error_code = (res.locals.errorCode as number | string | undefined) ?? entry.error_code;
}

/** The connection is being dropped without an answer: the entry says so at once. */
export function markNoAnswer(res: Response): void {
  res.locals.dropped = true;
  const entry = res.locals.logEntry as RequestLogEntry | undefined;
  noteIdentity(res);
  if (entry) entry.status = 0;
}

function complete(entry: RequestLogEntry, res: Response, status: number): void {
  noteIdentity(res);
  entry.status = status;
}
