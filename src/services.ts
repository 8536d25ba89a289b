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

export const VIEWS_DIR = path.resolve(__dirname, '..', 'views');

export interface Services {
  tenants: TenantsService;
  lti: LtiProvider;
  secretBox: SecretBox;
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
  return {
    tenants,
    lti,
    secretBox,
    purgeExpired: async () =>
      (await plugin.purgeExpired()) + (await deleteExpiredLoginStates(database.db, new Date())),
  };
}
