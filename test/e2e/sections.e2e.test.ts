import type { Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import type { Browser } from 'playwright-core';
import { axeViolations, describeInBrowser, launchChromium } from '../support/browser';
import { newIntent } from '../support/meetings-fixtures';
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
  const sectionIds: string[] = [];
  const other = {
    id: 'e2e-other',
    givenName: 'Olga',
    familyName: 'Other',
    name: 'Olga Other',
    email: 'olga.other@school.example.edu',
    roles: ['http://purl.imsglobal.org/vocab/lis/v2/membership#Learner'],
  };

  beforeAll(async () => {
    h = await createMeetingsHarness({ profile: 'canvas' });
    for (const name of ['Section 1, Mornings', 'Section 2, Evenings']) {
      const section = h.lms.addSection(name);
      h.lms.enrolInSection(section.id, h.lms.users.learner.id);
      sectionIds.push(section.id);
    }
    h.lms.addUser(other);
    const third = h.lms.addSection('Section 3, Weekends');
    h.lms.enrolInSection(third.id, other.id);
    await h.page(h.lms.users.learner.id);
    await h.page(other.id);
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

  it.each([
    ['en', 'Section: Section 1, Mornings', 'This meeting is for another section'],
    ['es', 'Sección: Section 1, Mornings', 'Esta reunión es para otra sección'],
  ])(
    '%s: staff see a meeting’s section; another section’s student is refused its Join in words',
    async (locale, label, refused) => {
      const instructor = await h.page(h.lms.users.instructor.id);
      const { response, id } = await h.schedule(instructor, {
        intent: newIntent(),
        topic: `Lab for section 1 (${locale})`,
        audience: 'sections',
        sections: [sectionIds[0] ?? ''],
      });
      expect(response.status).toBe(303);
      const context = await browser.newContext({ viewport: { width: 1000, height: 900 } });
      const page = await context.newPage();
      const staff = await h.launch(h.lms.users.instructor.id, { locale });
      await page.goto(`${base}/lti/course?ltik=${encodeURIComponent(staff.ltik)}`);
      const card = page.locator(`[data-meeting="${id}"]`);
      await card.waitFor();
      expect(await card.innerText()).toContain(label);
      expect(await axeViolations(page)).toEqual([]);
      await card.screenshot({ path: path.join(SCREENSHOTS, `sections-card-${locale}.png`) });

      const student = await h.launch(other.id, { locale });
      await page.goto(`${base}/lti/meetings/${id}/join?ltik=${encodeURIComponent(student.ltik)}`);
      await page.getByRole('heading', { level: 1 }).filter({ hasText: refused }).waitFor();
      expect(await page.locator('body').innerText()).toContain('Section 1, Mornings');
      expect(await axeViolations(page)).toEqual([]);
      await page.screenshot({
        path: path.join(SCREENSHOTS, `sections-join-refused-${locale}.png`),
        fullPage: true,
      });
      await context.close();
    },
  );
});
