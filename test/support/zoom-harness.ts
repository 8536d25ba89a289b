import request from 'supertest';
import { sql } from 'drizzle-orm';
import { createZoomSimulator, type ZoomSimulator } from '../../src/sandbox/zoom';
import { csrfToken } from '../../src/shared/csrf';
import { queryRows } from '../../src/storage';
import { signZoomWebhook } from '../../src/zoom/zoom.webhooks.service';
import { createLtiHarness, TOOL_URL, type LtiHarness } from './lti-harness';
import type { TestDatabaseKind } from './db';
import type { LmsEmulator, LmsProfileName } from '../../src/sandbox/lms';

/** The tool, an LMS and the Zoom simulator with one Zoom account and our Marketplace app. */
export interface ZoomHarness extends LtiHarness {
  zoom: ZoomSimulator;
  account: { account_id: string; admin_email: string };
  app_: { client_id: string; client_secret: string; webhook_secret_token: string };
  /** An administrator's ltik from a real launch. */
  adminLtik(lms?: LmsEmulator): Promise<string>;
  /** The form token the pages of a session carry (bound to its ltik), as the admin's forms send it. */
  formToken(ltik: string): string;
  /**
   * Saves the school's Zoom-user settings as its admin's form does: create, licensed, basic when no
   * seat is left, unless `form` says otherwise (e.g. `provisionAdministrators: 'yes'`).
   */
  saveSettings(ltik: string, form?: Record<string, string>): request.Test;
  /**
   * Clicks "Connect Zoom", consents in the simulator as `email`, follows Zoom's redirect back in the
   * same browser (with the binding cookie the tool set), unless `browser: 'other'`.
   */
  connectOAuth(options?: {
    ltik?: string;
    email?: string;
    decline?: boolean;
    browser?: 'same' | 'other';
  }): Promise<request.Response>;
  /** Someone consents at Zoom with an authorize URL: the callback path (and query) Zoom sends them to. */
  consentAt(authorizeUrl: URL, options?: { email?: string; decline?: boolean }): Promise<string>;
  /** Clicks "Connect Zoom": Zoom's authorize URL and the cookie header the tool's answer set. */
  startConnect(ltik?: string): Promise<{ authorizeUrl: URL; cookie: string; setCookie: string }>;
  connectionRow(schoolName?: string): Promise<Record<string, unknown> | undefined>;
  /**
   * Connects the school through its own Server-to-Server app (created in the simulator for the
   * harness's account unless `accountId` says another), as its admin would; returns the app.
   */
  connectS2S(options?: {
    lms?: LmsEmulator;
    accountId?: string;
    webhookSecretToken?: string;
  }): Promise<{ client_id: string; client_secret: string }>;
  /** Posts a webhook delivery signed with `secret` as Zoom does (timestamp defaults to now). */
  deliver(path: string, secret: string, body: unknown, timestamp?: string): request.Test;
}

export async function createZoomHarness(
  options: {
    databaseKind?: TestDatabaseKind;
    scopes?: string[];
    logLines?: string[];
    plan?: 'free' | 'pro' | 'business';
    env?: Record<string, string>;
    /** The emulated LMS's profile (default Moodle). */
    profile?: LmsProfileName;
  } = {},
): Promise<ZoomHarness> {
  const zoom = createZoomSimulator();
  await zoom.start();
  const account = await zoom.createAccount({ plan: options.plan ?? 'pro' });
  const app = await zoom.createApp({
    kind: 'oauth',
    redirect_uri: `${TOOL_URL}/zoom/oauth/callback`,
    webhook_url: `${TOOL_URL}/zoom/webhook`,
    ...(options.scopes ? { scopes: options.scopes } : {}),
  });
  const lti = await createLtiHarness({
    profile: options.profile ?? 'moodle',
    databaseKind: options.databaseKind,
    logLines: options.logLines,
    env: {
      ZOOM_CLIENT_ID: app.client_id,
      ZOOM_CLIENT_SECRET: app.client_secret,
      ZOOM_WEBHOOK_SECRET_TOKEN: app.webhook_secret_token,
      ZOOM_OAUTH_URL: zoom.baseUrl,
      ZOOM_API_URL: `${zoom.baseUrl}/v2`,
      ...options.env,
    },
  });
  const harness: ZoomHarness = {
    ...lti,
    zoom,
    account,
    app_: app,
    async adminLtik(lms = lti.lms) {
      return (await lti.launch(lms.users.admin.id, undefined, lms)).ltik;
    },
    formToken(ltik) {
      return csrfToken(lti.built.keys.forms, ltik);
    },
    saveSettings(ltik, form = {}) {
      return request(lti.app)
        .post('/lti/zoom/settings')
        .type('form')
        .accept('html')
        .send({
          ltik,
          csrf: harness.formToken(ltik),
          action: 'create',
          licence: 'licensed',
          whenNoSeat: 'basic',
          ...form,
        });
    },
    async startConnect(ltik) {
      const session = ltik ?? (await harness.adminLtik());
      const start = await request(lti.app)
        .post('/lti/zoom/oauth')
        .type('form')
        .send({ ltik: session, csrf: harness.formToken(session) });
      if (start.status !== 303)
        throw new Error(`connect answered ${start.status}: ${start.text.slice(0, 300)}`);
      const setCookie = ([] as string[]).concat(start.headers['set-cookie'] ?? []).join('\n');
      return {
        authorizeUrl: new URL(String(start.headers.location)),
        setCookie,
        cookie: setCookie.split(';')[0] ?? '',
      };
    },
    async consentAt(authorizeUrl, consentOptions = {}) {
      const consent = await fetch(`${zoom.baseUrl}/oauth/authorize?${authorizeUrl.searchParams.toString()}`, {
        method: 'POST',
        redirect: 'manual',
        headers: { 'content-type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams(
          consentOptions.decline
            ? { decision: 'decline' }
            : { decision: 'approve', email: consentOptions.email ?? account.admin_email },
        ).toString(),
      });
      const back = new URL(String(consent.headers.get('location')));
      if (back.origin !== TOOL_URL) throw new Error(`Zoom sent the browser to ${back.origin}`);
      return `${back.pathname}${back.search}`;
    },
    async connectOAuth(connectOptions = {}) {
      const { authorizeUrl, cookie } = await harness.startConnect(connectOptions.ltik);
      const callback = request(lti.app)
        .get(await harness.consentAt(authorizeUrl, connectOptions))
        .accept('html');
      return connectOptions.browser === 'other' ? callback : callback.set('Cookie', cookie);
    },
    async connectS2S(s2sOptions = {}) {
      const accountId = s2sOptions.accountId ?? account.account_id;
      const s2s = await zoom.createApp({ kind: 's2s', account_id: accountId });
      const session = await harness.adminLtik(s2sOptions.lms);
      const connected = await request(lti.app)
        .post('/lti/zoom/s2s')
        .type('form')
        .send({
          ltik: session,
          csrf: harness.formToken(session),
          accountId,
          clientId: s2s.client_id,
          clientSecret: s2s.client_secret,
          ...(s2sOptions.webhookSecretToken ? { webhookSecretToken: s2sOptions.webhookSecretToken } : {}),
        });
      if (connected.status !== 303)
        throw new Error(`S2S connect answered ${connected.status}: ${connected.text.slice(0, 300)}`);
      return s2s;
    },
    async connectionRow(schoolName = 'moodle school') {
      const rows = await queryRows<Record<string, unknown>>(
        lti.database.db,
        sql`select c.* from zoom_connections c join schools s on s.id = c.school_id where s.name = ${schoolName}`,
      );
      return rows[0];
    },
    deliver(path, secret, body, timestamp = String(Math.floor(Date.now() / 1000))) {
      const raw = JSON.stringify(body);
      return request(lti.app)
        .post(path)
        .set('content-type', 'application/json')
        .set('x-zm-request-timestamp', timestamp)
        .set('x-zm-signature', signZoomWebhook(secret, timestamp, raw))
        .send(raw);
    },
    async close() {
      await lti.close();
      await zoom.stop();
    },
  };
  return harness;
}
