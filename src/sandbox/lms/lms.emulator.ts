import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Express } from 'express';
import { CourseActivities } from './lms.activities';
import { AgsService } from './lms.ags';
import { LoginFlow } from './lms.auth';
import { buildClaims, canvasContextId, deriveIdentity, type ClaimSource } from './lms.claims';
import { PROFILES, randomAlnum, type LmsProfile } from './lms.profiles';
import { RegistrationFlow } from './lms.registration';
import { CourseCopies, DEFAULT_TOOL_CUSTOM, registeredCustom } from './lms.copy';
import { buildLmsApp, type EmulatorInternals } from './lms.routes';
import { CourseSections, type LmsSection } from './lms.sections';
import { LtiServices } from './lms.services';
import { KeyStore } from './lms.tokens';
import type {
  AgsFault,
  AuthorizeResult,
  BeginRegistrationOptions,
  DeepLinkingReturn,
  LaunchOptions,
  LmsActivity,
  LmsCourse,
  LmsEmulator,
  LmsEmulatorOptions,
  LmsGradebook,
  LmsProfileName,
  LmsRegistration,
  LmsUser,
  LmsUsers,
  ResolvedLaunch,
  Tamper,
  ToolEndpoints,
} from './lms.types';

/**
 * An LTI 1.3 platform on its own port, behaving like Moodle 4.x or Canvas: OIDC login and auth
 * endpoint, signed id tokens, JWKS, token endpoint, Names and Roles, deep-linking return, a
 * course page that frames the tool, and LTI Dynamic Registration (the newest registered tool is
 * the one launched, with its own client id and deployment id).
 */
class LmsEmulatorImpl implements LmsEmulator, EmulatorInternals {
  readonly profile: LmsProfileName;
  readonly profileDefinition: LmsProfile;
  readonly users: LmsUsers;
  readonly app: Express;
  readonly keys: KeyStore;
  readonly services: LtiServices;
  readonly registration: RegistrationFlow;
  readonly requestLog: { method: string; path: string; at: number }[] = [];
  readonly deepLinkingReturns: DeepLinkingReturn[] = [];
  readonly courseActivities: CourseActivities;
  readonly ags: AgsService;
  /** Course copies and their history variables (lms.copy.ts). */
  readonly copies: CourseCopies;
  /** Canvas's sections and who is in them (lms.sections.ts). */
  readonly sections: CourseSections;

  private readonly host: string;
  private readonly port: number;
  private readonly shareEmail: boolean;
  private readonly initialClientId: string;
  private readonly platformGuid = `${randomAlnum(40)}:canvas-lms`;
  private readonly login: LoginFlow;
  private readonly usernames = new Map<string, string>();
  private readonly extraUsers = new Map<string, LmsUser>();
  private readonly unenrolled = new Set<string>();
  private readonly courses = new Map<string, LmsCourse>();
  private readonly resourceLinks = new Map<string, string>();
  private readonly deployments = new Set<string>();
  private tool?: ToolEndpoints;
  private currentClientId: string;
  private currentDeploymentId: string;
  /** The dynamically registered tool being launched, if the current tool came that way. */
  private currentRegistration?: LmsRegistration;
  private server?: Server;
  private startedBaseUrl?: string;

  constructor(private readonly options: LmsEmulatorOptions) {
    const profile = PROFILES[options.profile];
    if (!profile) throw new Error(`LMS emulator: unknown profile ${String(options.profile)}`);
    this.profile = profile.name;
    this.profileDefinition = profile;
    this.host = options.host ?? '127.0.0.1';
    this.port = options.port ?? 0;
    this.shareEmail = options.shareEmail ?? true;
    this.initialClientId = options.clientId ?? profile.newClientId();
    this.currentClientId = this.initialClientId;
    this.currentDeploymentId = options.deploymentId ?? profile.newDeploymentId();
    this.deployments.add(this.currentDeploymentId);
    this.tool = options.tool;

    const seeds = profile.users;
    // The sandbox runs two LMSs beside each other, each with its own Zoom account: their people get
    // their own email domain (a Zoom email belongs to one account only).
    const domain = options.emailDomain;
    const rehome = (text: string) => (domain ? text.replace(/@school\.example\.edu$/, `@${domain}`) : text);
    const toUser = ({ username, ...user }: (typeof seeds)['admin']): LmsUser => {
      this.usernames.set(user.id, rehome(username));
      return {
        ...user,
        name: rehome(user.name),
        givenName: rehome(user.givenName),
        ...(user.email ? { email: rehome(user.email) } : {}),
        roles: [...user.roles],
      };
    };
    this.users = {
      instructor: toUser(seeds.instructor),
      learner: toUser(seeds.learner),
      admin: toUser(seeds.admin),
      ta: toUser(seeds.ta),
    };
    this.courseActivities = new CourseActivities(profile);
    this.keys = new KeyStore(profile.newKid);
    this.services = new LtiServices({
      profile,
      clientId: () => this.clientId,
      baseUrl: () => this.baseUrl,
      tokenUrl: () => this.tokenUrl,
      tool: () => this.tool,
      keys: this.keys,
      findCourse: (courseId) => this.courses.get(courseId),
      roster: () => this.roster(),
      knownDeployments: () => this.deployments,
      claimSource: () => this.claimSource(),
    });
    this.ags = new AgsService({
      profile,
      baseUrl: () => this.baseUrl,
      findCourse: (courseId) => this.courses.get(courseId),
      roster: () => this.roster(),
      subjectOf: (user) =>
        deriveIdentity(this.profileDefinition, this.issuer, user, this.usernames.get(user.id)).sub,
    });
    this.login = new LoginFlow({
      profile,
      issuer: () => this.issuer,
      clientId: () => this.clientId,
      tool: () => this.tool,
      launchBlocked: () => this.launchBlocked(),
      findUser: (userId) => this.findUser(userId),
      resolveLaunch: (launch) => this.resolveLaunch(launch),
      claimsFor: (userId, launch, nonce) => this.buildClaimsFor(userId, launch, nonce),
      sign: (claims, tamper) => this.keys.sign(claims, tamper),
    });
    this.registration = new RegistrationFlow({
      profile,
      issuer: () => this.issuer,
      baseUrl: () => this.baseUrl,
      authUrl: () => this.authUrl,
      tokenUrl: () => this.tokenUrl,
      jwksUrl: () => this.jwksUrl,
      takenClientIds: () => [this.initialClientId, ...this.registration.registrations.map((r) => r.clientId)],
      signWithPlatformKey: (claims) => this.keys.signNow(claims),
      registered: (registration) => this.useRegistration(registration),
    });
    this.copies = new CourseCopies({
      profile: profile.name,
      course: (courseId) => this.courseFor(courseId),
      courseIds: () => [...this.courses.keys()],
      toolCustom: () => registeredCustom(this.currentRegistration) ?? DEFAULT_TOOL_CUSTOM[profile.name],
    });
    this.sections = new CourseSections(profile.name);
    this.courseFor(profile.course.id);
    this.app = buildLmsApp(this);
  }

  /** The client id launches use: the newest dynamic registration's once there is one. */
  get clientId(): string {
    return this.currentClientId;
  }

  get deploymentId(): string {
    return this.currentDeploymentId;
  }

  get course(): LmsCourse {
    return this.courseFor(this.profileDefinition.course.id);
  }

  get baseUrl(): string {
    if (this.startedBaseUrl) return this.startedBaseUrl;
    if (this.port !== 0) return `http://${this.publicHost()}:${this.port}`;
    throw new Error('LMS emulator: its base URL is known once start() has resolved (port 0 is ephemeral)');
  }

  get issuer(): string {
    return this.options.issuer ?? this.profileDefinition.defaultIssuer(this.baseUrl);
  }

  get authUrl(): string {
    return this.baseUrl + this.profileDefinition.paths.auth;
  }

  get tokenUrl(): string {
    return this.baseUrl + this.profileDefinition.paths.token;
  }

  get jwksUrl(): string {
    return this.baseUrl + this.profileDefinition.paths.jwks;
  }

  private publicHost(): string {
    return this.host === '0.0.0.0' || this.host === '::' ? '127.0.0.1' : this.host;
  }

  async start(): Promise<void> {
    if (this.server) return;
    await this.keys.current();
    const server = this.app.listen(this.port, this.host);
    await new Promise<void>((resolve, reject) => {
      server.once('listening', resolve);
      server.once('error', reject);
    });
    this.server = server;
    const { port } = server.address() as AddressInfo;
    const host = this.publicHost();
    this.startedBaseUrl = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  }

  async stop(): Promise<void> {
    const server = this.server;
    if (!server) return;
    this.server = undefined;
    await new Promise<void>((resolve, reject) => {
      server.close((error) => (error ? reject(error) : resolve()));
      server.closeAllConnections();
    });
  }

  setTool(tool: ToolEndpoints): void {
    this.tool = { ...tool };
  }

  get openidConfigurationUrl(): string {
    return this.registration.openidConfigurationUrl;
  }

  get registrationEndpointUrl(): string {
    return this.registration.registrationEndpointUrl;
  }

  get activities(): readonly LmsActivity[] {
    return this.courseActivities.all;
  }

  get registrations(): readonly LmsRegistration[] {
    return this.registration.registrations;
  }

  beginRegistration(toolRegistrationUrl: string, options?: BeginRegistrationOptions): string {
    return this.registration.begin(toolRegistrationUrl, options);
  }

  registrationPageUrl(toolRegistrationUrl: string, options?: BeginRegistrationOptions): string {
    const opened = this.beginRegistration(toolRegistrationUrl, options);
    return `${this.baseUrl}/admin/tool-registration?url=${encodeURIComponent(opened)}`;
  }

  activateRegistration(clientId: string): void {
    this.registration.activate(clientId);
  }

  private useRegistration(registration: LmsRegistration): void {
    this.currentRegistration = registration;
    this.currentClientId = registration.clientId;
    this.currentDeploymentId = registration.deploymentId;
    this.deployments.add(registration.deploymentId);
    this.tool = { ...registration.tool };
  }

  /** Moodle lists a pending tool nowhere a course could launch it. */
  launchBlocked(): string | undefined {
    const registration = this.currentRegistration;
    if (registration?.status !== 'pending') return undefined;
    return (
      `the tool with client id ${registration.clientId} is pending: ${this.profileDefinition.productName} ` +
      'shows no launch link until an admin activates it (activateRegistration)'
    );
  }

  currentTool(): ToolEndpoints | undefined {
    return this.tool;
  }

  addUser(user: LmsUser): void {
    this.extraUsers.set(user.id, { ...user, roles: [...user.roles] });
    this.unenrolled.delete(user.id);
  }

  unenrollUser(userId: string): void {
    if (!this.findUser(userId)) throw new Error(`LMS emulator: unknown user ${userId}`);
    this.unenrolled.add(userId);
  }

  findCourse(courseId: string): LmsCourse | undefined {
    return this.courses.get(courseId);
  }

  gradebook(courseId: string = this.profileDefinition.course.id): LmsGradebook {
    return this.ags.gradebook(courseId);
  }

  gradebookPageUrl(userId: string, courseId: string = this.profileDefinition.course.id): string {
    return `${this.baseUrl}/course/${encodeURIComponent(courseId)}/gradebook?user=${encodeURIComponent(userId)}`;
  }

  failAgsRequests(fault: AgsFault): void {
    this.ags.failNext(fault);
  }

  deleteLineItem(idOrUrl: string): void {
    this.ags.deleteInLms(idOrUrl);
  }

  findUser(userId: string): LmsUser | undefined {
    return this.extraUsers.get(userId) ?? Object.values(this.users).find((user) => user.id === userId);
  }

  /** Everyone enrolled: the profile's enrolled users (not the site admin) plus added users. */
  private roster(): LmsUser[] {
    const enrolled = this.profileDefinition.enrolled.map((name) => this.users[name]);
    return [...enrolled.filter((user) => !this.extraUsers.has(user.id)), ...this.extraUsers.values()].filter(
      (user) => !this.unenrolled.has(user.id),
    );
  }

  courseFor(courseId: string): LmsCourse {
    let course = this.courses.get(courseId);
    if (!course) {
      const seed = this.profileDefinition.course;
      const isDefault = courseId === seed.id;
      const issuer = this.options.issuer ?? this.profileDefinition.defaultIssuer('');
      course = {
        id: courseId,
        label: isDefault ? seed.label : `COURSE-${courseId}`,
        title: isDefault ? seed.title : `Course ${courseId}`,
        contextId: this.profile === 'canvas' ? canvasContextId(issuer, courseId) : courseId,
      };
      this.courses.set(courseId, course);
    }
    return course;
  }

  private resolveLaunch(options: LaunchOptions): ResolvedLaunch {
    const targetLinkUri = options.targetLinkUri ?? this.tool?.targetLinkUri ?? this.tool?.launchUrl;
    if (!targetLinkUri)
      throw new Error('LMS emulator: no tool registered (call setTool) and no targetLinkUri given');
    const courseId = options.courseId ?? this.profileDefinition.course.id;
    this.courseFor(courseId);
    let resourceLinkId = options.resourceLinkId ?? this.resourceLinks.get(courseId);
    if (!resourceLinkId) {
      resourceLinkId =
        this.profile === 'moodle'
          ? String(this.resourceLinks.size + 1)
          : this.profileDefinition.defaultResourceLinkId();
      this.resourceLinks.set(courseId, resourceLinkId);
    }
    const deploymentId = options.deploymentId ?? this.deploymentId;
    this.deployments.add(deploymentId);
    return {
      messageType: options.messageType ?? 'LtiResourceLinkRequest',
      resourceLinkId,
      targetLinkUri,
      deploymentId,
      courseId,
      locale: options.locale ?? 'en',
    };
  }

  private claimSource(): ClaimSource {
    return {
      profile: this.profileDefinition,
      issuer: this.issuer,
      clientId: this.clientId,
      baseUrl: this.baseUrl,
      shareEmail: this.shareEmail,
      platformGuid: this.platformGuid,
      course: (courseId) => this.courseFor(courseId),
      identity: (user) =>
        deriveIdentity(this.profileDefinition, this.issuer, user, this.usernames.get(user.id)),
      issueDeepLinkData: (request) => this.services.issueDeepLinkData(request),
      activity: (courseId, resourceLinkId) => this.courseActivities.find(courseId, resourceLinkId),
      toolCustom: (course) => this.copies.customFor(course),
      sectionCustom: (courseId, userId, custom) => this.sections.substitute(custom, courseId, userId),
    };
  }

  private buildClaimsFor(userId: string, launch: ResolvedLaunch, nonce: string): Record<string, unknown> {
    const user = this.findUser(userId);
    if (!user) throw new Error(`LMS emulator: unknown user ${userId}`);
    return buildClaims(this.claimSource(), user, launch, nonce);
  }

  loginInitiation(userId: string, options?: LaunchOptions): Record<string, string> {
    return this.login.initiation(userId, options);
  }

  loginInitiationUrl(userId: string, options?: LaunchOptions): string {
    const params = this.loginInitiation(userId, options);
    return `${(this.tool as ToolEndpoints).loginUrl}?${new URLSearchParams(params).toString()}`;
  }

  authorize(
    request: string | URLSearchParams | Record<string, unknown>,
    tamper?: Tamper,
  ): Promise<AuthorizeResult> {
    return this.login.authorize(request, tamper);
  }

  claimsFor(userId: string, params: { nonce: string } & LaunchOptions): Record<string, unknown> {
    const { nonce, ...options } = params;
    return this.buildClaimsFor(userId, this.resolveLaunch(options), nonce);
  }

  signIdToken(claims: Record<string, unknown>, tamper?: Pick<Tamper, 'header' | 'sign'>): Promise<string> {
    return this.keys.sign(claims, tamper);
  }

  coursePagePath(userId: string, options: LaunchOptions = {}): string {
    const courseId = options.courseId ?? this.profileDefinition.course.id;
    const query = new URLSearchParams({ user: userId });
    if (options.messageType) query.set('messageType', options.messageType);
    if (options.resourceLinkId) query.set('resourceLinkId', options.resourceLinkId);
    if (options.targetLinkUri) query.set('targetLinkUri', options.targetLinkUri);
    if (options.deploymentId) query.set('deploymentId', options.deploymentId);
    if (options.locale) query.set('locale', options.locale);
    return `/course/${encodeURIComponent(courseId)}?${query.toString()}`;
  }

  coursePageUrl(userId: string, options?: LaunchOptions): string {
    return this.baseUrl + this.coursePagePath(userId, options);
  }

  addSection(name: string, courseId = this.profileDefinition.course.id): LmsSection {
    return this.sections.add(courseId, name);
  }

  enrolInSection(sectionId: string, userId: string, courseId = this.profileDefinition.course.id): void {
    this.sections.enrol(courseId, sectionId, userId);
  }

  copyCourse(fromCourseId: string, newCourseId?: string): LmsCourse {
    return this.copies.copy(fromCourseId, newCourseId);
  }

  rotateKey(): Promise<void> {
    return this.keys.rotate();
  }
}

export function createLmsEmulator(options: LmsEmulatorOptions): LmsEmulator {
  return new LmsEmulatorImpl(options);
}
