import type { ApiCaller } from './zoom-sim.auth';
import { zoomTime } from './zoom-sim.clock';
import type { SimContext } from './zoom-sim.context';
import { SimControlError, ZoomApiError, zoomErrors } from './zoom-sim.errors';
import type { UserCreateBody, UserUpdateBody } from './zoom-sim.api.schema';
import type { CreateAccountInput, SimAccount, SimUser, UserType } from './zoom-sim.types';

/**
 * Accounts and users: the four create actions with their account preconditions, licence seats,
 * domain rules, and the lookups every route addressing a user goes through (1001 unknown, 1010
 * another account's user).
 */
const DEFAULT_SEATS = { free: 0, pro: 10, business: 50 } as const;

/** Who acted, as Zoom names them in a user event (absent when the control surface acts). */
type Operator = { operator?: string; operator_id?: string };

export class UsersService {
  constructor(private readonly ctx: SimContext) {}

  createAccount(input: CreateAccountInput): { account_id: string; admin_email: string } {
    const { state, clock } = this.ctx;
    const n = state.next();
    const id = state.zoomId();
    const email = (
      input.admin_email ?? `admin-${n}@${input.managed_domain ?? `school${n}.example.edu`}`
    ).toLowerCase();
    if (state.findUser(email))
      throw new SimControlError(409, `Email ${email} is already used by a simulated user.`);
    const owner: SimUser = {
      id: state.zoomId(),
      account_id: id,
      email,
      first_name: 'Account',
      last_name: `Owner ${n}`,
      display_name: `Account Owner ${n}`,
      type: input.plan === 'free' ? 1 : 2,
      status: 'active',
      role_id: '0',
      created_via: 'owner',
      timezone: input.timezone ?? 'UTC',
      pmi: state.pmi(),
      created_at: clock.now(),
    };
    const account: SimAccount = {
      id,
      plan: input.plan,
      licensed_seats: input.licensed_seats ?? DEFAULT_SEATS[input.plan],
      max_basic_users: input.max_basic_users ?? null,
      managed_domain: input.managed_domain?.toLowerCase() ?? null,
      partner: input.partner ?? false,
      sso: input.sso ?? false,
      sso_only: input.sso_only ?? false,
      blocked_domains: input.blocked_domains ?? [],
      allowed_domains: input.allowed_domains ?? null,
      owner_id: owner.id,
      timezone: input.timezone ?? 'UTC',
      limits: {
        enabled: true,
        scale: 1,
        meeting_requests_per_user_per_day: this.ctx.options.limits.meetingRequestsPerUserPerDay,
      },
    };
    state.accounts.set(id, account);
    state.users.set(owner.id, owner);
    return { account_id: id, admin_email: email };
  }

  /** `me`, a user id or an email, seen from the caller's account. */
  resolve(caller: ApiCaller, ref: string): SimUser {
    let user: SimUser | undefined;
    if (ref === 'me') {
      if (caller.token.kind === 's2s') {
        const { s2sUsersMe, s2sMeError } = this.ctx.options.api;
        if (s2sUsersMe === 'error')
          throw new ZoomApiError(s2sMeError.status, s2sMeError.code, s2sMeError.message);
        user = this.ctx.state.users.get(caller.account.owner_id);
      } else {
        user = this.ctx.state.users.get(caller.token.user_id);
      }
    } else {
      user = this.ctx.state.findUser(ref);
    }
    if (!user) throw zoomErrors.userNotFound(ref);
    if (user.account_id !== caller.account.id) throw zoomErrors.userInOtherAccount();
    return user;
  }

  create(caller: ApiCaller, body: UserCreateBody): SimUser {
    const { state, clock, options } = this.ctx;
    const account = caller.account;
    const info = body.user_info;
    const email = info.email.toLowerCase();
    const domain = email.slice(email.lastIndexOf('@') + 1);
    if (info.type === 99 && body.action !== 'ssoCreate') throw zoomErrors.userTypeNotPermitted();
    if (account.sso_only && body.action !== 'ssoCreate') {
      throw zoomErrors.ssoOnly('This account only allows users provisioned through SSO (action ssoCreate).');
    }
    if (body.action === 'ssoCreate' && !account.sso) {
      throw zoomErrors.ssoOnly('Pre-provisioning SSO users is not enabled for this account.');
    }
    if (body.action === 'custCreate' && !account.partner) {
      throw zoomErrors.noPrivilege('No privilege: custCreate is only available to API partner accounts.');
    }
    if (body.action === 'autoCreate' && account.managed_domain !== domain) {
      throw zoomErrors.noPrivilege(
        `No privilege: autoCreate needs the email's domain (${domain}) to be a managed domain of the account.`,
      );
    }
    if (account.blocked_domains.includes(domain)) throw zoomErrors.domainBlocked(domain);
    if (account.allowed_domains && !account.allowed_domains.includes(domain))
      throw zoomErrors.notInAllowedDomains(email);
    const existing = state.findUser(email);
    if (existing?.account_id === account.id) throw zoomErrors.userAlreadyInAccount(email);
    if (existing) {
      throw options.api.emailInOtherAccount === 1009
        ? zoomErrors.emailHoldsActiveAccount(email)
        : zoomErrors.emailAlreadyUsed(email);
    }
    this.checkSeats(account, info.type, null);
    const user: SimUser = {
      id: state.zoomId(),
      account_id: account.id,
      email,
      first_name: info.first_name ?? '',
      last_name: info.last_name ?? '',
      display_name: info.display_name ?? [info.first_name, info.last_name].filter(Boolean).join(' '),
      type: info.type,
      status: body.action === 'create' ? 'pending' : 'active',
      role_id: '2',
      created_via: body.action,
      timezone: account.timezone,
      pmi: state.pmi(),
      created_at: clock.now(),
    };
    state.users.set(user.id, user);
    this.ctx.events.emit(account.id, 'user.created', {
      operator: this.operatorEmail(caller),
      operator_id: caller.token.user_id,
      creation_type: body.action,
      object: { id: user.id, first_name: user.first_name, last_name: user.last_name, email, type: user.type },
    });
    return user;
  }

  update(caller: ApiCaller, user: SimUser, body: UserUpdateBody): void {
    if (body.type !== undefined && body.type !== user.type) {
      if (body.type === 99) throw zoomErrors.userTypeNotPermitted();
      this.checkSeats(caller.account, body.type, user.id);
      user.type = body.type;
    }
    if (body.first_name !== undefined) user.first_name = body.first_name;
    if (body.last_name !== undefined) user.last_name = body.last_name;
    if (body.display_name !== undefined) user.display_name = body.display_name;
    if (body.timezone !== undefined) user.timezone = body.timezone;
  }

  /** Seat rules: free plans add no paid users; paid users up to `licensed_seats`; basic users up to `max_basic_users`. */
  private checkSeats(account: SimAccount, type: UserType, exceptUserId: string | null): void {
    const others = this.ctx.state
      .accountUsers(account.id)
      .filter((u) => u.id !== exceptUserId && u.status !== 'inactive');
    if (type === 2) {
      if (account.plan === 'free') throw zoomErrors.noPaidUsers();
      if (others.filter((u) => u.type === 2).length >= account.licensed_seats)
        throw zoomErrors.maxPaidUsers(account.licensed_seats);
    }
    if (
      type === 1 &&
      account.max_basic_users !== null &&
      others.filter((u) => u.type === 1).length >= account.max_basic_users
    ) {
      throw zoomErrors.maxFreeUsers(account.max_basic_users);
    }
  }

  setStatus(idOrEmail: string, status: 'active' | 'inactive', operator: Operator = {}): SimUser {
    const user = this.ctx.state.findUser(idOrEmail);
    if (!user) throw new SimControlError(404, `No simulated user ${idOrEmail}.`);
    this.changeStatus(user, status, operator);
    return user;
  }

  /**
   * `PUT /users/{userId}/status` and the control surface: a pending or inactive user activated sends
   * `user.activated`; an active (or pending) one deactivated sends `user.deactivated`. Zoom keeps a
   * deactivated user's meetings (they cannot be started); nothing is sent when nothing changes.
   */
  changeStatus(user: SimUser, status: 'active' | 'inactive', operator: Operator = {}): void {
    const before = user.status;
    if (before === status) return;
    if (status === 'active' && before === 'inactive')
      this.checkSeats(this.accountOf(user), user.type, user.id);
    user.status = status;
    const event = status === 'active' ? this.ctx.options.webhooks.userActivatedEvent : 'user.deactivated';
    this.ctx.events.emit(user.account_id, event, { ...operator, object: this.eventObject(user) });
  }

  /**
   * `DELETE /users/{userId}?action=disassociate|delete[&transfer_email&transfer_meeting]`: the user
   * leaves the account (`user.disassociated`) or is deleted (`user.deleted`). Their meetings go with
   * them (3001 afterwards) unless `transfer_meeting` moves them to `transfer_email`, a user of the
   * same account. The account owner cannot be deleted (code 200).
   */
  remove(
    caller: ApiCaller | null,
    user: SimUser,
    options: { action: 'disassociate' | 'delete'; transferEmail?: string; transferMeeting?: boolean },
  ): void {
    const account = this.accountOf(user);
    if (account.owner_id === user.id) throw zoomErrors.noPrivilege('The account owner cannot be deleted.');
    let heir: SimUser | undefined;
    if (options.transferMeeting && options.transferEmail) {
      heir = this.ctx.state.findUser(options.transferEmail);
      if (!heir) throw zoomErrors.userNotFound(options.transferEmail);
      if (heir.account_id !== user.account_id) throw zoomErrors.userInOtherAccount();
    }
    for (const meeting of this.ctx.state.accountMeetings(user.account_id)) {
      if (meeting.host_id !== user.id) continue;
      if (heir) meeting.host_id = heir.id;
      else this.ctx.state.meetings.delete(meeting.id);
    }
    this.ctx.state.users.delete(user.id);
    const operator: Operator = caller
      ? { operator: this.operatorEmail(caller), operator_id: caller.token.user_id }
      : {};
    const event = options.action === 'delete' ? 'user.deleted' : 'user.disassociated';
    this.ctx.events.emit(user.account_id, event, { ...operator, object: this.eventObject(user) });
  }

  private accountOf(user: SimUser): SimAccount {
    const account = this.ctx.state.accounts.get(user.account_id);
    if (!account) throw new SimControlError(404, `No simulated account ${user.account_id}.`);
    return account;
  }

  private eventObject(user: SimUser): Record<string, unknown> {
    return {
      id: user.id,
      first_name: user.first_name,
      last_name: user.last_name,
      email: user.email,
      type: user.type,
    };
  }

  operatorEmail(caller: ApiCaller): string {
    return this.ctx.state.users.get(caller.token.user_id)?.email ?? '';
  }

  present(user: SimUser): Record<string, unknown> {
    const base = this.ctx.baseUrl();
    return {
      id: user.id,
      first_name: user.first_name,
      last_name: user.last_name,
      display_name: user.display_name,
      email: user.email,
      type: user.type,
      role_name: user.role_id === '0' ? 'Owner' : user.role_id === '1' ? 'Admin' : 'Member',
      pmi: user.pmi,
      use_pmi: false,
      personal_meeting_url: `${base}/j/${user.pmi}`,
      timezone: user.timezone,
      verified: user.status === 'active' ? 1 : 0,
      dept: '',
      created_at: zoomTime(user.created_at),
      user_created_at: zoomTime(user.created_at),
      language: 'en-US',
      status: user.status,
      role_id: user.role_id,
      account_id: user.account_id,
      cluster: 'us05',
      group_ids: [],
    };
  }
}
