import path from 'node:path';
import type { Logger } from 'pino';
import type { Config } from './config';
import {
  createLtiProvider,
  deleteExpiredLoginStates,
  LaunchChecks,
  LtijsDatabasePlugin,
  type LtiProvider,
} from './lti';
import { deriveKey, SecretBox } from './shared/crypto';
import type { Database } from './storage';
import { TenantsService } from './tenants';
import { accountProbe, ZoomClient, ZoomConnectService, ZoomOAuthServer, ZoomTokenService } from './zoom';

export const VIEWS_DIR = path.resolve(__dirname, '..', 'views');

export interface Services {
  tenants: TenantsService;
  lti: LtiProvider;
  secretBox: SecretBox;
  zoom: { oauth: ZoomOAuthServer; tokens: ZoomTokenService; connect: ZoomConnectService; client: ZoomClient };
  /** Deletes expired LTI data (ltijs nonces, states, tokens; our login states). */
  purgeExpired(): Promise<number>;
}

/** The composition root shared by the server and the CLI: capabilities wired to one database. */
export async function buildServices(deps: {
  config: Config;
  database: Database;
  logger: Logger;
  masterKey: Buffer;
}): Promise<Services> {
  const { config, database, logger, masterKey } = deps;
  const secretBox = new SecretBox(masterKey);
  const plugin = new LtijsDatabasePlugin({
    db: database.db,
    secretBox,
    nonceTtlSeconds: config.lti.nonceTtlSeconds,
  });
  // The platform key store is the LTI provider, which needs the launch checks, which need the
  // tenants service: the provider is bound into the key store once it exists.
  const bound: { lti?: LtiProvider } = {};
  const requireLti = () => {
    if (!bound.lti) throw new Error('LTI provider not ready');
    return bound.lti;
  };
  const tenants = new TenantsService(
    database.db,
    {
      registerPlatform: (platform) => requireLti().registerPlatform(platform),
      removePlatform: (issuer, clientId) => requireLti().removePlatform(issuer, clientId),
    },
    logger.child({ category: 'tenants' }),
  );
  const checks = new LaunchChecks({
    db: database.db,
    registrations: tenants,
    launchUrl: `${config.publicUrl}/lti/launch`,
    stateTtlSeconds: config.lti.loginStateTtlSeconds,
    logger: logger.child({ category: 'lti' }),
  });
  const lti = await createLtiProvider({
    plugin,
    ltiKey: deriveKey(masterKey, 'ltijs').toString('base64url'),
    checks,
    tokenMaxAgeSeconds: config.lti.tokenMaxAgeSeconds,
    viewsDir: VIEWS_DIR,
    logger: logger.child({ category: 'lti' }),
    landingPath: '/lti/course',
  });
  bound.lti = lti;
  const zoomLogger = logger.child({ category: 'zoom' });
  const oauth = new ZoomOAuthServer(config.zoom.oauthUrl);
  const tokens = new ZoomTokenService({
    db: database.db,
    secretBox,
    oauth,
    oauthApp: config.zoom.oauthApp,
    logger: zoomLogger,
  });
  const connect = new ZoomConnectService({
    db: database.db,
    secretBox,
    oauth,
    oauthApp: config.zoom.oauthApp,
    tokens,
    probe: accountProbe({ apiUrl: config.zoom.apiUrl, logger: zoomLogger, plan: config.zoom.defaultPlan }),
    publicUrl: config.publicUrl,
    logger: zoomLogger,
  });
  const client = new ZoomClient({ apiUrl: config.zoom.apiUrl, tokens, logger: zoomLogger });
  return {
    tenants,
    lti,
    secretBox,
    zoom: { oauth, tokens, connect, client },
    purgeExpired: async () =>
      (await plugin.purgeExpired()) + (await deleteExpiredLoginStates(database.db, new Date())),
  };
}
