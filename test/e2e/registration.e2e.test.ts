import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { createLmsEmulator, type LmsEmulator } from '../../src/sandbox/lms';
import { axeViolations, describeInBrowser, launchChromium } from '../support/browser';
import { startToolServer, type ToolServer } from '../support/tool-server';

/**
 * Dynamic registration in Chromium, as Moodle does it: the LMS's admin page (on 127.0.0.1) frames
 * the registration link (the tool on localhost: another site). The tool's page must be allowed in
 * that frame (the LMS is not registered yet), register, and tell the LMS page it is done
 * (`org.imsglobal.lti.close`), which closes the frame. A refused link shows its page in the frame.
 */
describeInBrowser('dynamic registration in Chromium, framed by the LMS', () => {
  let browser: Browser;
  let tool: ToolServer;
  let lms: LmsEmulator;

  beforeAll(async () => {
    tool = await startToolServer({ host: 'localhost' });
    lms = createLmsEmulator({ profile: 'moodle' });
    await lms.start();
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await lms?.stop();
    await tool?.close();
  });

  const invite = async () =>
    (await tool.built.invites.create({ school: 'Framed High', expiresInMs: 3600_000 })).registrationUrl;

  it('registers inside the LMS frame and tells the LMS page to close it', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(lms.registrationPageUrl(await invite()));
    await page.waitForSelector('body[data-registration="closed"]', { timeout: 20_000 });
    expect(await page.getByRole('status').textContent()).toBe('The tool closed its registration page.');
    expect(lms.registrations).toHaveLength(1);
    await context.close();
  }, 60_000);

  it('opened in a window of its own, the page says the school is registered, accessibly', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(lms.beginRegistration(await invite()));
    await page
      .getByRole('heading', { level: 1, name: 'The tool is registered' })
      .waitFor({ timeout: 20_000 });
    expect(await page.getByRole('status').textContent()).toContain('Framed High');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: path.join(os.tmpdir(), 'zoom-lti-registration-done.png') });
    await context.close();
  }, 60_000);

  it('shows the refusal inside the frame for a link that was already used', async () => {
    const used = await invite();
    const first = await browser.newContext();
    await (await first.newPage()).goto(lms.beginRegistration(used));
    await first.close();
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(lms.registrationPageUrl(used));
    const frame = page.frameLocator('iframe');
    await frame
      .getByRole('heading', { level: 1, name: 'This registration link cannot be used' })
      .waitFor({ timeout: 20_000 });
    expect(await frame.getByRole('alert').textContent()).toMatch(/already used/);
    const toolFrame = page
      .frames()
      .find((candidate) => candidate.url().startsWith(`${tool.url}/lti/register`));
    expect(await axeViolations(toolFrame!)).toEqual([]);
    await page.screenshot({ path: path.join(os.tmpdir(), 'zoom-lti-registration-refused.png') });
    await context.close();
  }, 60_000);
});
