import type { Browser } from 'playwright-core';
import type { LmsEmulator } from '../../src/sandbox/lms';
import type { ZoomSimulator } from '../../src/sandbox/zoom';
import { axeViolations, describeInBrowser } from '../support/browser';
import { startBrowserZoomSchool, type BrowserZoomSchool } from '../support/zoom-school';

/** Where a run leaves its screenshots to look at (not kept in the repository). */
const SHOTS = process.env.SCREENSHOT_DIR;

/**
 * The school administrator, inside the LMS iframe: connecting is the page's first action when the
 * school is not connected, and disconnecting asks first, on a page of its own, without JavaScript.
 */
describeInBrowser('connecting first, and disconnecting after a confirmation, in Chromium', () => {
  let school: BrowserZoomSchool;
  let browser: Browser;
  let zoom: ZoomSimulator;
  let lms: LmsEmulator;

  beforeAll(async () => {
    school = await startBrowserZoomSchool();
    ({ browser, zoom, lms } = school);
  });
  afterAll(() => school?.close());

  it('the admin sees Connect first, connects, then confirms a disconnect naming the school', async () => {
    const account = await zoom.createAccount({ plan: 'pro' });
    const context = await browser.newContext({
      viewport: { width: 1280, height: 900 },
      javaScriptEnabled: true,
    });
    const page = await context.newPage();
    const openZoomPage = async () => {
      await page.goto(lms.coursePageUrl(lms.users.admin.id));
      const frame = page.frameLocator('iframe');
      await frame.getByRole('link', { name: 'Manage the Zoom connection' }).click({ timeout: 20_000 });
      await frame.getByRole('heading', { name: 'Zoom connection' }).waitFor();
      return frame;
    };

    let frame = await openZoomPage();
    const first = frame.locator('main button').first();
    expect(await first.textContent()).toBe('Connect Zoom');
    expect(await first.getAttribute('class')).toBe('primary');
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/zoom-not-connected.png`, fullPage: true });
    const [popup] = await Promise.all([context.waitForEvent('page'), first.click()]);
    await popup.getByLabel('Email of a Zoom account owner or admin').fill(account.admin_email);
    await popup.getByRole('button', { name: 'Authorize' }).click();
    await popup.getByRole('heading', { name: 'Zoom is connected' }).waitFor({ timeout: 20_000 });
    await popup.close();

    frame = await openZoomPage();
    await frame.getByRole('link', { name: 'Disconnect Zoom' }).click();
    await frame.getByRole('heading', { name: /^Disconnect Zoom from .+\?$/ }).waitFor();
    await frame.getByText('Instructors cannot schedule, change, delete or start meetings').waitFor();
    const confirmFrame = page.frames().find((f) => f.url().includes('/lti/zoom/disconnect'));
    expect(confirmFrame).toBeDefined();
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/zoom-disconnect-confirm.png`, fullPage: true });
    // The confirmation page alone, as axe sees it.
    const alone = await context.newPage();
    await alone.goto(String(confirmFrame?.url()));
    await alone.getByRole('heading', { name: /^Disconnect Zoom from/ }).waitFor();
    expect(await axeViolations(alone)).toEqual([]);
    await alone.close();

    await frame.getByRole('button', { name: 'Disconnect Zoom' }).click();
    await frame.getByText('Not connected: An administrator disconnected it.').waitFor();
    await context.close();
  }, 120_000);
});
