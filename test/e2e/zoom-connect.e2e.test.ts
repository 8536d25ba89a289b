import type { Browser, BrowserContext, Page } from 'playwright-core';
import type { LmsEmulator } from '../../src/sandbox/lms';
import type { ZoomSimulator } from '../../src/sandbox/zoom';
import { axeViolations, describeInBrowser } from '../support/browser';
import type { ToolServer } from '../support/tool-server';
import { startBrowserZoomSchool, type BrowserZoomSchool } from '../support/zoom-school';

/** Where a run leaves its screenshots to look at (not kept in the repository). */
const SHOTS = process.env.SCREENSHOT_DIR;

/**
 * A school administrator, inside the LMS iframe, connects the school's Zoom account: the Zoom
 * consent page opens in a window of its own (Zoom cannot be framed), they authorize as a Zoom admin,
 * Zoom sends that window back to the tool, and the admin page in the frame shows the account
 * connected by itself: told by the window, or, where the window has no opener, by asking the tool.
 */
describeInBrowser('connecting Zoom in Chromium through the consent window', () => {
  let school: BrowserZoomSchool;
  let browser: Browser;
  let tool: ToolServer;
  let zoom: ZoomSimulator;
  let lms: LmsEmulator;

  beforeAll(async () => {
    school = await startBrowserZoomSchool();
    ({ browser, tool, zoom, lms } = school);
  });
  afterAll(() => school?.close());

  /** The admin's Zoom page in the course's frame, the school not connected yet. */
  async function openZoomPage(context: BrowserContext) {
    const page = await context.newPage();
    await page.goto(lms.coursePageUrl(lms.users.admin.id));
    const frame = page.frameLocator('iframe');
    await frame.getByText('Zoom is not connected yet').waitFor({ timeout: 20_000 });
    await frame.getByRole('link', { name: 'Manage the Zoom connection' }).click();
    await frame.getByRole('heading', { name: 'Zoom connection' }).waitFor();
    await zoomPageInBrowserZone(page);
    await frame.getByText('Not connected.').waitFor();
    return { page, frame };
  }

  /** The Zoom page asks for itself again with the browser's zone (its times in it): that one. */
  const zoomPageInBrowserZone = (page: Page) =>
    page
      .frames()
      .find((f) => f.url().includes('/lti/zoom'))!
      .waitForURL(/[?&]tz=/);

  const zoomFrameUrl = (page: Page) =>
    new URL(
      page
        .frames()
        .find((f) => f.url().includes('/lti/zoom'))
        ?.url() ?? 'about:blank',
    );

  it('the consent window tells the frame, which shows Zoom connected without a reload; the window closes', async () => {
    const account = await zoom.createAccount({ plan: 'pro' });
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const refusals: string[] = [];
    context.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refusals.push(message.text());
    });
    const { page, frame } = await openZoomPage(context);
    // Only the window's message may refresh the frame here.
    await page.route('**/lti/zoom/status*', (route) => route.abort());
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/zoom-connection-not-connected.png`, fullPage: true });

    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      frame.getByRole('button', { name: 'Connect Zoom' }).click(),
    ]);
    await frame.getByText('Finish in the Zoom window that opened').waitFor();
    await popup.getByRole('heading', { name: 'Authorize app' }).waitFor({ timeout: 20_000 });
    expect(new URL(popup.url()).origin).toBe(zoom.baseUrl);
    await popup.getByText('The app Zoom for your LMS (sandbox) asks').waitFor();

    // A wrong email: the same form again, with why and the typed email, to correct.
    const email = popup.getByLabel('Email of a Zoom account owner or admin');
    await email.fill('typo@nowhere.example');
    await popup.getByRole('button', { name: 'Authorize' }).click();
    await popup.getByRole('alert').getByText('No active Zoom user with this email').waitFor();
    expect(await email.inputValue()).toBe('typo@nowhere.example');
    if (SHOTS) await popup.screenshot({ path: `${SHOTS}/zoom-consent-retry.png`, fullPage: true });
    expect(await axeViolations(popup)).toEqual([]);
    await email.fill(account.admin_email);

    const closed = popup.waitForEvent('close', { timeout: 20_000 });
    await popup.getByRole('button', { name: 'Authorize' }).click();
    await popup.getByRole('heading', { name: 'Zoom is connected' }).waitFor({ timeout: 20_000 });
    expect(popup.url().startsWith(`${tool.url}/zoom/oauth/callback`)).toBe(true);

    await frame.getByText(`Connected to Zoom account ${account.account_id}`).waitFor({ timeout: 10_000 });
    await frame.getByRole('status').getByText('Zoom is connected.').waitFor();
    const url = zoomFrameUrl(page);
    expect(url.pathname).toBe('/lti/zoom');
    expect(url.searchParams.get('ltik')).toBeTruthy();
    expect(url.searchParams.get('notice')).toBe('connected');
    expect(url.searchParams.get('tz')).toBeTruthy();
    await closed;
    expect(refusals).toEqual([]);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/zoom-connection-connected.png`, fullPage: true });
    const zoomFrame = page.frames().find((f) => f.url().includes('/lti/zoom'));
    expect(await axeViolations(zoomFrame!)).toEqual([]);
    await context.close();
  }, 90_000);

  it('a consent window without an opener: the frame asks the tool until Zoom is connected', async () => {
    const account = await zoom.createAccount({ plan: 'pro' });
    // Start from a school with no connection (the test above connected it).
    const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
    const { page, frame, polls } = await openZoomPageAfterDisconnect(context);
    // The LMS (or a browser) opens the window without a way back to the frame.
    await page
      .frames()
      .find((f) => f.url().includes('/lti/zoom'))!
      .evaluate(() => {
        const doc = (
          globalThis as unknown as {
            document: { querySelector(s: string): { setAttribute(n: string, v: string): void } | null };
          }
        ).document;
        const form = doc.querySelector('form[data-zoom-consent]');
        form?.setAttribute('target', '_blank');
        form?.setAttribute('rel', 'noopener');
      });
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      frame.getByRole('button', { name: 'Connect Zoom' }).click(),
    ]);
    await popup.getByLabel('Email of a Zoom account owner or admin').fill(account.admin_email);
    await popup.getByRole('button', { name: 'Authorize' }).click();
    await popup.getByRole('heading', { name: 'Zoom is connected' }).waitFor({ timeout: 20_000 });
    expect(await popup.evaluate(() => (globalThis as unknown as { opener: unknown }).opener === null)).toBe(
      true,
    );
    await popup.getByText('You can close this window').waitFor();

    await frame.getByText(`Connected to Zoom account ${account.account_id}`).waitFor({ timeout: 10_000 });
    expect(polls.length).toBeGreaterThan(0);
    expect(new URL(polls[0]!).searchParams.get('ltik')).toBeTruthy();
    expect(zoomFrameUrl(page).searchParams.get('notice')).toBe('connected');
    // Nobody told it to close: it stays, saying what to do.
    expect(popup.isClosed()).toBe(false);
    if (SHOTS) await popup.screenshot({ path: `${SHOTS}/zoom-connected-window.png`, fullPage: true });
    expect(await axeViolations(popup)).toEqual([]);
    await context.close();
  }, 90_000);

  /** Disconnects the school (through its confirmation) and returns its Zoom page, not connected. */
  async function openZoomPageAfterDisconnect(context: BrowserContext) {
    const page = await context.newPage();
    await page.goto(lms.coursePageUrl(lms.users.admin.id));
    const frame = page.frameLocator('iframe');
    await frame.getByRole('link', { name: 'Manage the Zoom connection' }).click({ timeout: 20_000 });
    await frame.getByRole('link', { name: 'Disconnect Zoom' }).click();
    await frame.getByRole('button', { name: 'Disconnect Zoom' }).click();
    await frame.getByText('Not connected: An administrator disconnected it.').waitFor();
    await zoomPageInBrowserZone(page);
    await frame.getByText('Not connected: An administrator disconnected it.').waitFor();
    const polls: string[] = [];
    page.on('request', (r) => {
      if (new URL(r.url()).pathname === '/lti/zoom/status') polls.push(r.url());
    });
    return { page, frame, polls };
  }
});
