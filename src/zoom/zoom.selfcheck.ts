import type { Logger } from 'pino';
import type { StateCheck } from '../lti';
import { zoomUserSchema } from './zoom.api.schema';
import type { ZoomAccountApi, ZoomAnswerInfo } from './zoom.client';
import { isUserOfAnotherAccount } from './zoom.client.errors';
import type { ConnectionView } from './zoom.connect.service';
import type { AccessTokenProvider, ZoomConnectionRef } from './zoom.types';
import {
  browserVerdict,
  CHECK_ORDER,
  clockDriftMs,
  clockVerdict,
  connectionVerdict,
  emailVerdict,
  isTokenFailure,
  lookupFailure,
  scopesVerdict,
  timedOut,
  tokenFailure,
  zoomChecksSkipped,
  type CheckId,
  type Verdict,
} from './zoom.selfcheck.verdicts';

/** What the self-check knows of the admin's launch and browser (the route reads them from the request). */
export interface SelfCheckInput {
  schoolId: string;
  email: string | undefined;
  /** The LMS's product family (`moodle`, `canvas`), for the email setting to name. */
  platform: string | undefined;
  stateCheck: StateCheck | undefined;
  cookie: { cameBack: boolean; anyOfOurs: boolean };
}

export interface SelfCheckDeps {
  connection(schoolId: string): Promise<{ view: ConnectionView; ref?: ZoomConnectionRef }>;
  tokens: Pick<AccessTokenProvider, 'accessToken'>;
  client: { forConnection(ref: ZoomConnectionRef): Pick<ZoomAccountApi, 'request'> };
  logger: Logger;
  /** The whole self-check's time (default 10 s); a check still waiting for Zoom then says it timed out. */
  budgetMs?: number;
}

type Within<T> = { ok: true; value: T } | { ok: false; error: unknown } | { timedOut: true };

/**
 * The school admin's live self-check: the connection, the scopes Zoom granted against those the
 * tool needs, a token from the token store (its rules apply: a refused renewal marks the
 * connection), one user lookup through the client and its pacer, Zoom's clock (its answer's
 * `Date`) against ours, and what this launch and browser bring. It reads only this school's data.
 */
export class ZoomSelfCheck {
  private readonly budgetMs: number;

  constructor(private readonly deps: SelfCheckDeps) {
    this.budgetMs = deps.budgetMs ?? 10_000;
  }

  async run(input: SelfCheckInput): Promise<Verdict[]> {
    const deadline = Date.now() + this.budgetMs;
    const verdicts = new Map<CheckId, Verdict>();
    const put = (verdict: Verdict) => verdicts.set(verdict.id, verdict);
    put(emailVerdict(input.email, input.platform));
    put(browserVerdict(input.stateCheck, input.cookie));

    // Our own database: its failure is the page's error, not a check's.
    const { view, ref } = await this.deps.connection(input.schoolId);
    put(connectionVerdict(view));
    const zoom =
      view.status === 'connected' && ref
        ? await this.zoomChecks(input, view, ref, deadline)
        : zoomChecksSkipped();
    for (const verdict of zoom) put(verdict);
    const ordered = CHECK_ORDER.flatMap((id) => verdicts.get(id) ?? []);
    this.deps.logger.info(
      { schoolId: input.schoolId, results: Object.fromEntries(ordered.map((v) => [v.id, v.status])) },
      'self-check run',
    );
    return ordered;
  }

  private async zoomChecks(
    input: SelfCheckInput,
    view: ConnectionView,
    ref: ZoomConnectionRef,
    deadline: number,
  ): Promise<Verdict[]> {
    const out: Verdict[] = [];
    const token = await this.within(this.deps.tokens.accessToken(ref.id), deadline);
    let last: ZoomAnswerInfo | undefined;
    let working: string | undefined;
    if ('timedOut' in token) {
      out.push(timedOut('token', this.budgetMs), {
        id: 'lookup',
        status: 'skipped',
        says: 'skippedNeedsToken',
      });
    } else if (!token.ok) {
      out.push(tokenFailure(token.error), { id: 'lookup', status: 'skipped', says: 'skippedNeedsToken' });
    } else {
      // OAuth: the authorising admin (`me`); Server-to-Server must not use `me`: this admin's email,
      // or a user id that cannot exist (Zoom's "no such user" still proves the lookup works).
      const who = view.kind === 'oauth' ? 'me' : (input.email ?? ref.zoomAccountId);
      const lookup = await this.within(
        this.deps.client.forConnection(ref).request({
          method: 'GET',
          path: '/users/{userId}',
          pathParams: { userId: who },
          category: 'light',
          schema: zoomUserSchema,
          onAnswer: (answer) => {
            last = answer;
          },
        }),
        deadline,
      );
      if ('timedOut' in lookup) {
        out.push({ id: 'token', status: 'pass', says: 'tokenOk' }, timedOut('lookup', this.budgetMs));
      } else if (lookup.ok) {
        working = token.value;
        out.push(
          { id: 'token', status: 'pass', says: 'tokenOk' },
          { id: 'lookup', status: 'pass', says: 'lookupFound', params: { email: lookup.value.email } },
        );
      } else if (isNotFound(lookup.error)) {
        working = token.value;
        out.push(
          { id: 'token', status: 'pass', says: 'tokenOk' },
          { id: 'lookup', status: 'pass', says: 'lookupNoUser', params: { who } },
        );
      } else if (isTokenFailure(lookup.error)) {
        out.push(tokenFailure(lookup.error), { id: 'lookup', status: 'skipped', says: 'skippedNeedsToken' });
      } else {
        working = token.value;
        out.push({ id: 'token', status: 'pass', says: 'tokenOk' }, lookupFailure(lookup.error, view.kind));
      }
    }
    out.push(await this.scopes(input.schoolId, view, ref, working, deadline));
    out.push(clockVerdict(last?.date ? clockDriftMs(last.date, last.sentAt, last.receivedAt) : undefined));
    return out;
  }

  /**
   * The scopes of the connection's current token. When some are missing on a Server-to-Server app,
   * the admin may have just added them in Zoom: one renewal through the token store (as after a
   * refused token) fetches a token with the app's scopes of now.
   */
  private async scopes(
    schoolId: string,
    view: ConnectionView,
    ref: ZoomConnectionRef,
    working: string | undefined,
    deadline: number,
  ): Promise<Verdict> {
    const now = await this.deps.connection(schoolId);
    let verdict = scopesVerdict(now.view.scopes, view.kind);
    if (verdict.status === 'pass' || view.kind !== 's2s' || working === undefined) return verdict;
    const renewed = await this.within(this.deps.tokens.accessToken(ref.id, { rejected: working }), deadline);
    if ('ok' in renewed && renewed.ok)
      verdict = scopesVerdict((await this.deps.connection(schoolId)).view.scopes, view.kind);
    return verdict;
  }

  /** The promise's outcome, or `timedOut` at the deadline (the work goes on; its outcome is dropped). */
  private async within<T>(promise: Promise<T>, deadline: number): Promise<Within<T>> {
    let timer: NodeJS.Timeout | undefined;
    const late = new Promise<Within<T>>((resolve) => {
      timer = setTimeout(() => resolve({ timedOut: true }), Math.max(0, deadline - Date.now()));
    });
    try {
      return await Promise.race([
        promise.then(
          (value): Within<T> => ({ ok: true, value }),
          (error: unknown): Within<T> => ({ ok: false, error }),
        ),
        late,
      ]);
    } finally {
      clearTimeout(timer);
    }
  }
}

/** No such user in this account: unknown to Zoom, or another account's (the email is a Zoom user elsewhere). */
function isNotFound(error: unknown): boolean {
  return (error as { kind?: unknown } | undefined)?.kind === 'not_found' || isUserOfAnotherAccount(error);
}
