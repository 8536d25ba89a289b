import type { Logger } from 'pino';
import type { Router } from 'express';
import type { Config } from '../config';
import type { Services } from '../services';
import type { Database } from '../storage';
import { createLmsEmulator, type LmsEmulator } from './lms';
import { createZoomSimulator, type ZoomSimulator } from './zoom';
import {
  SANDBOX_SAVE_EVERY_MS,
  SANDBOX_SCHOOLS,
  zoomAdminEmail,
  type SandboxSchoolSpec,
} from './sandbox.config';
import { sandboxRegistration, sandboxSchoolId } from './sandbox.repo';
import { sandboxRoutes } from './sandbox.routes';
import { SandboxStateFile, type SandboxState } from './sandbox.state';

/**
 * The sandbox `npm start` opens for a newcomer, in the tool's own process: the Zoom simulator and
 * two emulated LMSs (Moodle and Canvas profiles) on local ports of their own (other origins than
 * the tool, as real LMSs and Zoom are: the tool is framed cross-site and Zoom's consent page is
 * another site), each LMS registered for a flagged sandbox school with a Zoom account of its own.
 * Started before the app (the app's Zoom settings point at the simulator), attached after it (the
 * registrations go through the tenants service, as an operator's would).
 */
export interface SandboxSchool {
  spec: SandboxSchoolSpec;
  lms: LmsEmulator;
  zoomAccount: { accountId: string; adminEmail: string };
  /** Known once attached. */
  schoolId?: string;
}

export interface Sandbox {
  /** The tool's configuration, with Zoom pointed at the simulator unless the operator configured Zoom. */
  config: Config;
  /** Whether the tool talks to the simulator (false when the operator configured Zoom themselves). */
  zoomIsSimulated: boolean;
  zoom: ZoomSimulator;
  schools: SandboxSchool[];
  /** The sandbox's home page, printed at boot. */
  url: string;
  /** Registers the sandbox schools' LMSs (idempotent: reused at every start, updated when their ports moved). */
  attach(services: Services): Promise<void>;
  /** The sandbox's pages on the tool's port (`/` and `/sandbox`). */
  routes(services: Services): Router;
  stop(): Promise<void>;
}

/** Listens on the port used last time when it is still free, or on any free one. */
async function onPreferredPort<T extends { start(): Promise<void>; stop(): Promise<void> }>(
  preferred: number | undefined,
  make: (port: number) => T,
): Promise<T> {
  if (preferred) {
    const server = make(preferred);
    try {
      await server.start();
      return server;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EADDRINUSE') throw error;
      await server.stop().catch(() => undefined);
    }
  }
  const server = make(0);
  await server.start();
  return server;
}

function portOf(url: string): number {
  return Number(new URL(url).port);
}

/** The operator set any Zoom setting: the tool keeps theirs and the simulator is only shown. */
function operatorConfiguredZoom(config: Config): boolean {
  return (
    config.zoom.oauthApp !== undefined ||
    config.zoom.webhookSecretToken !== undefined ||
    config.zoom.oauthUrl !== 'https://zoom.us' ||
    config.zoom.apiUrl !== 'https://api.zoom.us/v2'
  );
}

async function startZoom(
  config: Config,
  state: SandboxState,
): Promise<{ zoom: ZoomSimulator; saved: NonNullable<SandboxState['zoom']> }> {
  const zoom = await onPreferredPort(state.ports.zoom, (port) =>
    createZoomSimulator({ port, webhooks: { retryPollMs: 1000 }, oauth: { consentSignIns: true } }),
  );
  const redirectUri = `${config.publicUrl}/zoom/oauth/callback`;
  const webhookUrl = `${config.publicUrl}/zoom/webhook`;
  if (state.zoom) {
    const saved = state.zoom;
    // The tool may listen elsewhere this time: the Marketplace app follows it.
    for (const app of saved.snapshot.apps) {
      if (app.client_id !== saved.oauthApp.clientId) continue;
      app.redirect_uri = redirectUri;
      app.webhook_url = webhookUrl;
    }
    zoom.importState(saved.snapshot);
    return { zoom, saved };
  }
  const accounts: Record<string, { accountId: string; adminEmail: string }> = {};
  for (const spec of SANDBOX_SCHOOLS) {
    const account = await zoom.createAccount({
      plan: 'business',
      managed_domain: spec.emailDomain,
      admin_email: zoomAdminEmail(spec),
      timezone: spec.timeZone,
    });
    accounts[spec.key] = { accountId: account.account_id, adminEmail: account.admin_email };
  }
  const app = await zoom.createApp({ kind: 'oauth', redirect_uri: redirectUri, webhook_url: webhookUrl });
  const saved = {
    oauthApp: {
      clientId: app.client_id,
      clientSecret: app.client_secret,
      webhookSecretToken: app.webhook_secret_token,
    },
    accounts,
    snapshot: zoom.exportState(),
  };
  return { zoom, saved };
}

export async function startSandbox(options: {
  config: Config;
  database: Database;
  logger: Logger;
}): Promise<Sandbox> {
  const { config, database } = options;
  const logger = options.logger.child({ category: 'sandbox' });
  const file = new SandboxStateFile(config.dataDir);
  const { state, problem } = file.read();
  if (problem)
    logger.warn({ file: file.file, problem }, 'the sandbox state could not be read; starting afresh');

  const started: Array<{ stop(): Promise<void> }> = [];
  try {
    const { zoom, saved } = await startZoom(config, state);
    started.push(zoom);
    const schools: SandboxSchool[] = [];
    for (const spec of SANDBOX_SCHOOLS) {
      // The client id and deployment the school's registration already has are the LMS's again.
      const known = await sandboxRegistration(database.db, spec.name, spec.issuer);
      const lms = await onPreferredPort(state.ports[spec.key], (port) =>
        createLmsEmulator({
          profile: spec.key,
          port,
          issuer: spec.issuer,
          emailDomain: spec.emailDomain,
          clientId: known?.clientId,
          deploymentId: known?.deploymentIds[0],
          tool: {
            loginUrl: `${config.publicUrl}/lti/login`,
            launchUrl: `${config.publicUrl}/lti/launch`,
            jwksUrl: `${config.publicUrl}/lti/keys`,
          },
        }),
      );
      started.push(lms);
      const zoomAccount = saved.accounts[spec.key];
      if (!zoomAccount) throw new Error(`The sandbox state has no Zoom account for ${spec.name}`);
      schools.push({ spec, lms, zoomAccount });
    }

    const zoomIsSimulated = !operatorConfiguredZoom(config);
    const effective: Config = zoomIsSimulated
      ? {
          ...config,
          zoom: {
            ...config.zoom,
            oauthApp: {
              clientId: saved.oauthApp.clientId,
              clientSecret: saved.oauthApp.clientSecret,
              redirectUrl: `${config.publicUrl}/zoom/oauth/callback`,
            },
            webhookSecretToken: saved.oauthApp.webhookSecretToken,
            oauthUrl: zoom.baseUrl,
            apiUrl: `${zoom.baseUrl}/v2`,
          },
        }
      : config;
    if (!zoomIsSimulated)
      logger.warn('Zoom is configured: the sandbox schools connect to it, not to the simulator');

    const save = () => {
      const ports: Record<string, number> = { zoom: portOf(zoom.baseUrl) };
      for (const school of schools) ports[school.spec.key] = portOf(school.lms.baseUrl);
      file.write({ version: 1, ports, zoom: { ...saved, snapshot: zoom.exportState() } });
    };
    save();
    const saving = setInterval(() => {
      try {
        save();
      } catch (error) {
        logger.warn({ err: error }, 'saving the sandbox state failed');
      }
    }, SANDBOX_SAVE_EVERY_MS);
    saving.unref();

    const sandbox: Sandbox = {
      config: effective,
      zoomIsSimulated,
      zoom,
      schools,
      url: `${config.publicUrl}/`,
      async attach(services) {
        for (const school of schools) school.schoolId = await register(services, database, school, logger);
      },
      routes: (services) => sandboxRoutes({ sandbox, services }),
      async stop() {
        clearInterval(saving);
        try {
          save();
        } catch (error) {
          logger.warn({ err: error }, 'saving the sandbox state failed');
        }
        for (const server of started.reverse()) await server.stop();
      },
    };
    return sandbox;
  } catch (error) {
    for (const server of started.reverse()) await server.stop().catch(() => undefined);
    throw error;
  }
}

/**
 * The school's registration, as an operator's `platform add` makes it, flagged as a sandbox school;
 * kept when the LMS's URLs are unchanged, made again in the same school when its ports moved. A new
 * school creates its instructors' Zoom users at once (the account manages their email domain).
 */
async function register(
  services: Services,
  database: Database,
  school: SandboxSchool,
  logger: Logger,
): Promise<string> {
  const { spec, lms } = school;
  const known = await sandboxRegistration(database.db, spec.name, spec.issuer);
  const current = { loginUrl: lms.authUrl, tokenUrl: lms.tokenUrl, jwksUrl: lms.jwksUrl };
  if (
    known &&
    known.clientId === lms.clientId &&
    known.loginUrl === current.loginUrl &&
    known.tokenUrl === current.tokenUrl &&
    known.jwksUrl === current.jwksUrl &&
    known.deploymentIds.includes(lms.deploymentId)
  ) {
    return known.schoolId;
  }
  if (known) await services.tenants.removePlatform({ issuer: known.issuer, clientId: known.clientId });
  const isNew = (await sandboxSchoolId(database.db, spec.name)) === undefined;
  const view = await services.tenants.addPlatform(
    {
      issuer: lms.issuer,
      clientId: lms.clientId,
      ...current,
      deployments: [lms.deploymentId],
      school: spec.name,
      timeZone: spec.timeZone,
      acceptNewDeployments: false,
    },
    { sandbox: true },
  );
  const schoolId = view.school.id;
  if (isNew) {
    await services.provisioning.saveSettings({
      schoolId,
      action: 'autoCreate',
      licence: 'licensed',
      whenNoSeat: 'basic',
    });
  }
  logger.info(
    { school: spec.name, registrationId: view.id, moved: Boolean(known) },
    'sandbox school registered',
  );
  return schoolId;
}
