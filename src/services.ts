import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config';
import {
  createLtiProvider,
  deleteExpiredLoginStates,
  isStaff,
  LaunchChecks,
  LaunchConfirmations,
  LtijsDatabasePlugin,
  PlatformKeys,
  type LaunchContext,
  type LtiProvider,
  type ToolKeyPairSource,
} from './lti';
import { JobRunner } from './jobs';
import {
  AlternativeHosts,
  CONFIRM_CREATE_ATTEMPTS,
  CONFIRM_CREATE_JOB,
  MeetingsPages,
  MeetingSections,
  MeetingsService,
  MeetingsSync,
  RECONCILE_JOB,
} from './meetings';
import {
  forgetProvisionedPeople,
  PROVISIONING_RETRY_ATTEMPTS,
  PROVISIONING_RETRY_JOB,
  ProvisioningService,
} from './provisioning';
import { deriveKey, SecretBox } from './shared/crypto';
import { AdminService, LoginLimiter, OperatorSessions } from './admin';
import { buildAttendance, type AttendanceServices } from './services.attendance';
import { buildCourseLife, type CourseLifeServices } from './services.meetings';
import { PRIVACY_PURGE_JOB, PrivacyService } from './privacy';
import { resolvePreviousMasterKey } from './shared/master-key';
import { createMetrics, type Metrics } from './metrics';
import { sql } from 'drizzle-orm';
import { migrationsApplied, queryRows, type Database } from './storage';
import { LAUNCH_CACHE_TTL_MS, SchoolInvites, TenantsService } from './tenants';
import { coursePagePresenter, type CoursePagePresenter } from './web';
import {
  accountProbe,
  webhookTargets,
  ZoomClient,
  ZoomConnectLinks,
  ZoomConnectService,
  ZoomEvents,
  ZoomOAuthServer,
  ZoomPacer,
  zoomRateStore,
  ZoomSelfCheck,
  ZoomTokenService,
  type WebhookTargets,
} from './zoom';

export const VIEWS_DIR = path.resolve(__dirname, '..', 'views');

export interface Services {
  tenants: TenantsService;
  /** One-time registration links that bind an LMS's dynamic registration to a school. */
  invites: SchoolInvites;
  /** The operator console (/admin): its password, sessions, pages' reads and changes, schools' latest errors. */
  admin: AdminService;
  lti: LtiProvider;
  secretBox: SecretBox;
  /** Prometheus metrics of this app (its own registry), fed by the capabilities' callbacks below. */
  metrics: Metrics;
  zoom: {
    oauth: ZoomOAuthServer;
    tokens: ZoomTokenService;
    connect: ZoomConnectService;
    client: ZoomClient;
    /** Verified webhook events, for the capabilities that subscribe to them. */
    events: ZoomEvents;
    /** What Zoom's webhook endpoints act on. */
    webhooks: WebhookTargets;
    /** The school admin's live self-check. */
    selfCheck: ZoomSelfCheck;
    /** Signed, expiring links a school's LMS admin forwards to its Zoom admin. */
    links: ZoomConnectLinks;
  };
  provisioning: ProvisioningService;
  /** Background work: durable jobs and work that outlived its request. server.ts starts and stops it. */
  jobs: JobRunner;
  /** The course page's model for a launch. */
  coursePage: CoursePagePresenter;
  meetings: { service: MeetingsService; sync: MeetingsSync; pages: MeetingsPages } & CourseLifeServices;
  /** Attendance and its grades in the LMS (issue 19). */
  attendance: AttendanceServices;
  /** Retention per school, its daily purge, launches into courses; the operator's export and erasure of a user. */
  privacy: PrivacyService;

  /** Keys for form tokens, calendar feed signatures and Zoom connect links (derived from the master key). */
  keys: { forms: Buffer; feeds: Buffer; connectLinks: Buffer; privacyErasures: Buffer };
  /**
   * The school of a session after its launch while it may still act (registration, deployment and
   * school active, from the launch cache); refused with `launch_inactive` otherwise.
   */
  schoolOfActiveLaunch(
    launch: LaunchContext,
  ): Promise<{ id: string; name: string; timeZone: string; sandbox: boolean }>;
  /** Readiness: the database answers and every migration is applied. */
  ready(): Promise<boolean>;
  /** Deletes expired data: ltijs nonces, states and tokens, login states, Zoom connection attempts, old webhook deliveries. */
  purgeExpired(): Promise<number>;
}

/** The composition root shared by the server and the CLI: capabilities wired to one database. */
export async function buildServices(deps: {
  config: Config;
  database: Database;
  logger: Logger;
  masterKey: Buffer;
  /** The clock of the operator console's sessions (tests move it). */
  now?: () => number;
  /** Where the tool's key pair for a newly registered platform comes from (default: a new RSA-4096 pair). */
  toolKeyPairs?: ToolKeyPairSource;
  /** How long launches keep what they read of registrations (default LAUNCH_CACHE_TTL_MS; tests shorten it). */
  launchCacheTtlMs?: number;
}): Promise<Services> {
  const { config, database, logger, masterKey } = deps;
  const db = database.db;
  // During a key rotation values sealed under the previous key still open (docs/operations.md).
  const previousKey = resolvePreviousMasterKey(config);
  const secretBox = new SecretBox(masterKey, { previousMasterKeys: previousKey ? [previousKey] : [] });
  const metrics = createMetrics();

  // The platform key store is the LTI provider, which needs the launch checks, which need the
  // tenants service: the provider is bound into the key store once it exists.
  const bound: { lti?: LtiProvider } = {};
  const requireLti = () => {
    if (!bound.lti) throw new Error('LTI provider not ready');
    return bound.lti;
  };
  const tenants = new TenantsService(
    db,
    {
      registerPlatform: (platform) => requireLti().registerPlatform(platform),
      removePlatform: (issuer, clientId) => requireLti().removePlatform(issuer, clientId),
    },
    logger.child({ category: 'tenants' }),
    { launchCacheTtlMs: deps.launchCacheTtlMs },
  );
  const schoolOf = async (launch: LaunchContext) => {
    const school = await tenants.schoolOf(launch.issuer, launch.clientId);
    if (!school) throw new Error(`No registration for a verified launch from ${launch.issuer}`);
    return school;
  };

  const zoomLogger = logger.child({ category: 'zoom' });
  const oauth = new ZoomOAuthServer(config.zoom.oauthUrl);
  const tokens = new ZoomTokenService({
    db,
    secretBox,
    oauth,
    oauthApp: config.zoom.oauthApp,
    logger: zoomLogger,
    onRefresh: (outcome) => metrics.tokenRefresh(outcome),
  });
  // Zoom's limits are per account: every instance paces through the database (zoom.pacer.ts).
  const pacer = new ZoomPacer({ store: zoomRateStore(db), logger: zoomLogger });
  const client = new ZoomClient({
    apiUrl: config.zoom.apiUrl,
    tokens,
    logger: zoomLogger,
    pacer,
    timeoutMs: config.zoom.apiTimeoutMs,
    onRequest: (answer) => metrics.zoomRequest(answer),
  });
  const connect = new ZoomConnectService({
    db,
    secretBox,
    oauth,
    oauthApp: config.zoom.oauthApp,
    tokens,
    probe: accountProbe({ apiUrl: config.zoom.apiUrl, logger: zoomLogger, plan: config.zoom.defaultPlan }),
    publicUrl: config.publicUrl,
    plan: config.zoom.defaultPlan,
    onForget: (tx, schoolId) => forgetProvisionedPeople(tx, schoolId),
    logger: zoomLogger,
  });
  const events = new ZoomEvents();
  const webhooks = webhookTargets({
    db,
    secretBox,
    marketplaceSecret: config.zoom.webhookSecretToken,
    connect,
    events,
    logger: logger.child({ category: 'zoom-webhooks' }),
  });
  const jobs = new JobRunner({
    db,
    logger: logger.child({ category: 'jobs' }),
    onFailed: (kind) => metrics.jobFailed(kind),
  });
  metrics.countFailedJobs(() => jobs.failedCounts());
  const provisioning = new ProvisioningService({
    db,
    client,
    connectionOf: (schoolId) => connect.connectionOf(schoolId),
    jobs,
    launchBudgetMs: config.provisioningLaunchWaitMs,
    logger: logger.child({ category: 'provisioning' }),
    onOutcome: (outcome) => metrics.provisioning(outcome),
  });

  jobs.register(PROVISIONING_RETRY_JOB, {
    handler: (payload) => provisioning.retryFromJob(payload),
    maxAttempts: PROVISIONING_RETRY_ATTEMPTS,
  });

  const plugin = new LtijsDatabasePlugin({
    db,
    secretBox,
    nonceTtlSeconds: config.lti.nonceTtlSeconds,
    // ltijs' nonce check and its own login state stay in memory: our login states, single use in
    // the shared database, are what refuses a replayed launch on any instance.
    memoryCollections: ['nonce', 'state'],
    readCacheMs: LAUNCH_CACHE_TTL_MS,
    // The course page right after a launch reads the session that launch just wrote.
    sessionCacheMs: LAUNCH_CACHE_TTL_MS,
  });
  const checks = new LaunchChecks({
    db,
    registrations: tenants,
    platformKeys: new PlatformKeys(),
    launchUrl: `${config.publicUrl}/lti/launch`,
    stateTtlSeconds: config.lti.loginStateTtlSeconds,
    logger: logger.child({ category: 'lti' }),
  });
  const lti = await createLtiProvider({
    plugin,
    ltiKey: deriveKey(masterKey, 'ltijs').toString('base64url'),
    checks,
    confirmations: new LaunchConfirmations(db),
    tokenMaxAgeSeconds: config.lti.tokenMaxAgeSeconds,
    viewsDir: VIEWS_DIR,
    logger: logger.child({ category: 'lti' }),
    landingPath: '/lti/course',
    onLaunch: (outcome, loginAt) => metrics.launch(outcome, loginAt),
    toolKeyPairs: deps.toolKeyPairs,
    // Instructors and administrators get their Zoom user; learners never reach Zoom.
    afterLaunch: async (launch, { startedAt }) => {
      const school = await schoolOf(launch);
      // When a course was last used (retention): at most one statement per course an hour, any role.
      await privacy.launches
        .record({ schoolId: school.id, lmsIssuer: launch.issuer, contextId: launch.course.id })
        .catch((error: unknown) => logger.warn({ err: error }, 'recording a launch into its course failed'));
      if (!isStaff(launch.role)) return;
      await provisioning
        .ensureForLaunch({ ...launch, schoolId: school.id, role: launch.role }, { startedAt })
        .catch((error: unknown) =>
          logger.warn({ err: error }, 'provisioning at launch failed; the course page opens anyway'),
        );
    },
  });
  bound.lti = lti;

  const meetings = new MeetingsService({
    db,
    client,
    connectionOf: (schoolId) => connect.connectionOf(schoolId),
    zoomUserOf: (person) => provisioning.zoomUserOf(person),
    jobs,
    logger: logger.child({ category: 'meetings' }),
  });
  const sync = new MeetingsSync(meetings, jobs);
  jobs.register(RECONCILE_JOB, { handler: (payload) => sync.reconcile(payload), maxAttempts: 3 });
  jobs.register(CONFIRM_CREATE_JOB, {
    handler: (payload, run) => sync.confirmCreate(payload, run),
    maxAttempts: CONFIRM_CREATE_ATTEMPTS,
  });
  events.subscribe((event, context) => sync.onZoomEvent(event, context));
  const attendance = buildAttendance({
    config,
    db,
    masterKey,
    secretBox,
    jobs,
    lti,
    meetings,
    events,
    logger,
  });
  const keys = {
    forms: deriveKey(masterKey, 'forms'),
    feeds: deriveKey(masterKey, 'calendar-feeds'),
    connectLinks: deriveKey(masterKey, 'zoom-connect-links'),
    privacyErasures: deriveKey(masterKey, 'privacy-erasures'),
  };
  const privacy = new PrivacyService({
    db,
    jobs,
    logger: logger.child({ category: 'privacy' }),
    erasureKey: keys.privacyErasures,
    now: deps.now,
  });
  jobs.register(PRIVACY_PURGE_JOB, { handler: (payload) => privacy.purge.runJob(payload), maxAttempts: 5 });
  const selfCheck = new ZoomSelfCheck({
    connection: async (schoolId) => ({
      view: await connect.view(schoolId),
      ref: (await connect.connectionOf(schoolId)).ref,
    }),
    tokens,
    client,
    logger: zoomLogger,
  });
  const links = new ZoomConnectLinks({
    db,
    key: keys.connectLinks,
    publicUrl: config.publicUrl,
    logger: zoomLogger,
  });
  const pages = new MeetingsPages({
    meetings,
    sync,
    hosts: new AlternativeHosts({ logger: logger.child({ category: 'meetings' }) }),
    zoomUserOf: (person) => provisioning.zoomUserOf(person),
    feedKey: keys.feeds,
    publicUrl: config.publicUrl,
    logger: logger.child({ category: 'meetings' }),
    sections: new MeetingSections({ db, logger: logger.child({ category: 'meetings' }) }),
  });
  const life = buildCourseLife({
    db,
    meetings,
    sync,
    jobs,
    events,
    attendance,
    zoomUserOf: (person) => provisioning.zoomUserOf(person),
    grantedScopes: async (schoolId) => (await connect.view(schoolId)).scopes,
    logger: logger.child({ category: 'meetings' }),
  });

  const coursePage = coursePagePresenter({
    zoomStatusOf: async (schoolId) => (await connect.view(schoolId)).status,
    provisioningOf: (launch, schoolId) =>
      provisioning.pageMessage({
        schoolId,
        issuer: launch.issuer,
        userId: launch.userId,
        email: launch.email,
        platform: launch.platform.productFamily,
        locale: launch.locale,
        role: launch.role,
        roles: launch.roles,
      }),
  });

  const now = deps.now ?? Date.now;
  const admin = new AdminService({
    db,
    tenants,
    invites: new SchoolInvites(db, config.publicUrl, now),
    sessions: new OperatorSessions(db, now),
    limiter: new LoginLimiter(db),
    logger: logger.child({ category: 'admin' }),
    now,
    retention: privacy.retention,
  });

  return {
    tenants,
    invites: new SchoolInvites(db, config.publicUrl),
    admin,
    lti,
    secretBox,
    metrics,
    zoom: { oauth, tokens, connect, client, events, webhooks, selfCheck, links },
    provisioning,
    jobs,
    coursePage,
    meetings: { service: meetings, sync, pages, ...life },
    attendance,
    privacy,
    keys,
    schoolOfActiveLaunch: (launch) => tenants.schoolOfActiveLaunch(launch),
    ready: async () => {
      await queryRows(db, sql`select 1`);
      return migrationsApplied(database);
    },
    purgeExpired: async () => {
      await connect.purgeExpired();
      await admin.purgeExpired();
      return (await plugin.purgeExpired()) + (await deleteExpiredLoginStates(db, new Date()));
    },
  };
}
