import os from 'node:os';
import path from 'node:path';
import type { Browser, Frame, Page } from 'playwright-core';
import type { LmsEmulator, LmsProfileName } from '../../src/sandbox/lms';
import { axeViolations, describeInBrowser, launchChromium, waitForHeading } from '../support/browser';
import { startRegisteredLms } from '../support/lms';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy';
import { startToolServer, type ToolServer } from '../support/tool-server';

/**
 * A browser that keeps no cookie of the tool at all (Safari-like, stricter: every `Set-Cookie` of
 * the tool's origin is stripped, in the frame and at top level). Canvas keeps the login's state in
 * its platform storage; Moodle offers a new window, where the tool's window keeps it.
 */
describeInBrowser('launches in Chromium with every cookie of the tool dropped', () => {
  let browser: Browser;
  let tool: ToolServer;
  /** The tool's public address: a proxy that drops every cookie on the way in and out. */
  let proxy: RoundRobinProxy;
  const emulators: LmsEmulator[] = [];

  beforeAll(async () => {
    proxy = await startRoundRobinProxy({ host: 'localhost', dropCookies: true });
    tool = await startToolServer({ host: 'localhost', env: { PUBLIC_URL: proxy.url } });
    proxy.setTargets([tool.url]);
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const lms of emulators) await lms.stop();
    await tool?.close();
    await proxy?.close();
  });

  async function lmsFor(profile: LmsProfileName): Promise<LmsEmulator> {
    const lms = await startRegisteredLms(tool.built.tenants, {
      profile,
      toolUrl: proxy.url,
      school: `${profile} cookieless school ${emulators.length}`,
    });
    emulators.push(lms);
    return lms;
  }

  const toolCourseFrame = (page: Page): Frame | undefined =>
    page.frames().find((frame) => frame.url().startsWith(`${proxy.url}/lti/course`));

  it('Canvas: the launch keeps its state in the platform storage and reaches the course page', async () => {
    const lms = await lmsFor('canvas');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(lms.coursePageUrl(lms.users.learner.id));
    const heading = page.frameLocator('iframe').getByRole('heading', { level: 1 });
    await heading.filter({ hasText: `Hello, ${lms.users.learner.name}` }).waitFor({ timeout: 20_000 });
    expect(toolCourseFrame(page)).toBeDefined();
    expect(proxy.droppedCookies()).toBeGreaterThan(0);
    expect(await context.cookies(proxy.url)).toEqual([]);
    await context.close();
  }, 60_000);

  it('Moodle: the frame offers "Open in a new window", and that window reaches the course page', async () => {
    const lms = await lmsFor('moodle');
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(lms.coursePageUrl(lms.users.instructor.id));
    const frame = page.frameLocator('iframe');
    const open = frame.getByRole('link', { name: /Open in a new window/ });
    await open.waitFor({ timeout: 20_000 });
    const fallback = page
      .frames()
      .find((candidate) => candidate.url().startsWith(`${proxy.url}/lti/login/check`));
    expect(fallback).toBeDefined();
    expect(await axeViolations(fallback!)).toEqual([]);
    await page.screenshot({ path: path.join(os.tmpdir(), 'zoom-lti-moodle-new-window-offer.png') });

    const [popup] = await Promise.all([context.waitForEvent('page'), open.click()]);
    await waitForHeading(popup, `Hello, ${lms.users.instructor.name}`);
    expect(popup.url()).toMatch(new RegExp(`^${proxy.url}/lti/course\\?ltik=`));
    expect(await context.cookies(proxy.url)).toEqual([]);
    await popup.screenshot({ path: path.join(os.tmpdir(), 'zoom-lti-moodle-new-window-course.png') });
    await context.close();
  }, 60_000);

  it('Canvas: a launch whose state the platform storage does not hold is not let through', async () => {
    const lms = await lmsFor('canvas');
    const context = await browser.newContext();
    // The LMS's page never stores what the login sends (its put_data is swallowed before the LMS's
    // own listener), so at launch its storage does not hold the state: as for a launch posted into
    // this browser from a login that began elsewhere.
    await context.addInitScript({
      content: `if (window.location.origin === ${JSON.stringify(new URL(lms.baseUrl).origin)}) {
        window.addEventListener('message', function (event) {
          if (event.data && event.data.subject === 'lti.put_data') event.stopImmediatePropagation();
        }, true);
      }`,
    });
    const page = await context.newPage();
    await page.goto(lms.coursePageUrl(lms.users.learner.id));
    const alert = page.frameLocator('iframe').getByRole('alert');
    await alert.filter({ hasText: 'This launch could not be confirmed' }).waitFor({ timeout: 20_000 });
    expect(toolCourseFrame(page)).toBeUndefined();
    const confirmFrame = page.frames().find((candidate) => candidate.url() === `${proxy.url}/lti/launch`);
    expect(confirmFrame).toBeDefined();
    expect(await axeViolations(confirmFrame!)).toEqual([]);
    await page.screenshot({ path: path.join(os.tmpdir(), 'zoom-lti-canvas-unconfirmed.png') });
    await context.close();
  }, 60_000);
});
