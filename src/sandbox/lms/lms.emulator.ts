import type { Express } from 'express';
import { CourseActivities } from './lms.activities';
import { AgsService } from './lms.ags';
import { LoginFlow } from './lms.auth';
import { buildClaims, deriveIdentity, type ClaimSource } from './lms.claims';
import { CourseDirectory, coursePagePath } from './lms.courses';
import { LmsListener } from './lms.listener';
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

  /** The emulator's port and base URL (lms.listener.ts). */
  private readonly listener: LmsListener;
  private readonly shareEmail: boolean;
  private readonly initialClientId: string;
  private readonly platformGuid = `${randomAlnum(40)}:canvas-lms`;
  private readonly login: LoginFlow;
  /** Users, who is enrolled, and the courses known so far (lms.courses.ts). */
  private readonly directory: CourseDirectory;
  private readonly deployments = new Set<string>();
  private tool?: ToolEndpoints;
  private currentClientId: string;
  private currentDeploymentId: string;
  /** The dynamically registered tool being launched, if the current tool came that way. */
  private currentRegistration?: LmsRegistration;

  constructor(private readonly options: LmsEmulatorOptions) {
    const profile = PROFILES[options.profile];
    if (!profile) throw new Error(`LMS emulator: unknown profile ${String(options.profile)}`);
    this.profile = profile.name;
    this.profileDefinition = profile;
    this.listener = new LmsListener(options.host ?? '127.0.0.1', options.port ?? 0);
    this.shareEmail = options.shareEmail ?? true;
    this.initialClientId = options.clientId ?? profile.newClientId();
    this.currentClientId = this.initialClientId;
    this.currentDeploymentId = options.deploymentId ?? profile.newDeploymentId();
    this.deployments.add(this.currentDeploymentId);
    this.tool = options.tool;

    this.directory = new CourseDirectory(profile, options);
    this.users = this.directory.users;
    this.courseActivities = new CourseActivities(profile);
    this.keys = new KeyStore(profile.newKid);
    this.services = new LtiServices({
      profile,
      clientId: () => this.clientId,
      baseUrl: () => this.baseUrl,
      tokenUrl: () => this.tokenUrl,
      tool: () => this.tool,
      keys: this.keys,
      findCourse: (courseId) => this.directory.findCourse(courseId),
      roster: () => this.directory.roster(),
      knownDeployments: () => this.deployments,
      claimSource: () => this.claimSource(),
    });
    this.ags = new AgsService({
      profile,
      baseUrl: () => this.baseUrl,
      findCourse: (courseId) => this.directory.findCourse(courseId),
      roster: () => this.directory.roster(),
      subjectOf: (user) =>
        deriveIdentity(this.profileDefinition, this.issuer, user, this.directory.usernameOf(user.id)).sub,
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
      courseIds: () => this.directory.courseIds(),
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
    return this.listener.baseUrl;
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

  async start(): Promise<void> {
    if (this.listener.listening) return;
    await this.keys.current();
    await this.listener.start(this.app);
  }

  stop(): Promise<void> {
    return this.listener.stop();
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
    this.directory.addUser(user);
  }

  unenrollUser(userId: string): void {
    this.directory.unenrollUser(userId);
  }

  findCourse(courseId: string): LmsCourse | undefined {
    return this.directory.findCourse(courseId);
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
    return this.directory.findUser(userId);
  }

  courseFor(courseId: string): LmsCourse {
    return this.directory.courseFor(courseId);
  }

  private resolveLaunch(options: LaunchOptions): ResolvedLaunch {
    const targetLinkUri = options.targetLinkUri ?? this.tool?.targetLinkUri ?? this.tool?.launchUrl;
    if (!targetLinkUri)
      throw new Error('LMS emulator: no tool registered (call setTool) and no targetLinkUri given');
    const courseId = options.courseId ?? this.profileDefinition.course.id;
    this.courseFor(courseId);
    const resourceLinkId = options.resourceLinkId ?? this.directory.resourceLinkFor(courseId);
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
        deriveIdentity(this.profileDefinition, this.issuer, user, this.directory.usernameOf(user.id)),
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
    return coursePagePath(options.courseId ?? this.profileDefinition.course.id, userId, options);
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
