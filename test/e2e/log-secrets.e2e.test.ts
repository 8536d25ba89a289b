import fs from 'node:fs';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { loadConfig } from '../../src/config';
import { createLmsEmulator, type LmsEmulator } from '../../src/sandbox/lms';
import { startServer, type RunningServer } from '../../src/server';
import { createLogger } from '../../src/shared/logger';
import { describeInBrowser, launchChromium } from '../support/browser';
import { seededDataDir } from '../support/data-dir';
import { freePort } from '../support/process';
import type { ToolServer } from '../support/tool-server';
import { scheduleWeekly, settledToolFrame } from './meetings.setup';

/** Query parameters and form fields whose values are secrets, wherever a request of the run sent them. */
const SECRET_FIELDS = [
  'ltik',
  'id_token',
  'state',
  'nonce',
  'code',
  'invite',
  'registration_token',
  '_csrf',
  'pwd',
  'client_secret',
];

/**
 * The log of a whole run at debug level, grepped for every secret the run handled: the server
 * `npm start` runs (sandbox on, embedded database), driven in Chromium through a registration with
 * an invite, a Zoom connect link and OAuth consent, launches, scheduling, the calendar feed and a
 * join link; then requests refused and failing with secrets in their URLs.
 */
describeInBrowser('the log of a whole run', () => {
  let dataDir: string;
  let running: RunningServer | undefined;
  let browser: Browser | undefined;
  let lms: LmsEmulator | undefined;
  const lines: string[] = [];

  afterAll(async () => {
    await browser?.close();
    await lms?.stop();
    await running?.stop();
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** Every secret, by what it is: collected from what the run sent and what the servers hold. */
  const secrets = new Map<string, Set<string>>();
  function saw(kind: string, value: string | null | undefined) {
    if (!value || value.length < 8 || value === '[Redacted]') return;
    if (!secrets.has(kind)) secrets.set(kind, new Set());
    secrets.get(kind)?.add(value);
  }
  function sawFields(params: URLSearchParams) {
    for (const [name, value] of params) if (SECRET_FIELDS.includes(name)) saw(name, value);
  }
  function record(context: BrowserContext) {
    context.on('request', (request) => {
      const url = new URL(request.url());
      sawFields(url.searchParams);
      const connect = /^\/zoom\/connect\/([^/]+)/.exec(url.pathname)?.[1];
      if (connect !== 'done') saw('connect link token', connect);
      saw('calendar feed signature', /^\/calendar\/[^/]+\/([^/]+)\.ics$/.exec(url.pathname)?.[1]);
      const body = request.postData();
      if (body && !body.startsWith('{')) sawFields(new URLSearchParams(body));
    });
  }

  async function openAs(page: Page, home: string, who: 'administrator' | 'instructor' | 'student') {
    await page.goto(home);
    const school = page.getByRole('region', { name: 'Sandbox Moodle school' });
    await school.getByRole('link', { name: `Open the course as ${who}` }).click();
  }

  it('holds none of the secrets the run handled, in any line', async () => {
    dataDir = await seededDataDir('zoom-lti-log-secrets-');
    const port = await freePort();
    const url = `http://localhost:${port}`;
    const logger = createLogger({
      level: 'debug',
      destination: { write: (line: string) => lines.push(line) },
    });
    running = await startServer(
      loadConfig({
        DATA_DIR: dataDir,
        PORT: String(port),
        HOST: '127.0.0.1',
        PUBLIC_URL: url,
        LOG_LEVEL: 'debug',
        SANDBOX: 'on',
      }),
      logger,
    );
    const sandbox = running.sandbox!;
    const tool = { url } as ToolServer;
    browser = await launchChromium();
    const context = await browser.newContext({ timezoneId: 'America/New_York' });
    record(context);
    const page = await context.newPage();

    // 1. A school registers with an invite, by its LMS's dynamic registration.
    const { registrationUrl } = await running.built.invites.create({
      school: 'Logged High',
      expiresInMs: 3600_000,
    });
    lms = createLmsEmulator({ profile: 'moodle' });
    await lms.start();
    await page.goto(lms.beginRegistration(registrationUrl));
    await page.getByRole('heading', { level: 1, name: 'The tool is registered' }).waitFor();

    // 2. The sandbox school's LMS admin makes a connect link; Zoom's admin connects through it (OAuth).
    await openAs(page, sandbox.url, 'administrator');
    const admin = page.frameLocator('iframe');
    await admin.getByRole('link', { name: 'Manage the Zoom connection' }).click();
    await admin.getByRole('button', { name: 'Make a connect link' }).click();
    const connectUrl = await admin.getByLabel('Connect link').inputValue();
    const linkPage = await context.newPage();
    await linkPage.goto(connectUrl);
    await linkPage.getByRole('button', { name: 'Connect Zoom' }).click();
    const moodle = sandbox.schools.find((school) => school.spec.name === 'Sandbox Moodle school');
    await linkPage
      .getByLabel('Email of a Zoom account owner or admin')
      .fill(String(moodle?.zoomAccount.adminEmail));
    await linkPage.getByRole('button', { name: 'Authorize' }).click();
    await linkPage.getByRole('heading', { name: 'Zoom is connected' }).waitFor();
    await linkPage.close();

    // 3. The instructor schedules; the course's calendar feed is fetched as a calendar app does.
    await openAs(page, sandbox.url, 'instructor');
    const frame = await settledToolFrame(page, tool);
    await frame.getByRole('heading', { name: 'Schedule a meeting' }).waitFor();
    await scheduleWeekly(frame, 'Logged office hours');
    const feedUrl = String(await frame.getByRole('textbox', { name: 'Calendar address' }).inputValue());
    const feed = await fetch(feedUrl);
    expect(feed.status).toBe(200);
    saw('calendar feed signature', /\/([^/]+)\.ics$/.exec(new URL(feedUrl).pathname)?.[1]);

    // 4. A student's Join: through the tool (with their ltik) to their own registrant link at Zoom
    // (its `tk` lets anyone join as them).
    await openAs(page, sandbox.url, 'student');
    const student = await settledToolFrame(page, tool);
    const join = student.getByRole('link', { name: /^Join “Logged office hours” in Zoom/ });
    sawFields(new URL(String(await join.getAttribute('href')), tool.url).searchParams);
    const [zoomWindow] = await Promise.all([page.context().waitForEvent('page'), join.click()]);
    await zoomWindow.waitForURL(/\/w\/\d+\?tk=/);
    sawFields(new URL(zoomWindow.url()).searchParams);
    await zoomWindow.close();

    // 5. Refused and failing requests with secrets in their URLs: the spent invite, the spent
    // connect link, a feed whose signature does not match, and a failure inside a connect link's
    // request (logged as an error, with the error).
    expect((await fetch(registrationUrl)).status).toBeGreaterThanOrEqual(400);
    expect((await fetch(connectUrl)).status).toBeGreaterThanOrEqual(400);
    expect((await fetch(feedUrl.replace(/.\.ics$/, 'x.ics'))).status).toBe(404);
    jest
      .spyOn(running.built.zoom.links, 'open')
      .mockRejectedValueOnce(new Error('the connect links could not be read'));
    expect((await fetch(connectUrl)).status).toBe(500);

    // What the servers hold: cookies, the Zoom app's secrets and every token Zoom issued.
    for (const cookie of await context.cookies()) saw(`cookie ${cookie.name}`, cookie.value);
    const walk = (value: unknown, key: string) => {
      if (typeof value === 'string' && /token|secret|code|password|key/i.test(key)) saw(key, value);
      else if (value && typeof value === 'object')
        for (const [name, inner] of Object.entries(value as Record<string, unknown>)) walk(inner, name);
    };
    const zoom = sandbox.zoom.exportState();
    walk(zoom, 'zoom');
    for (const { token } of zoom.accessTokens) saw('access_token', token);
    for (const { token } of zoom.refreshTokens) saw('refresh_token', token);
    saw('client_secret', sandbox.config.zoom.oauthApp?.clientSecret);

    // The run took each path: every kind of secret was seen, and each path is in the log.
    const kinds = [
      'invite',
      'registration_token',
      'ltik',
      'id_token',
      'state',
      'code',
      'connect link token',
      'calendar feed signature',
      'access_token',
      'refresh_token',
      'client_secret',
    ];
    expect(kinds.filter((kind) => !secrets.get(kind)?.size)).toEqual([]);
    const log = lines.join('');
    const paths = [
      '/lti/register?',
      '/zoom/connect/',
      '/calendar/',
      '/zoom/oauth/callback?',
      'the connect links could not be read',
    ];
    expect(paths.filter((path) => !log.includes(path))).toEqual([]);

    const found: string[] = [];
    for (const [kind, values] of secrets)
      for (const value of values) {
        const where = lines.find((line) => line.includes(value));
        if (where) found.push(`${kind} in: ${where.slice(0, 300)}`);
      }
    expect(found).toEqual([]);
  }, 180_000);
});
