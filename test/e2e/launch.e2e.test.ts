import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import type { LmsEmulator } from '../../src/sandbox/lms';
import { startRegisteredLms } from '../support/lms';
import { axeViolations, describeInBrowser, launchChromium } from '../support/browser';
import { startToolServer, type ToolServer } from '../support/tool-server';

/**
 * A real browser opens the emulated course page (on 127.0.0.1), which frames the tool (on
 * localhost: another site) and initiates the LTI login inside the iframe. The launch must get
 * through cross-site — state cookie, form posts, CSP frame-ancestors — and land on the course page.
 */
describeInBrowser('launch in Chromium, framed cross-site by the LMS course page', () => {
  let browser: Browser;
  let tool: ToolServer;
  const emulators: LmsEmulator[] = [];

  beforeAll(async () => {
    tool = await startToolServer({ host: 'localhost' });
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    for (const lms of emulators) await lms.stop();
    await tool?.close();
  });

  it.each(['moodle', 'canvas'] as const)(
    '%s: the instructor reaches the course page inside the iframe',
    async (profile) => {
      const lms = await startRegisteredLms(tool.built.tenants, {
        profile,
        toolUrl: tool.url,
        school: `${profile} e2e school`,
      });
      emulators.push(lms);

      const context = await browser.newContext();
      const page = await context.newPage();
      const refusals: string[] = [];
      page.on('console', (message) => {
        if (/Refused to frame|Content Security Policy/i.test(message.text())) refusals.push(message.text());
      });
      await page.goto(lms.coursePageUrl(lms.users.instructor.id));
      const frame = page.frameLocator('iframe');
      await frame.getByRole('heading', { level: 1 }).waitFor({ timeout: 20_000 });
      await expectText(frame.getByRole('heading', { level: 1 }), `Hello, ${lms.users.instructor.name}`);
      await expectText(frame.locator('.role'), 'Instructor');

      const toolFrame = page
        .frames()
        .find((candidate) => candidate.url().startsWith(`${tool.url}/lti/course`));
      expect(toolFrame).toBeDefined();
      expect(new URL(page.url()).host).not.toBe(new URL(tool.url).host);
      // The only cookies are the OIDC state cookie and the note that cookies work in this frame,
      // partitioned under the LMS's site.
      const cookies = await context.cookies(tool.url);
      for (const cookie of cookies) {
        expect(cookie.name.startsWith('state') || cookie.name === 'lti_cookies_kept').toBe(true);
        expect(cookie.sameSite).toBe('None');
        expect(cookie.secure).toBe(true);
        expect(cookie.httpOnly).toBe(true);
      }
      expect(refusals).toEqual([]);

      // Accessible: no axe-core violations on the course page, and the skip link is the first tab stop.
      const violations = await axeViolations(toolFrame!);
      expect(violations).toEqual([]);
      await page.screenshot({ path: path.join(os.tmpdir(), `zoom-lti-${profile}-course.png`) });
      await context.close();
    },
    60_000,
  );
});

async function expectText(locator: { textContent(): Promise<string | null> }, text: string) {
  expect(await locator.textContent()).toContain(text);
}
