import { AsyncLocalStorage } from 'node:async_hooks';
import { createSecretKey, randomBytes, type KeyObject } from 'node:crypto';
import cookieParser from 'cookie-parser';
import express, { type NextFunction, type Request, type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { errors, isAppError } from '../shared/errors';
import type { PlatformKeyStore } from '../tenants';
import type { CheckedLaunch, LaunchChecks } from './lti.checks';
import { LoginChecks, stateCheckOf, stateCookieName } from './lti.client-state';
import { generateToolKeyPair, type ToolKeyPairSource } from './lti.keypairs';
import { withLaunchKey, type LaunchKey } from './lti.launch-key';
import { courseMembersFrom, type CourseMember } from './lti.members';
import {
  ServiceTokenRefused,
  ServiceTokens,
  tokenRefusalOf,
  type ServiceRegistration,
  type ServiceToken,
} from './lti.service-token';
import { toLaunchContext, type LaunchContext, type StateCheck } from './lti.launch';
import {
  assertConfirmedByBrowser,
  confirmPageModel,
  keptStateOf,
  type LaunchConfirmations,
} from './lti.launch-confirm';
import { loginRoutes } from './lti.login.routes';
import { LTIJS_REFUSALS, ltijsMessage, refusalFrom } from './lti.refusals';
import type { LtijsDatabasePlugin } from './lti.plugin';

/**
 * The only file that touches ltijs. Everything else sees `LtiProvider`: a router to mount at
 * `/lti`, a router for pages that need a launch, the platform key store, and `launchOf(res)`.
 *
 * Our own routes run first: the OIDC login (ltijs' own makes its nonce with Math.random and never
 * checks it) and the launch pre-checks (nonce, state, deployment, target link). ltijs then verifies
 * the id token (signature, kid, iss, aud, azp, exp, iat, nonce replay, version, message type,
 * deployment and sub present) and issues the ltik; requests after the launch carry the ltik
 * (`ltiaas` mode: no session cookie), which ltijs checks on every protected route.
 */

type Handler = (req: Request, res: Response, next: NextFunction) => unknown;

interface LtijsProviderInstance {
  app: express.Express;
  setup(
    key: string | KeyObject,
    database: { plugin: unknown },
    options: Record<string, unknown>,
  ): LtijsProviderInstance;
  deploy(options: { serverless: boolean; silent: boolean }): Promise<true>;
  onConnect(callback: (token: unknown, req: Request, res: Response, next: NextFunction) => unknown): void;
  onDeepLinking(callback: (token: unknown, req: Request, res: Response, next: NextFunction) => unknown): void;
  onInvalidToken(callback: Handler): void;
  onSessionTimeout(callback: Handler): void;
  onUnregisteredPlatform(callback: Handler): void;
  onInactivePlatform(callback: Handler): void;
  registerPlatform(platform: Record<string, unknown>): Promise<unknown>;
  deletePlatform(url: string, clientId: string): Promise<true>;
  getPlatform(url: string, clientId: string): Promise<unknown>;
  NamesAndRoles: {
    getMembers(
      idtoken: unknown,
      options?: { role?: string; pages?: number | false; limit?: number },
    ): Promise<{ members?: unknown[] }>;
  };
  DeepLinking: {
    createDeepLinkingMessage(
      idtoken: unknown,
      contentItems: ContentItem[],
      options?: { message?: string; log?: string },
    ): Promise<string>;
  };
}

/** A content item sent back to the LMS's content picker (LTI Deep Linking 2.0). */
export interface ContentItem {
  type: 'ltiResourceLink';
  title: string;
  /** Our launch URL, with whatever identifies the item in `custom`. */
  url?: string;
  text?: string;
  custom?: Record<string, string>;
}

/** Each app's source of key pairs, by the database object ltijs hands its key maker. */
const keyPairSources = new WeakMap<object, ToolKeyPairSource>();
let keyMakerReplaced = false;

/**
 * ltijs makes a platform's key pair in `Auth.generatePlatformKeyPair`, with `generateKeyPairSync`
 * (see lti.keypairs.ts). Ours does what it does (a kid no key has, then the public and the private
 * key stored under it through the plugin) with the app's own source, off the event loop.
 */
function replaceLtijsKeyMaker(): void {
  if (keyMakerReplaced) return;
  keyMakerReplaced = true;
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const auth = require('ltijs/dist/Utils/Auth') as {
    generatePlatformKeyPair(
      key: string,
      database: LtijsDatabasePlugin,
      url: string,
      clientId: string,
    ): Promise<string>;
  };
  auth.generatePlatformKeyPair = async (encryptionKey, database, platformUrl, clientId) => {
    let kid = randomBytes(16).toString('hex');
    while (await database.Get(false, 'publickey', { kid })) kid = randomBytes(16).toString('hex');
    const { publicKey, privateKey } = await (keyPairSources.get(database) ?? generateToolKeyPair)();
    const index = { kid, platformUrl, clientId };
    await database.Replace(
      encryptionKey,
      'publickey',
      { platformUrl, clientId },
      { key: publicKey, kid },
      index,
    );
    await database.Replace(
      encryptionKey,
      'privatekey',
      { platformUrl, clientId },
      { key: privateKey, kid },
      index,
    );
    return kid;
  };
}

function newLtijsProvider(): LtijsProviderInstance {
  // ltijs exports a singleton; each app gets its own instance of the same class.
  // eslint-disable-next-line @typescript-eslint/no-require-imports
  const singleton = require('ltijs').Provider as { constructor: new () => LtijsProviderInstance };
  return new singleton.constructor();
}

export interface LtiProviderOptions {
  /** The ltijs database plugin (ours, over the shared database). */
  plugin: LtijsDatabasePlugin;
  /** Key ltijs signs ltiks and cookies with (derived from the master key). */
  ltiKey: string;
  checks: LaunchChecks;
  /** Logins waiting for their browser's confirmation (a launch whose cookie did not come back). */
  confirmations: LaunchConfirmations;
  tokenMaxAgeSeconds: number;
  viewsDir: string;
  logger: Logger;
  /** Where a verified launch continues (under `/lti`), e.g. `/lti/course`. */
  landingPath: string;
  /**
   * Work every verified launch does before landing (e.g. making sure an instructor has a Zoom
   * user); `startedAt` is when the person's login began, so waits can count from their click.
   */
  afterLaunch?: (launch: LaunchContext, timing: { startedAt: number }) => Promise<void>;
  /** Told how each launch ended (`landed`, or `refused:<error id>`) and, when landed, when its login began (metrics). */
  onLaunch?: (outcome: string, loginAt?: number) => void;
  /** Where the tool's key pair for a newly registered platform comes from (default: a new RSA-4096 pair). */
  toolKeyPairs?: ToolKeyPairSource;
}

export interface LtiProvider extends PlatformKeyStore {
  /** Mount at `/lti`: login, launch, keys and every protected route. */
  router: Router;
  /** Routes registered here are reached only with a valid ltik; `launchOf(res)` gives the launch. */
  protectedRouter: Router;
  /**
   * The answer to a deep-linking request: the signed `LtiDeepLinkingResponse` (ltijs keeps only the
   * items the LMS accepts) and where to post it. The page that posts it is ours (`deep-linking-return`
   * view): ltijs' own form carries an inline script our CSP forbids.
   */
  /**
   * The course's members with the given LIS role (Names and Roles, through ltijs), or undefined
   * when the LMS offers no Names and Roles service for this launch.
   */
  courseMembers(res: Response, role: 'Instructor' | 'Learner'): Promise<CourseMember[] | undefined>;
  deepLinkingResponse(
    res: Response,
    items: ContentItem[],
    options?: { message?: string },
  ): Promise<{ returnUrl: string; jwt: string }>;
  /**
   * An access token for these LTI Advantage scopes for this registration (client credentials with
   * the tool's signed assertion, as ltijs asks), kept in memory until shortly before it expires.
   * Refusals throw `ServiceTokenRefused` (status and OAuth error code, never the body). `renew`
   * drops the kept token first (the LMS answered 401 to it).
   */
  serviceToken(
    registration: ServiceRegistration,
    scopes: readonly string[],
    options?: { renew?: boolean },
  ): Promise<ServiceToken>;
  close(): Promise<void>;
}

const LAUNCH_LOCAL = 'checkedLaunch';

/** A launch our checks passed, on its way through ltijs' verification. */
interface LaunchInProgress extends CheckedLaunch {
  stateCheck: StateCheck;
}

function hasStateCookie(req: Request, state: unknown): boolean {
  const cookies = (req.signedCookies ?? {}) as Record<string, unknown>;
  return typeof state === 'string' && typeof cookies[stateCookieName(state)] === 'string';
}

/**
 * How the launch's state came back to this browser. Without its cookie, a login that kept the state
 * in the browser (platform or window storage) goes on only when this browser's page posted back the
 * state and nonce it kept (`lti.launch-confirm`): ltijs' own cookie check is then answered here.
 * Without either, ltijs refuses the launch (the cookie is missing).
 */
function stateCheckFor(req: Request, body: Record<string, unknown>, checked: CheckedLaunch): StateCheck {
  if (hasStateCookie(req, body.state) || !checked.clientStore) return 'cookie';
  assertConfirmedByBrowser(req, body, checked);
  const cookies = (req.signedCookies ?? {}) as Record<string, unknown>;
  req.signedCookies = { ...cookies, [stateCookieName(checked.state)]: checked.registration.issuer };
  return stateCheckOf(checked.clientStore);
}

export async function createLtiProvider(options: LtiProviderOptions): Promise<LtiProvider> {
  const lti = newLtijsProvider();
  const launchKey = new AsyncLocalStorage<LaunchKey>();
  const database = withLaunchKey(options.plugin, launchKey);
  replaceLtijsKeyMaker();
  keyPairSources.set(database, options.toolKeyPairs ?? generateToolKeyPair);
  lti.setup(
    // As a key object, so jsonwebtoken does not try (and fail) to parse it as a PEM key every time
    // ltijs signs or checks an ltik. ltijs' own cookie parser never runs: ours parses first.
    createSecretKey(Buffer.from(options.ltiKey)),
    { plugin: database },
    {
      appRoute: '/launch',
      loginRoute: '/login',
      keysetRoute: '/keys',
      dynRegRoute: '/register',
      cookies: { secure: true, sameSite: 'None' },
      ltiaas: true,
      devMode: false,
      tokenMaxAge: options.tokenMaxAgeSeconds,
      cors: false,
    },
  );
  lti.app.set('views', options.viewsDir);
  lti.app.set('view engine', 'ejs');
  // The pages after a launch render here: templates compiled once, whatever NODE_ENV says.
  lti.app.set('view cache', true);
  lti.app.disable('x-powered-by');

  lti.onInvalidToken((req, res, next) => {
    // ltijs reports every failure while verifying as an invalid token, our database's too: that
    // one is not the person's fault, and trying again shortly works.
    if (ltijsMessage(res) === 'DATABASE_ERROR') return next(errors.databaseUnavailable());
    const hadIdToken = typeof (req.body as Record<string, unknown> | undefined)?.id_token === 'string';
    next(hadIdToken ? errors.launchInvalid(refusalFrom(res)) : errors.launchRequired());
  });
  lti.onSessionTimeout((_req, _res, next) => next(errors.launchRequired()));
  lti.onUnregisteredPlatform((_req, _res, next) => next(errors.unknownClient()));
  lti.onInactivePlatform((_req, _res, next) =>
    next(errors.launchInvalid(LTIJS_REFUSALS.PLATFORM_NOT_ACTIVATED)),
  );

  const landing = async (_token: unknown, _req: Request, res: Response, next: NextFunction) => {
    try {
      const checked = res.locals[LAUNCH_LOCAL] as LaunchInProgress | undefined;
      const launch = launchOf(res);
      const landingUrl = `${options.landingPath}?ltik=${encodeURIComponent(launch.ltik)}`;
      // No id token in this request: an ltik came back to the launch URL; nothing new to record or do.
      if (!checked) return res.redirect(303, landingUrl);
      await options.checks.recordVerifiedDeployment(checked, launch);
      if (options.afterLaunch) await options.afterLaunch(launch, { startedAt: checked.loginAt });
      options.onLaunch?.('landed', checked.loginAt);
      if (checked.stateCheck === 'cookie') return res.redirect(303, landingUrl);
      // The state came back without its cookie (the browser's copy confirmed it): the session says how.
      await options.plugin.Modify(
        false,
        'idtoken',
        {
          iss: launch.issuer,
          clientId: launch.clientId,
          deploymentId: launch.deploymentId,
          user: launch.userId,
        },
        { stateCheck: checked.stateCheck },
      );
      res.redirect(303, landingUrl);
    } catch (error) {
      next(error);
    }
  };
  lti.onConnect(landing);
  lti.onDeepLinking(landing);

  const listenersBefore = process.listeners('SIGINT');
  await lti.deploy({ serverless: true, silent: true });
  // ltijs installs a SIGINT handler that exits the process; our server shuts down gracefully itself.
  for (const listener of process.listeners('SIGINT')) {
    if (!listenersBefore.includes(listener)) process.removeListener('SIGINT', listener);
  }

  const protectedRouter = express.Router();
  lti.app.use(protectedRouter);

  const router = express.Router();
  // Bodies are parsed here, before ltijs, so the id-token guard below sees every form and JSON body.
  router.use(express.urlencoded({ extended: false, limit: '64kb' }));
  router.use(express.json({ limit: '64kb' }));
  router.use(cookieParser(options.ltiKey));

  router.use(loginRoutes({ checks: options.checks, loginChecks: new LoginChecks(options.ltiKey) }));

  // ltijs verifies an id token only when the request carries no ltik, and accepts an id token on
  // any of its paths. So an id token is accepted only at POST /launch, never beside an ltik, and
  // only after our own checks: otherwise ltijs would authenticate by the ltik and ignore the token.
  router.use(async (req, res, next) => {
    const body = (req.body ?? {}) as Record<string, unknown>;
    const atLaunch = req.method === 'POST' && req.path === '/launch';
    const hasIdToken = body.id_token !== undefined;
    // Without an id token, only a POST to /launch that has no ltik is a launch (our checks refuse it).
    if (!hasIdToken && !(atLaunch && !carriesLtik(req))) return next();
    try {
      if (!atLaunch) {
        throw errors.launchInvalid('An id token is accepted only at the launch URL.');
      }
      if (carriesLtik(req)) {
        throw errors.launchInvalid(
          'The launch carries both an id token and a session link (ltik); a launch must carry only the id token.',
        );
      }
      // The LMS's post of a launch whose cookie did not come back: the browser that kept its state
      // confirms it first (lti.launch-confirm); nothing is checked, taken or minted until then.
      if (!hasStateCookie(req, body.state) && keptStateOf(body) === undefined) {
        const awaiting = await options.confirmations.awaiting(body.state);
        if (awaiting && typeof body.id_token === 'string') {
          res.set('Cache-Control', 'no-store');
          return res.render('launch-confirm', confirmPageModel(awaiting, { idToken: body.id_token }));
        }
      }
      const checked = await options.checks.checkLaunch(body);
      const stateCheck = stateCheckFor(req, body, checked);
      res.locals[LAUNCH_LOCAL] = { ...checked, stateCheck } satisfies LaunchInProgress;
      const { issuer, clientId } = checked.registration;
      launchKey.run({ issuer, clientId, key: checked.signingKey }, next);
    } catch (error) {
      next(error);
    }
  });

  router.use(lti.app);
  // Every refused launch passes here on its way to the error handler: counted by its error id.
  router.use((error: unknown, req: Request, _res: Response, next: NextFunction) => {
    if (req.method === 'POST' && req.path === '/launch')
      options.onLaunch?.(`refused:${isAppError(error) ? error.id : 'internal_error'}`);
    next(error);
  });

  const serviceTokens = new ServiceTokens(async (registration, scope) => {
    const platform = await lti.getPlatform(registration.issuer, registration.clientId);
    if (!platform) throw new ServiceTokenRefused(undefined, 'unknown_registration');
    // ltijs' own token request (its assertion, its HTTP client); it also stores the token.
    // eslint-disable-next-line @typescript-eslint/no-require-imports
    const auth = require('ltijs/dist/Utils/Auth') as {
      getAccessToken(
        scopes: string,
        platform: unknown,
        encryptionKey: string,
        database: LtijsDatabasePlugin,
      ): Promise<{ access_token: string; expires_in?: number; scope?: string }>;
    };
    try {
      return await auth.getAccessToken(scope, platform, options.ltiKey, options.plugin);
    } catch (error) {
      throw tokenRefusalOf(error);
    }
  });

  return {
    router,
    protectedRouter,
    serviceToken(registration, scopes, tokenOptions) {
      if (tokenOptions?.renew) serviceTokens.forget(registration, scopes);
      return serviceTokens.tokenFor(registration, scopes);
    },
    async registerPlatform(platform) {
      await lti.registerPlatform({
        url: platform.issuer,
        name: platform.name,
        clientId: platform.clientId,
        authenticationEndpoint: platform.loginUrl,
        accesstokenEndpoint: platform.tokenUrl,
        authConfig: { method: 'JWK_SET', key: platform.jwksUrl },
      });
    },
    async removePlatform(issuer, clientId) {
      await lti.deletePlatform(issuer, clientId);
    },
    async courseMembers(res, role) {
      const launch = launchOf(res);
      const context = res.locals.context as { namesRoles?: { context_memberships_url?: string } } | undefined;
      if (!context?.namesRoles?.context_memberships_url) return undefined;
      const answer = await lti.NamesAndRoles.getMembers(res.locals.token, {
        role: `http://purl.imsglobal.org/vocab/lis/v2/membership#${role}`,
        pages: 10,
      });
      options.logger.debug(
        { issuer: launch.issuer, count: answer.members?.length ?? 0 },
        'course members read',
      );
      return courseMembersFrom(answer.members ?? []);
    },
    async deepLinkingResponse(res, items, responseOptions) {
      const launch = launchOf(res);
      if (!launch.deepLinking) {
        throw errors.badRequest(
          'This page was not opened from the LMS’s content picker, so there is nothing to add to the course.',
        );
      }
      const jwt = await lti.DeepLinking.createDeepLinkingMessage(res.locals.token, items, responseOptions);
      return { returnUrl: launch.deepLinking.returnUrl, jwt };
    },
    async close() {
      // The plugin shares the application's database, which the application closes itself.
    },
  };
}

/** Whether a request may carry an ltik where ltijs looks for one (query, body, any Authorization header). */
function carriesLtik(req: Request): boolean {
  const body = (req.body ?? {}) as Record<string, unknown>;
  return req.query.ltik !== undefined || body.ltik !== undefined || req.get('authorization') !== undefined;
}

/** The verified launch behind a protected request. */
export function launchOf(res: Response): LaunchContext {
  const launch = toLaunchContext(res.locals.token, res.locals.context, res.locals.ltik);
  if (!launch) throw errors.launchRequired();
  return launch;
}
