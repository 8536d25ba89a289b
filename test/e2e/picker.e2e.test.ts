import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext } from 'playwright-core';
import { axeViolations, describeInBrowser, launchChromiumProfile } from '../support/browser';
import { openTool, scheduleWeekly, settledToolFrame, startSchool, type School } from './meetings.setup';

const SCREENSHOTS = process.env.SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'zoom-lti-screenshots');

/**
 * The LMS's content picker in a browser, through the emulated Moodle's pages: the instructor adds a
 * series (its next dates shown, axe finds nothing of any impact), the LMS creates the link and the
 * link opens that series alone; Cancel closes the picker adding nothing.
 */
describeInBrowser('the content picker through the LMS (Chromium)', () => {
  let school: School;
  let context: BrowserContext;
  const topic = 'Physics lab (picker)';

  beforeAll(async () => {
    context = await launchChromiumProfile({
      thirdPartyCookies: 'blocked',
      locale: 'en',
      timezoneId: 'America/New_York',
      viewport: { width: 1100, height: 800 },
    });
    school = await startSchool(context);
  }, 90_000);
  afterAll(async () => {
    await context?.browser()?.close();
    await school?.close();
  });

  it('adds a series to the course; its link opens that series; Cancel adds nothing', async () => {
    const { lms } = school;
    const page = await context.newPage();
    await scheduleWeekly(await openTool(page, school, lms.users.instructor.id), topic);

    await page.getByRole('link', { name: 'Add Zoom to the course (deep linking)' }).click();
    const picker = await settledToolFrame(page, school.tool);
    const item = picker.getByRole('listitem').filter({ has: picker.getByRole('heading', { name: topic }) });
    await item.getByText('Next dates').waitFor();
    expect(await item.getByRole('list').getByRole('listitem').count()).toBe(5); // four dates, "and 8 more"
    await item.getByText(/^Meeting ID: [\d ]+$/).waitFor();
    expect(await axeViolations(picker)).toEqual([]);
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await page.screenshot({ path: path.join(SCREENSHOTS, 'picker-in-lms.png'), fullPage: true });

    await item.getByRole('button', { name: `Add to course ${topic}` }).click();
    // The LMS closes its picker: its course page says what was added and lists the new link.
    await page.getByRole('heading', { name: 'Content added to the course' }).waitFor();
    expect(lms.activities.map((a) => a.title)).toEqual([topic]);

    await page.getByRole('link', { name: 'Add Zoom to the course (deep linking)' }).click();
    const again = await settledToolFrame(page, school.tool);
    await again.getByRole('button', { name: 'Cancel' }).click();
    await page.getByRole('heading', { name: 'Nothing was added to the course' }).waitFor();
    expect(lms.activities).toHaveLength(1);

    // The student opens the placed link: that series alone, with its dates.
    const student = await context.newPage();
    const resourceLinkId = lms.activities[0]?.resourceLinkId;
    const link = await openTool(student, school, lms.users.learner.id, { resourceLinkId });
    await link.getByRole('heading', { name: topic }).waitFor();
    expect(await link.getByText('Every week on Monday, Wednesday', { exact: false }).count()).toBeGreaterThan(
      0,
    );
    expect(await link.getByRole('link', { name: /^Join/ }).count()).toBe(1);
  }, 60_000);
});
