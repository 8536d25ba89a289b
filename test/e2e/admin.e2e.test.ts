import type { Browser } from 'playwright-core';
import { hashPassword } from '../../src/admin';
import type { LmsEmulator } from '../../src/sandbox/lms';
import { axeViolations, describeInBrowser, launchChromium } from '../support/browser';
import { startRegisteredLms } from '../support/lms';
import { startToolServer, type ToolServer } from '../support/tool-server';

/**
 * The operator console in Chromium: a page asked for without a session leads to the sign-in page; a
 * wrong password is announced; signed in, the schools page, a school's page and a fresh
 * registration link, each with no axe violation; a school's retention shown, set and shown again.
 * Screenshots: /tmp/admin-*.png and docs/screenshots/admin-retention.png.
 */
const PASSWORD = 'operator console e2e password';

describeInBrowser('the operator console in Chromium', () => {
  let browser: Browser;
  let tool: ToolServer;
  let lms: LmsEmulator;

  beforeAll(async () => {
    tool = await startToolServer({ host: 'localhost' });
    lms = await startRegisteredLms(tool.built.tenants, {
      profile: 'moodle',
      toolUrl: tool.url,
      school: 'Console High',
    });
    await tool.built.admin.setPasswordHash('operator', await hashPassword(PASSWORD, { ln: 14, r: 8, p: 1 }));
    browser = await launchChromium();
  }, 60_000);
  afterAll(async () => {
    await browser?.close();
    await lms?.stop();
    await tool?.close();
  });

  it('signs in and opens every page, each accessible', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();

    await page.goto(`${tool.url}/admin/schools`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/admin-login.png', fullPage: true });

    await page.getByLabel('Password').fill('not the password!');
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Wrong operator name or password' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/admin-login-refused.png', fullPage: true });

    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Schools' }).waitFor();
    const cookies = await context.cookies(`${tool.url}/admin/schools`);
    expect(cookies.find((cookie) => cookie.name === 'zoom_admin')).toMatchObject({
      httpOnly: true,
      secure: true,
      sameSite: 'Strict',
      path: '/admin',
    });
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/admin-schools.png', fullPage: true });

    await page.getByRole('link', { name: 'Console High' }).click();
    await page.getByRole('heading', { level: 1, name: 'Console High' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);

    await page.getByLabel('Valid for (days)').fill('3');
    await page.getByRole('button', { name: 'Make a registration link' }).click();
    await page.getByRole('status').filter({ hasText: 'works once' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/admin-school.png', fullPage: true });

    await page.getByRole('button', { name: 'Deactivate registration' }).click();
    await page.getByText('Deactivated: launches are refused').waitFor();

    // Add a school: an empty name is refused by its field; a named one lands on its page with the link.
    await page.goto(`${tool.url}/admin/schools`);
    await page.getByRole('link', { name: 'Add a school' }).click();
    await page.getByRole('heading', { level: 1, name: 'Add a school' }).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.getByRole('button', { name: 'Add the school' }).click();
    await page.getByRole('alert').filter({ hasText: 'Give the school a name.' }).waitFor();
    expect(await page.getByLabel('School name').getAttribute('aria-invalid')).toBe('true');
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/admin-add-school-refused.png', fullPage: true });
    await page.getByLabel('School name').fill('Riverside University');
    await page.getByLabel('Time zone (optional)').fill('Europe/Madrid');
    await page.getByRole('button', { name: 'Add the school' }).click();
    await page.getByRole('heading', { level: 1, name: 'Riverside University' }).waitFor();
    await page.getByRole('status').filter({ hasText: 'send the registration link below' }).waitFor();
    await page.getByText(/\/lti\/register\?invite=/).waitFor();
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/admin-add-school-done.png', fullPage: true });
    await page.getByRole('button', { name: 'Sign out' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sign in to the operator console' }).waitFor();
    await page.goto(`${tool.url}/admin/schools`);
    expect(new URL(page.url()).pathname).toBe('/admin/login');
    await context.close();
  }, 90_000);

  // A school's retention (issue 20): shown (everything kept), set from its form, shown again.
  it('shows and sets the retention, accessible', async () => {
    const context = await browser.newContext();
    const page = await context.newPage();
    await page.goto(`${tool.url}/admin/login`);
    await page.getByLabel('Password').fill(PASSWORD);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Schools' }).waitFor();
    await page.getByRole('link', { name: 'Console High' }).click();
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
