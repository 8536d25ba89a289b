import crypto from 'node:crypto';
import type { AppKind, SimAccount, SimMeeting, SimUser } from './zoom-sim.types';

/** Everything the simulator remembers, in memory. Services change it; nothing else does. */

export interface SimApp {
  client_id: string;
  client_secret: string;
  kind: AppKind;
  /** The name the Marketplace shows, and Zoom's consent page (absent in a state saved before it had one). */
  name?: string;
  redirect_uri: string | null;
  account_id: string | null;
  webhook_url: string | null;
  webhook_secret_token: string;
  scopes: string[];
  events: string[] | null;
  published: boolean;
  disabled: boolean;
}

/** The name of an app created without one: the one the sandbox registers is the tool's. */
export const DEFAULT_APP_NAME = 'Zoom for your LMS (sandbox)';

/** The app as Zoom names it to people (its Marketplace name, never its client id). */
export function appName(app: Pick<SimApp, 'name'>): string {
  return app.name ?? DEFAULT_APP_NAME;
}

/** One installation of an app on an account (OAuth) or the S2S app's own standing grant. */
export interface SimGrant {
  id: string;
  client_id: string;
  account_id: string;
  user_id: string;
  kind: AppKind;
  scopes: string[];
  revoked: boolean;
}

export interface SimAccessToken {
  token: string;
  grant_id: string;
  client_id: string;
  account_id: string;
  user_id: string;
  kind: AppKind;
  scopes: string[];
  issued_at: number;
  expires_at: number;
  revoked: boolean;
}

export interface SimRefreshToken {
  token: string;
  grant_id: string;
  expires_at: number;
  state: 'live' | 'rotated' | 'revoked';
}

export interface SimAuthCode {
  code: string;
  client_id: string;
  account_id: string;
  user_id: string;
  redirect_uri: string;
  code_challenge: string | null;
  code_challenge_method: string | null;
  expires_at: number;
  used: boolean;
}

export interface SimZak {
  meeting_id: number;
  expires_at: number;
}

export interface SimPageToken {
  key: string;
  offset: number;
  expires_at: number;
}

/** What `SimState.snapshot` writes and `restore` reads. */
export interface SimSnapshot {
  version: 1;
  accounts: SimAccount[];
  users: SimUser[];
  meetings: SimMeeting[];
  apps: SimApp[];
  grants: SimGrant[];
  accessTokens: SimAccessToken[];
  refreshTokens: SimRefreshToken[];
  issued: Array<{ client_id: string; account_id: string; kind: AppKind }>;
  counter: number;
}

export class SimState {
  accounts = new Map<string, SimAccount>();
  users = new Map<string, SimUser>();
  meetings = new Map<number, SimMeeting>();
  apps = new Map<string, SimApp>();
  grants = new Map<string, SimGrant>();
  accessTokens = new Map<string, SimAccessToken>();
  refreshTokens = new Map<string, SimRefreshToken>();
  codes = new Map<string, SimAuthCode>();
  zaks = new Map<string, SimZak>();
  pageTokens = new Map<string, SimPageToken>();
  /** Every token ever issued, for `tokensIssued`. */
  issued: Array<{ client_id: string; account_id: string; kind: AppKind }> = [];
  private counter = 0;

  constructor(private readonly uuidGenerator?: () => string) {}

  reset(): void {
    for (const map of [
      this.accounts,
      this.users,
      this.meetings,
      this.apps,
      this.grants,
      this.accessTokens,
      this.refreshTokens,
      this.codes,
      this.zaks,
      this.pageTokens,
    ]) {
      map.clear();
    }
    this.issued = [];
    this.counter = 0;
  }

  /** Everything remembered, as plain JSON (the sandbox keeps it across restarts). */
  snapshot(): SimSnapshot {
    return structuredClone({
      version: 1 as const,
      accounts: [...this.accounts.values()],
      users: [...this.users.values()],
      meetings: [...this.meetings.values()],
      apps: [...this.apps.values()],
      grants: [...this.grants.values()],
      accessTokens: [...this.accessTokens.values()],
      refreshTokens: [...this.refreshTokens.values()],
      issued: this.issued,
      counter: this.counter,
    });
  }

  /** Replaces everything with a snapshot (codes, ZAKs and page tokens are short-lived: not kept). */
  restore(snapshot: SimSnapshot): void {
    this.reset();
    const copy = structuredClone(snapshot);
    for (const account of copy.accounts) this.accounts.set(account.id, account);
    for (const user of copy.users) this.users.set(user.id, user);
    for (const meeting of copy.meetings) this.meetings.set(meeting.id, meeting);
    for (const app of copy.apps) this.apps.set(app.client_id, app);
    for (const grant of copy.grants) this.grants.set(grant.id, grant);
    for (const token of copy.accessTokens) this.accessTokens.set(token.token, token);
    for (const token of copy.refreshTokens) this.refreshTokens.set(token.token, token);
    this.issued = copy.issued;
    this.counter = copy.counter;
  }

  next(): number {
    this.counter += 1;
    return this.counter;
  }

  /** Zoom-style ids: 22 characters of base64url (account and user ids look like this). */
  zoomId(): string {
    return crypto.randomBytes(16).toString('base64url');
  }

  secret(bytes = 24): string {
    return crypto.randomBytes(bytes).toString('base64url');
  }

  /** Meeting UUIDs are 16 bytes of standard base64, so they may contain `/` and `+`. */
  meetingUuid(): string {
    return this.uuidGenerator ? this.uuidGenerator() : crypto.randomBytes(16).toString('base64');
  }

  /** 11-digit meeting numbers, unique within the simulator. */
  meetingNumber(): number {
    for (;;) {
      const id = crypto.randomInt(81_000_000_000, 99_999_999_999);
      if (!this.meetings.has(id)) return id;
    }
  }

  pmi(): number {
    return crypto.randomInt(2_000_000_000, 9_999_999_999);
  }

  findUser(idOrEmail: string): SimUser | undefined {
    const direct = this.users.get(idOrEmail);
    if (direct) return direct;
    const email = idOrEmail.toLowerCase();
    for (const user of this.users.values()) if (user.email === email) return user;
    return undefined;
  }

  accountUsers(accountId: string): SimUser[] {
    return [...this.users.values()].filter((u) => u.account_id === accountId);
  }

  accountMeetings(accountId: string): SimMeeting[] {
    return [...this.meetings.values()].filter((m) => m.account_id === accountId);
  }

  /** Finds a meeting by number (`"85746065432"`) or by any of its UUIDs, current or past. */
  findMeeting(ref: string | number): { meeting: SimMeeting; instanceUuid: string | null } | undefined {
    if (typeof ref === 'number' || /^\d+$/.test(ref)) {
      const meeting = this.meetings.get(Number(ref));
      return meeting ? { meeting, instanceUuid: null } : undefined;
    }
    for (const meeting of this.meetings.values()) {
      if (meeting.uuid === ref) return { meeting, instanceUuid: ref };
      if (meeting.instances.some((i) => i.uuid === ref)) return { meeting, instanceUuid: ref };
    }
    return undefined;
  }
}
