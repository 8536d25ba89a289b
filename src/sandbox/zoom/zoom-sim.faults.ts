import crypto from 'node:crypto';
import type { RequestHandler, Response } from 'express';
import type { SimContext } from './zoom-sim.context';
import { sendApiError, ZoomApiError } from './zoom-sim.errors';
import { PER_SECOND, perSecondLimitError } from './zoom-sim.limits';
import { markNoAnswer, noteIdentity } from './zoom-sim.requestlog';
import type { TokenService } from './zoom-sim.tokens';
import type { FaultInput } from './zoom-sim.types';

/**
 * Injected faults, matched by method, path (a prefix, or a regular expression when it starts with
 * `^`) and account. The first matching fault with uses left applies:
 * latency (then the request proceeds), status5xx (answered without doing anything), timeout (never
 * answered; the socket is destroyed after `ms` if given), commit_then_drop (the change is made,
 * then the socket is destroyed instead of answering), commit_then_delay (the change is made, and
 * its answer is sent `ms` later, default 15 s: a client that gave up before then never reads it),
 * revoke_tokens (the account's access tokens, refresh tokens or both die, then the request
 * proceeds) and rate_limit (answered, without doing anything, with the 429 Zoom
 * sends for a spent per-second limit: `Retry-After` after `ms`, default 1 s, and the X-RateLimit
 * headers of `category`, default Medium — a limit other apps of the account used up) and refuse
 * (answered, without doing anything, with Zoom's error `{code, message[, errors]}`: `status`
 * default 400, `code` default 300 "Validation Failed.", e.g. a field Zoom names in `errors`).
 */
interface ActiveFault extends FaultInput {
  id: string;
  remaining: number;
}

export class FaultInjector {
  private faults: ActiveFault[] = [];
  private timers = new Set<NodeJS.Timeout>();

  constructor(
    private readonly tokens: TokenService,
    private readonly ctx: SimContext,
  ) {}

  add(fault: FaultInput): string {
    const id = crypto.randomUUID();
    this.faults.push({ ...fault, id, remaining: fault.count ?? Number.POSITIVE_INFINITY });
    return id;
  }

  clear(): void {
    this.faults = [];
  }

  /** Cancels pending timers (on stop). */
  dispose(): void {
    for (const timer of this.timers) clearTimeout(timer);
    this.timers.clear();
  }

  private later(ms: number, fn: () => void): void {
    const timer = setTimeout(() => {
      this.timers.delete(timer);
      fn();
    }, ms);
    this.timers.add(timer);
  }

  private take(method: string, path: string, accountId: string | undefined): ActiveFault | undefined {
    const fault = this.faults.find((f) => f.remaining > 0 && matches(f, method, path, accountId));
    if (fault) fault.remaining -= 1;
    return fault;
  }

  middleware(): RequestHandler {
    return (req, res, next) => {
      const path = req.originalUrl.split('?')[0] ?? '';
      const fault = this.take(req.method, path, res.locals.accountId as string | undefined);
      if (!fault) return next();
      res.locals.fault = fault.kind;
      switch (fault.kind) {
        case 'latency':
          return this.later(fault.ms ?? 1000, () => next());
        case 'status5xx': {
          const status = fault.status ?? 500;
          res.locals.errorCode = status;
          res.status(status).json({
            code: status,
            message: status === 503 ? 'Service Unavailable' : 'Internal Server Error',
          });
          return;
        }
        case 'timeout':
          noteIdentity(res);
          if (fault.ms !== undefined) {
            this.later(fault.ms, () => {
              markNoAnswer(res);
              req.socket.destroy();
            });
          }
          return;
        case 'commit_then_drop':
          dropAnswer(res);
          return next();
        case 'commit_then_delay':
          this.delayAnswer(res, fault.ms ?? 15_000);
          return next();
        case 'rate_limit': {
          const category = fault.category ?? 'Medium';
          const accountId = res.locals.accountId as string | undefined;
          const plan = (accountId && this.ctx.state.accounts.get(accountId)?.plan) || 'pro';
          const resetAt = this.ctx.clock.now() + (fault.ms ?? 1000);
          sendApiError(
            res,
            perSecondLimitError(this.ctx, category, PER_SECOND[plan][category], resetAt),
            this.ctx.options,
          );
          return;
        }
        case 'refuse': {
          const code = fault.code ?? 300;
          const message = fault.message ?? (code === 300 ? 'Validation Failed.' : 'Request refused.');
          const error = new ZoomApiError(fault.status ?? 400, code, message, fault.errors);
          res.status(error.status);
          res.locals.errorCode = code;
          res.json(error.errors ? { code, message, errors: error.errors } : { code, message });
          return;
        }
        case 'revoke_tokens': {
          const accountId = fault.match?.account_id ?? (res.locals.accountId as string | undefined) ?? null;
          if (fault.tokens === 'refresh') this.revokeRefreshTokens(accountId);
          else this.tokens.revokeAccount(accountId, fault.tokens === 'all');
          return next();
        }
      }
    };
  }

  /** Kills the refresh tokens of an account's grants (all accounts' when null); access tokens live on. */
  private revokeRefreshTokens(accountId: string | null): void {
    const { state } = this.ctx;
    const grants = new Set(
      [...state.grants.values()]
        .filter((grant) => accountId === null || grant.account_id === accountId)
        .map((grant) => grant.id),
    );
    for (const refresh of state.refreshTokens.values())
      if (grants.has(refresh.grant_id) && refresh.state === 'live') refresh.state = 'revoked';
  }

  /**
   * Lets the handler run to completion and holds its answer for `ms`: then it is sent as it was
   * written, unless the client has gone (the request log then says no answer, status 0).
   */
  private delayAnswer(res: Response, ms: number): void {
    const original = { writeHead: res.writeHead, write: res.write, end: res.end };
    const held: Array<() => void> = [];
    const send = () => {
      // Express's own calls (end → writeHead) must reach the real methods now.
      Object.assign(res, original);
      if (res.destroyed || !res.socket || res.socket.destroyed) return markNoAnswer(res);
      for (const step of held) step();
    };
    const hold =
      <A extends unknown[]>(method: (...args: A) => unknown) =>
      (...args: A): boolean => {
        if (held.length === 0) this.later(ms, send);
        held.push(() => method.apply(res, args));
        return true;
      };
    res.writeHead = hold(original.writeHead) as unknown as Response['writeHead'];
    res.write = hold(original.write) as unknown as Response['write'];
    res.end = hold(original.end) as unknown as Response['end'];
  }
}

function matches(fault: ActiveFault, method: string, path: string, accountId: string | undefined): boolean {
  const m = fault.match ?? {};
  if (m.method && m.method.toUpperCase() !== method.toUpperCase()) return false;
  if (m.account_id && m.account_id !== accountId) return false;
  if (m.path) return m.path.startsWith('^') ? new RegExp(m.path).test(path) : path.startsWith(m.path);
  return true;
}

/** Lets the handler run to completion, then destroys the socket instead of sending its answer. */
function dropAnswer(res: Response): void {
  const drop = (): Response => {
    markNoAnswer(res);
    res.socket?.destroy();
    return res;
  };
  res.writeHead = drop as unknown as Response['writeHead'];
  res.write = (() => {
    drop();
    return false;
  }) as unknown as Response['write'];
  res.end = drop as unknown as Response['end'];
}
