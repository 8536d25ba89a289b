import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { axeViolations, describeInBrowser, launchChromium } from '../support/browser';
import { createMeetingsHarness, type MeetingsHarness } from '../support/meetings-harness';

/**
 * Sections in Chromium: a Canvas course with two sections; the schedule form offers them (Whole
 * course chosen), and the course page says the co-teaching rule. English and Spanish, axe clean.
 * Screenshots go to SCREENSHOTS_DIR (docs/screenshots: sections-form-<lang>.png).
 */
const SCREENSHOTS = process.env.SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'zoom-lti-screenshots');

describeInBrowser('the schedule form with sections (axe-core, screenshots)', () => {
  let h: MeetingsHarness;
  let server: Server;
  let browser: Browser;
  let base: string;

  beforeAll(async () => {
    h = await createMeetingsHarness({ profile: 'canvas' });
    for (const name of ['Section 1, Mornings', 'Section 2, Evenings']) {
      const section = h.lms.addSection(name);
      h.lms.enrolInSection(section.id, h.lms.users.learner.id);
    }
    await h.page(h.lms.users.learner.id);
    server = h.app.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    await new Promise((resolve) => server?.close(resolve));
    await h?.close();
  });

  it.each([
    [
      'en',
      'Who is it for?',
      'Whole course',
      'Every instructor of this course can edit and delete its meetings',
    ],
    ['es', '¿Para quién es?', 'Todo el curso', 'Todo el profesorado de este curso'],
  ])(
    '%s: the form offers the sections, Whole course chosen; the rule is said',
    async (locale, legend, whole, rule) => {
      const { ltik } = await h.launch(h.lms.users.instructor.id, { locale });
      const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
      const page = await context.newPage();
      await page.goto(`${base}/lti/course?ltik=${encodeURIComponent(ltik)}&schedule=1`);
      await page.getByText(legend).waitFor();
      expect(await page.getByLabel(whole).isChecked()).toBe(true);
      expect(await page.getByLabel('Section 1, Mornings').isChecked()).toBe(false);
      await page.getByLabel('Section 2, Evenings').check();
      expect(await page.locator('body').innerText()).toContain(rule);
      expect(await axeViolations(page)).toEqual([]);
      await page
        .locator('#f-sections')
        .screenshot({ path: path.join(SCREENSHOTS, `sections-form-${locale}.png`) });
      await page.screenshot({
        path: path.join(SCREENSHOTS, `sections-course-${locale}.png`),
        fullPage: true,
      });
      await context.close();
    },
  );
});
