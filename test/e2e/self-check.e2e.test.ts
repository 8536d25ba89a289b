import type { Browser } from 'playwright-core';
import type { LmsEmulator } from '../../src/sandbox/lms';
import type { ZoomSimulator } from '../../src/sandbox/zoom';
import { axeViolations, describeInBrowser } from '../support/browser';
import type { ToolServer } from '../support/tool-server';
import { startBrowserZoomSchool, type BrowserZoomSchool } from '../support/zoom-school';

const SCREENSHOT = process.env.SELFCHECK_SCREENSHOT ?? '/tmp/selfcheck.png';

/** The little of the DOM the in-page checks read (the project compiles without the DOM library). */
interface InPage {
  document: { documentElement: { scrollHeight: number } };
}

/**
 * A school administrator, inside the LMS's course frame (third-party cookies blocked, as in an
 * incognito window), connects the school's own Server-to-Server app and runs the self-check: every
 * result is shown in words, the page passes axe-core, and the self-check's test cookie (partitioned)
 * came back. A Zoom clock 10 minutes ahead then shows the clock's fix.
 */
describeInBrowser('the school admin’s self-check in Chromium, inside the LMS frame', () => {
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

  it('runs from the admin page and shows each result; a clock 10 minutes off shows its fix', async () => {
    const account = await zoom.createAccount({ plan: 'pro', admin_email: lms.users.admin.email });
    const s2s = await zoom.createApp({ kind: 's2s', account_id: account.account_id });
    const context = await browser.newContext({ viewport: { width: 1100, height: 900 } });
    const refusals: string[] = [];
    context.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) refusals.push(message.text());
    });
    const page = await context.newPage();
    await page.goto(lms.coursePageUrl(lms.users.admin.id));
    const frame = page.frameLocator('iframe');
    await frame.getByRole('link', { name: 'Manage the Zoom connection' }).click({ timeout: 20_000 });
    await frame.getByRole('heading', { name: 'Zoom connection' }).waitFor();

    // Before connecting: a connect link for the school's Zoom admin, shown on the page (accessible too).
    await frame.getByRole('button', { name: 'Make a connect link' }).click();
    await frame.getByText('A new connect link is ready below.').waitFor();
    expect(await frame.getByLabel('Connect link').inputValue()).toMatch(`${tool.url}/zoom/connect/`);
    const linkFrame = page.frames().find((f) => f.url().includes('/lti/zoom?'));
    if (!linkFrame) throw new Error('the tool frame is not on the Zoom page');
    expect(await axeViolations(linkFrame)).toEqual([]);

    await frame.getByLabel('Account ID').fill(account.account_id);
    await frame.getByLabel('Client ID').fill(s2s.client_id);
    await frame.getByLabel('Client secret').fill(s2s.client_secret);
    await frame.getByRole('button', { name: 'Verify and connect' }).click();
    await frame.getByText('Zoom is connected.').waitFor();

    await frame.getByRole('button', { name: 'Run the self-check' }).click();
    const results = frame.locator('#self-check-results');
    await results.getByRole('heading', { name: 'Results' }).waitFor({ timeout: 20_000 });
    await expect(results.getByText(/^Everything works/).count()).resolves.toBe(1);
    const items = results.locator('li.check-result');
    expect(await items.count()).toBe(7);
    for (const name of [
      'Zoom connection',
      'Permissions (scopes)',
      'Access token',
      'User lookup',
      'Clock',
      'Your email from the LMS',
      'This browser',
    ]) {
      const item = items.filter({ hasText: name });
      // The status is a word, not a colour alone.
      await expect(item.locator('.check-status').innerText()).resolves.toMatch(/^pass$/i);
    }
    await results.getByText('This browser keeps the tool’s cookies in the course frame.').waitFor();
    expect(await results.getAttribute('role')).toBe('status');

    const toolFrame = page.frames().find((f) => f.url().includes('/lti/zoom/self-check'));
    if (!toolFrame) throw new Error('the tool frame is not on the self-check page');
    expect(await axeViolations(toolFrame)).toEqual([]);

    // Zoom's clock 10 minutes ahead: the clock fails, saying what to do.
    await zoom.advanceClock(600);
    await frame.getByRole('button', { name: 'Run the self-check again' }).click();
    const clock = frame.locator('li.check-result[data-check="clock"]');
    await clock.locator('.check-status', { hasText: /fail/i }).waitFor({ timeout: 20_000 });
    await clock.getByText('about 10 minutes behind Zoom’s').waitFor();
    await clock.getByText(/Synchronise this server’s clock \(NTP/).waitFor();
    const failedFrame = page.frames().find((f) => f.url().includes('/lti/zoom/self-check'));
    if (!failedFrame) throw new Error('the tool frame is gone');
    expect(await axeViolations(failedFrame)).toEqual([]);
    expect(refusals).toEqual([]);

    // The whole page as it sits in the LMS: the frame made as tall as the tool's page.
    const height = await failedFrame.evaluate(
      () => (globalThis as unknown as InPage).document.documentElement.scrollHeight,
    );
    await page
      .locator('iframe')
      .evaluate(
        (element, h) => ((element as unknown as { style: { height: string } }).style.height = `${h + 20}px`),
        height,
      );
    await failedFrame.evaluate(() =>
      (globalThis as unknown as { scrollTo(x: number, y: number): void }).scrollTo(0, 0),
    );
    const total = await page.evaluate(
      () => (globalThis as unknown as InPage).document.documentElement.scrollHeight,
    );
    await page.setViewportSize({ width: 1100, height: total });
    await page.waitForTimeout(200);
    await page.screenshot({ path: SCREENSHOT });
    await context.close();
  }, 120_000);
});
