import type { Browser } from 'playwright-core';
import { hashPassword } from '../../src/admin';
import type { LmsEmulator } from '../../src/sandbox/lms';
import { axeViolations, describeInBrowser, launchChromium } from '../support/browser';
import { startRegisteredLms } from '../support/lms';
import { startToolServer, type ToolServer } from '../support/tool-server';

/**
 * A school's retention on the operator console in Chromium: shown (everything kept), set from its
 * form, shown again; axe clean each time. Screenshot: docs/screenshots/admin-retention.png.
 */
const PASSWORD = 'operator console e2e password';

describeInBrowser('retention on the operator console in Chromium', () => {
  let browser: Browser;
  let tool: ToolServer;
  let lms: LmsEmulator;

  beforeAll(async () => {
    tool = await startToolServer({ host: 'localhost' });
    lms = await startRegisteredLms(tool.built.tenants, {
      profile: 'moodle',
      toolUrl: tool.url,
      school: 'Retention High',
    });
    await tool.built.admin.setPasswordHash('operator', await hashPassword(PASSWORD, { ln: 14, r: 8, p: 1 }));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await lms?.stop();
    await tool?.close();
  });

  it('shows and sets the retention, accessible', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${tool.url}/admin/login`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Schools' }).waitFor();
    await page.getByRole('link', { name: 'Retention High' }).click();
    await page.getByRole('heading', { level: 2, name: 'Retention' }).waitFor();
    await page.getByText('Never changed: everything is kept.').waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page
      .getByLabel('Attendance: sessions, results, registrant links, roster (days after the course ends)')
      .fill('365');
    await page.getByLabel('Logs: Zoom’s webhook deliveries, errors, failed jobs (days)').fill('30');
    await page.getByRole('button', { name: 'Save retention' }).click();
    await page.getByText('Last changed by operator:operator').waitFor();
    expect(
      await page
        .getByLabel('Attendance: sessions, results, registrant links, roster (days after the course ends)')
        .inputValue(),
    ).toBe('365');
    expect(
      await page.getByLabel('Meetings and recording links (days after the course ends)').inputValue(),
    ).toBe('');
    expect(await axeViolations(page)).toEqual([]);
    await page.locator('section[aria-labelledby="retention-heading"]').screenshot({
      path: 'docs/screenshots/admin-retention.png',
    });
    await context.close();
  }, 60_000);
});
