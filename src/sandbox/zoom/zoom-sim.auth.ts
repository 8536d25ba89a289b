import type { Request, RequestHandler, Response } from 'express';
import type { SimContext } from './zoom-sim.context';
import { zoomErrors } from './zoom-sim.errors';
import type { SimAccessToken, SimApp } from './zoom-sim.state';
import type { TokenService } from './zoom-sim.tokens';
import type { SimAccount } from './zoom-sim.types';

/**
 * The API's bearer check and scope policy. A token is bound to one account (the installing account
 * for OAuth apps, the app's account for S2S); every route names the scopes it needs, classic or
 * granular, and the user-level forms count only when the caller acts on itself.
 */
export interface ApiCaller {
  token: SimAccessToken;
  account: SimAccount;
  app: SimApp;
}

export interface ScopeRule {
  admin: string[];
  self: string[];
}

export const SCOPES = {
  userRead: { admin: ['user:read:admin', 'user:read:user:admin'], self: ['user:read', 'user:read:user'] },
  userCreate: { admin: ['user:write:admin', 'user:write:user:admin'], self: [] },
  userUpdate: {
    admin: ['user:write:admin', 'user:update:user:admin', 'user:write:user:admin'],
    self: ['user:write', 'user:update:user'],
  },
  meetingRead: {
    admin: ['meeting:read:admin', 'meeting:read:meeting:admin'],
    self: ['meeting:read', 'meeting:read:meeting'],
  },
  meetingList: {
    admin: ['meeting:read:admin', 'meeting:read:list_meetings:admin'],
    self: ['meeting:read', 'meeting:read:list_meetings'],
  },
  meetingCreate: {
    admin: ['meeting:write:admin', 'meeting:write:meeting:admin'],
    self: ['meeting:write', 'meeting:write:meeting'],
  },
  meetingUpdate: {
    admin: ['meeting:write:admin', 'meeting:update:meeting:admin'],
    self: ['meeting:write', 'meeting:update:meeting'],
  },
  meetingDelete: {
    admin: ['meeting:write:admin', 'meeting:delete:meeting:admin'],
    self: ['meeting:write', 'meeting:delete:meeting'],
  },
  recordingRead: {
    admin: [
      'recording:read:admin',
      'cloud_recording:read:list_recording_files:admin',
      'cloud_recording:read:recording:admin',
    ],
    self: ['recording:read', 'cloud_recording:read:list_recording_files'],
  },
  recordingList: {
    admin: ['recording:read:admin', 'cloud_recording:read:list_user_recordings:admin'],
    self: ['recording:read', 'cloud_recording:read:list_user_recordings'],
  },
  pastParticipants: {
    admin: ['meeting:read:admin', 'meeting:read:list_past_participants:admin'],
    self: ['meeting:read', 'meeting:read:list_past_participants'],
  },
  pastInstances: {
    admin: ['meeting:read:admin', 'meeting:read:list_past_instances:admin'],
    self: ['meeting:read', 'meeting:read:list_past_instances'],
  },
  registrantWrite: {
    admin: ['meeting:write:admin', 'meeting:write:registrant:admin'],
    self: ['meeting:write', 'meeting:write:registrant'],
  },
  registrantList: {
    admin: ['meeting:read:admin', 'meeting:read:list_registrants:admin'],
    self: ['meeting:read', 'meeting:read:list_registrants'],
  },
  reportParticipants: {
    admin: ['report:read:admin', 'report:read:list_meeting_participants:admin'],
    self: [],
  },
} satisfies Record<string, ScopeRule>;

export const CLASSIC_ADMIN_SCOPES = [
  'user:read:admin',
  'user:write:admin',
  'meeting:read:admin',
  'meeting:write:admin',
  'recording:read:admin',
  'recording:write:admin',
  'report:read:admin',
];

export function bearerOf(req: Request): string | undefined {
  const match = /^Bearer\s+(\S+)\s*$/i.exec(req.headers.authorization ?? '');
  return match?.[1];
}

/** Resolves the caller without refusing (for the request log and account-scoped faults). */
export function identifyCaller(ctx: SimContext): RequestHandler {
  return (req, res, next) => {
    const token = bearerOf(req);
    const found = token ? ctx.state.accessTokens.get(token) : undefined;
    if (found) {
      res.locals.accountId = found.account_id;
      res.locals.clientId = found.client_id;
    }
    next();
  };
}

/** 401 code 124 unless the bearer token is live. */
export function requireToken(ctx: SimContext, tokens: TokenService): RequestHandler {
  return (req, res, next) => {
    const checked = tokens.check(bearerOf(req));
    if (checked.status !== 'ok')
      return next(checked.status === 'expired' ? zoomErrors.expiredToken() : zoomErrors.invalidToken());
    const account = ctx.state.accounts.get(checked.token.account_id);
    const app = ctx.state.apps.get(checked.token.client_id);
    if (!account || !app) return next(zoomErrors.invalidToken());
    const caller: ApiCaller = { token: checked.token, account, app };
    res.locals.caller = caller;
    next();
  };
}

export function callerOf(res: Response): ApiCaller {
  const caller = res.locals.caller as ApiCaller | undefined;
  if (!caller) throw new Error('requireToken must run first');
  return caller;
}

/** HTTP 400 code 4711 unless the token holds one of the rule's scopes. */
export function assertScope(caller: ApiCaller, rule: ScopeRule, actingOnSelf: boolean): void {
  const held = new Set(caller.token.scopes);
  const accepted = actingOnSelf ? [...rule.admin, ...rule.self] : rule.admin;
  if (!accepted.some((s) => held.has(s))) throw zoomErrors.missingScopes([...rule.admin, ...rule.self]);
}

/** Scope check for routes addressing a user (`:userId`): `me` or the caller's own id or email is "self". */
export function scopeForUser(ctx: SimContext, rule: ScopeRule): RequestHandler {
  return (req, res, next) => {
    const caller = callerOf(res);
    const ref = String(req.params.userId ?? '');
    const self =
      ref === 'me' ||
      ref === caller.token.user_id ||
      ctx.state.users.get(caller.token.user_id)?.email === ref.toLowerCase();
    assertScope(caller, rule, self && caller.token.kind === 'oauth');
    next();
  };
}

/** Scope check for routes addressing a meeting: "self" when the caller hosts it. */
export function scopeForMeeting(ctx: SimContext, rule: ScopeRule): RequestHandler {
  return (req, res, next) => {
    const caller = callerOf(res);
    const found = ctx.state.findMeeting(decodeMeetingRef(String(req.params.meetingId ?? '')));
    const self = caller.token.kind === 'oauth' && found?.meeting.host_id === caller.token.user_id;
    assertScope(caller, rule, self);
    next();
  };
}

/**
 * Meeting ids or UUIDs in paths (Express has decoded them once). A UUID starting with `/` or
 * containing `//` must arrive double-encoded; sent single-encoded, Zoom's proxy splits the path and
 * the meeting is not found, so such a value resolves to nothing ('').
 */
export function decodeMeetingRef(raw: string): string {
  if (!raw.includes('%')) return raw.startsWith('/') || raw.includes('//') ? '' : raw;
  try {
    return decodeURIComponent(raw);
  } catch {
    return raw;
  }
}
