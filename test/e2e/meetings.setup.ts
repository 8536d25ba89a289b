import type { BrowserContext, Frame, Page } from 'playwright-core';
import type { LaunchOptions, LmsEmulator } from '../../src/sandbox/lms';
import { createZoomSimulator, type ZoomSimulator } from '../../src/sandbox/zoom';
import { startRegisteredLms } from '../support/lms';
import { startToolServer, type ToolServer } from '../support/tool-server';

/**
 * What the meetings browser suites share: the Zoom simulator (real clock), the tool listening on
 * localhost, and an emulated Moodle on 127.0.0.1 (another site) whose course page frames it. The
 * school's admin connects the school's own Server-to-Server app through the tool's page, and the
 * instructor's Zoom user is made ready as in `meetings-harness.ts`: a first launch creates it
 * (pending), Zoom activates it, a second launch finds it active.
 */
export interface School {
  zoom: ZoomSimulator;
  tool: ToolServer;
  lms: LmsEmulator;
  account: { account_id: string; admin_email: string };
  close(): Promise<void>;
}

export async function startSchool(context: BrowserContext): Promise<School> {
  const zoom = createZoomSimulator();
  await zoom.start();
  const account = await zoom.createAccount({ plan: 'business' });
  const tool = await startToolServer({
    env: { ZOOM_OAUTH_URL: zoom.baseUrl, ZOOM_API_URL: `${zoom.baseUrl}/v2` },
  });
  const lms = await startRegisteredLms(tool.built.tenants, {
    profile: 'moodle',
    toolUrl: tool.url,
    school: 'Northside High',
  });
  const school: School = {
    zoom,
    tool,
    lms,
    account,
    async close() {
      await lms.stop();
      await tool.close();
      await zoom.stop();
    },
  };

  const page = await context.newPage();
  const s2s = await zoom.createApp({ kind: 's2s', account_id: account.account_id });
  const admin = await openTool(page, school, lms.users.admin.id);
  await admin.getByRole('link', { name: 'Manage the Zoom connection' }).click();
  await admin.getByLabel('Account ID').fill(account.account_id);
  await admin.getByLabel('Client ID').fill(s2s.client_id);
  await admin.getByLabel('Client secret').fill(s2s.client_secret);
  await admin.getByRole('button', { name: 'Verify and connect' }).click();
  await admin.getByText(`Connected to Zoom account ${account.account_id}`).waitFor();

  await openTool(page, school, lms.users.instructor.id);
  zoom.activateUser(lms.users.instructor.email as string);
  const ready = await openTool(page, school, lms.users.instructor.id);
  await ready.getByRole('heading', { name: 'Schedule a meeting' }).waitFor();
  await page.close();
  return school;
}

/**
 * Opens the LMS course page as a user and returns the tool's frame once it has settled (with
 * JavaScript, meetings.js reloads it once to add the browser's time zone). Without JavaScript the
 * person presses the LMS's "Continue" buttons, as its auto-posted launch forms offer.
 */
export async function openTool(
  page: Page,
  school: Pick<School, 'lms' | 'tool'>,
  userId: string,
  options: LaunchOptions & { javaScript?: boolean; clipboardRefused?: boolean } = {},
): Promise<Frame> {
  const { javaScript = true, clipboardRefused = false, ...launch } = options;
  const url = school.lms.coursePageUrl(userId, launch);
  await page.goto(clipboardRefused ? `${url}&clipboard=refused` : url);
  if (!javaScript) {
    const { lms } = school;
    for (const at of [`${lms.baseUrl}/course/`, lms.authUrl]) {
      const form = await frameAt(page, (url) => url.startsWith(at));
      await form.getByRole('button', { name: 'Continue' }).click();
    }
  }
  return settledToolFrame(page, school.tool, javaScript);
}

/** The tool's frame in the LMS page, once it shows a tool page (with `tz` when JavaScript runs). */
export async function settledToolFrame(page: Page, tool: ToolServer, javaScript = true): Promise<Frame> {
  const frame = await frameAt(
    page,
    (url) =>
      url.startsWith(`${tool.url}/lti/`) &&
      !url.startsWith(`${tool.url}/lti/launch`) &&
      (!javaScript || new URL(url).searchParams.has('tz')),
  );
  await frame.waitForLoadState('load');
  await frame.locator('main h1').first().waitFor();
  return frame;
}

/** The first frame of the page whose URL matches, waiting for it (20 s). */
async function frameAt(page: Page, matches: (url: string) => boolean): Promise<Frame> {
  const deadline = Date.now() + 20_000;
  for (;;) {
    const frame = page
      .frames()
      .find((candidate) => candidate !== page.mainFrame() && matches(candidate.url()));
    if (frame) return frame;
    if (Date.now() > deadline) {
      throw new Error(
        `no such frame; the page has ${page
          .frames()
          .map((f) => f.url())
          .join(', ')}`,
      );
    }
    await page.waitForTimeout(50);
  }
}

/** A date `days` from today (UTC), moved forward to the next Monday, as a date input wants it. */
export function nextMonday(days: number): string {
  const date = new Date(Date.now() + days * 86_400_000);
  while (date.getUTCDay() !== 1) date.setUTCDate(date.getUTCDate() + 1);
  return date.toISOString().slice(0, 10);
}

/**
 * Opens the course page's form if the list comes first ("Schedule a meeting" opens it once the
 * course has meetings; it is open while there are none, and in the content picker).
 */
export async function openScheduleForm(frame: Frame, name = 'Schedule a meeting') {
  const button = frame.getByRole('button', { name, exact: true });
  const link = frame.getByRole('link', { name, exact: true });
  if ((await button.count()) > 0) {
    if ((await button.getAttribute('aria-expanded')) === 'false') await button.click();
  } else if ((await link.count()) > 0) {
    await link.click(); // without JavaScript: the page again, with the form open
  }
  await frame.locator('#f-topic').waitFor();
}

/** Fills the form for a weekly meeting as an instructor would: every field found by its label. */
export async function fillWeekly(frame: Frame, topic: string) {
  await openScheduleForm(frame);
  await frame.getByLabel('Topic').fill(topic);
  await frame.getByLabel('Date', { exact: true }).fill(nextMonday(3));
  await frame.getByLabel('Start time').fill('09:30');
  await frame.getByLabel('Duration (minutes)').fill('50');
  await frame.getByLabel('Time zone').selectOption('America/New_York');
  await frame.getByRole('radio', { name: 'Weekly' }).check();
  const on = frame.getByRole('group', { name: 'On', exact: true });
  await on.getByRole('checkbox', { name: 'Monday' }).check();
  await on.getByRole('checkbox', { name: 'Wednesday' }).check();
  const ends = frame.getByRole('group', { name: 'Ends' });
  await ends.getByRole('radio', { name: 'After' }).check();
  await ends.getByLabel('Number of occurrences').fill('12');
  await frame.getByLabel('Passcode').fill('bio123');
  await frame.getByRole('checkbox', { name: 'Waiting room' }).check();
}

/** Schedules a weekly meeting from the course page's form, and waits for the page to say so. */
export async function scheduleWeekly(frame: Frame, topic: string) {
  await fillWeekly(frame, topic);
  await frame.getByRole('button', { name: 'Schedule meeting' }).click();
  await frame.getByText(`The meeting “${topic}” is scheduled.`).waitFor();
}
