import type { Browser } from 'playwright-core';
import type { LmsEmulator } from '../../src/sandbox/lms';
import type { ZoomSimulator } from '../../src/sandbox/zoom';
import { axeViolations, describeInBrowser } from '../support/browser';
import type { ToolServer } from '../support/tool-server';
import { startBrowserZoomSchool, type BrowserZoomSchool } from '../support/zoom-school';

/**
 * A school administrator, inside the LMS iframe, connects the school's Zoom account: the Zoom
 * consent page opens in a new window (Zoom cannot be framed), they authorize as a Zoom admin, and
 * Zoom sends them back to the tool, which shows the account connected.
 */
describeInBrowser('connecting Zoom in Chromium through the consent page', () => {
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

  it('the admin connects from the course page and sees the account connected', async () => {
    const account = await zoom.createAccount({ plan: 'pro' });
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(lms.coursePageUrl(lms.users.admin.id));
    const frame = page.frameLocator('iframe');
    await frame.getByText('Zoom is not connected yet').waitFor({ timeout: 20_000 });
    await frame.getByRole('link', { name: 'Manage the Zoom connection' }).click();
    await frame.getByRole('heading', { name: 'Zoom connection' }).waitFor();

    const refusals: string[] = [];
    context.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refusals.push(message.text());
    });
    const [popup] = await Promise.all([
      context.waitForEvent('page'),
      frame.getByRole('button', { name: 'Connect Zoom' }).click(),
    ]);
    await popup.getByRole('heading', { name: 'Authorize app' }).waitFor({ timeout: 20_000 });
    expect(new URL(popup.url()).origin).toBe(zoom.baseUrl);
    await popup.getByLabel('Email of a Zoom account owner or admin').fill(account.admin_email);
    await popup.getByRole('button', { name: 'Authorize' }).click();
    await popup.getByRole('heading', { name: 'Zoom is connected' }).waitFor({ timeout: 20_000 });
    expect(popup.url().startsWith(`${tool.url}/zoom/oauth/callback`)).toBe(true);

    await popup.getByRole('link', { name: 'open the Zoom connection page' }).click();
    await popup.getByText(`Connected to Zoom account ${account.account_id}`).waitFor();
    expect(refusals).toEqual([]);
    expect(await axeViolations(popup)).toEqual([]);
    await popup.getByRole('link', { name: "Zoom users of your school's instructors" }).click();
    await popup.getByRole('heading', { name: 'Zoom users', exact: true }).waitFor();
    await popup.getByText('Nobody yet').waitFor();
    expect(await axeViolations(popup)).toEqual([]);
    await context.close();
  }, 90_000);
});
