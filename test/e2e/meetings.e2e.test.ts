import { sql } from 'drizzle-orm';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { queryRows } from '../../src/storage';
import {
  axeViolations,
  describeInBrowser,
  launchChromiumProfile,
  thirdPartyCookiesWork,
  type ProfileOptions,
} from '../support/browser';
import {
  fillWeekly,
  openScheduleForm,
  openTool,
  scheduleWeekly,
  settledToolFrame,
  startSchool,
  type School,
} from './meetings.setup';

/**
 * The scheduler's acceptance, in Chromium, with the tool framed cross-site by the LMS course page:
 * an instructor schedules a weekly meeting through the form (by its labels, as a person does), a
 * student of the course sees it with Join (Zoom's join_url), and the instructor presses Start and
 * a new tab lands on a fresh start_url that Zoom accepts, the course page staying where it was. With third-party cookies
 * allowed and blocked (the tool needs none after the launch), and once with JavaScript off.
 */
describeInBrowser('class meetings in Chromium, framed cross-site by the LMS course page', () => {
  let school: School;
  const browsers = new Map<string, Promise<BrowserContext>>();

  /** Each person's own Chromium, by its settings (launched once, reused by later tests). */
  const browse = (who: 'admin' | 'instructor' | 'student', options: ProfileOptions) => {
    const key = `${who} ${JSON.stringify(options)}`;
    let context = browsers.get(key);
    if (!context) {
      context = launchChromiumProfile({ timezoneId: 'America/New_York', ...options });
      browsers.set(key, context);
    }
    return context;
  };

  beforeAll(async () => {
    school = await startSchool(await browse('admin', { thirdPartyCookies: 'blocked' }));
  });
  afterAll(async () => {
    for (const context of browsers.values()) await (await context).close();
    await school?.close();
  });

  const zoomMeeting = (topic: string) =>
    school.zoom.meetings(school.account.account_id).find((meeting) => meeting.topic === topic);
  const joinUrlStored = async (topic: string) => {
    const rows = await queryRows<{ join_url: string }>(
      school.tool.database.db,
      sql`select join_url from meetings where topic = ${topic}`,
    );
    return rows[0]?.join_url;
  };

  it.each(['allowed', 'blocked'] as const)(
    'third-party cookies %s: the instructor schedules a weekly meeting, a student joins, the instructor starts it',
    async (thirdPartyCookies) => {
      const { lms, zoom } = school;
      const topic = `Biology lab (third-party cookies ${thirdPartyCookies})`;

      const teacher = await (await browse('instructor', { thirdPartyCookies })).newPage();
      let frame = await openTool(teacher, school, lms.users.instructor.id);
      expect(await thirdPartyCookiesWork(frame)).toBe(thirdPartyCookies === 'allowed');
      await scheduleWeekly(frame, topic);

      const listed = frame.getByRole('listitem').filter({ has: frame.getByRole('heading', { name: topic }) });
      await listed.locator('.recurrence').getByText('Every week on Monday, Wednesday').waitFor();
      expect(zoomMeeting(topic)).toMatchObject({ type: 8, duration: 50, timezone: 'America/New_York' });
      expect(zoomMeeting(topic)?.occurrences).toHaveLength(12);

      // A student of the course sees it, with Join going through the tool to their own registrant
      // link at Zoom (the course takes attendance), in a new window.
      const student = await (await browse('student', { thirdPartyCookies })).newPage();
      const studentFrame = await openTool(student, school, lms.users.learner.id);
      const join = studentFrame.getByRole('link', {
        name: `Join “${topic}” in Zoom (opens in a new window)`,
      });
      const joinUrl = await join.getAttribute('href');
      expect(joinUrl).toMatch(/\/lti\/meetings\/[0-9a-f-]{36}\/join\?ltik=/);
      expect(await join.getAttribute('target')).toBe('_blank');
      await studentFrame
        .getByText(/Starts in \d+ (days|week)/)
        .first()
        .waitFor();
      expect(await studentFrame.getByRole('button', { name: /Start/ }).count()).toBe(0);
      const [zoomWindow] = await Promise.all([student.context().waitForEvent('page'), join.click()]);
      await zoomWindow.getByRole('heading', { name: 'Join meeting' }).waitFor();
      expect(zoomWindow.url()).toMatch(new RegExp(`^${zoom.baseUrl}/w/${zoomMeeting(topic)?.id}\\?tk=`));

      // The instructor presses Start: a new tab goes to a start_url fetched from Zoom just now, and
      // the course page stays where it was.
      frame = await settledToolFrame(teacher, school.tool);
      expect(await frame.content()).not.toMatch(/\/s\/\d+\?zak=/);
      const coursePage = teacher.url();
      const since = zoom.requests().at(-1)?.seq ?? 0;
      const [zoomTab] = await Promise.all([
        teacher.waitForEvent('popup'),
        listed.getByRole('button', { name: `Start “${topic}” in Zoom` }).click(),
      ]);
      await zoomTab.getByRole('heading', { name: 'Starting meeting' }).waitFor();
      expect(teacher.url()).toBe(coursePage);
      await listed.getByRole('button', { name: `Start “${topic}” in Zoom` }).waitFor();
      expect(await zoomTab.evaluate(() => (globalThis as unknown as { opener: unknown }).opener)).toBeNull();
      const startUrl = new URL(zoomTab.url());
      expect(startUrl.origin + startUrl.pathname).toBe(`${zoom.baseUrl}/s/${zoomMeeting(topic)?.id}`);
      expect(startUrl.searchParams.get('zak')).toBeTruthy();
      expect(
        zoom.requests({ since, method: 'GET', path: `/v2/meetings/${zoomMeeting(topic)?.id}` }),
      ).toHaveLength(1);
      expect(zoomMeeting(topic)?.status).toBe('started');
    },
  );

  it('where the LMS frame may not open a tab (sandboxed without allow-popups), Start takes the top window to Zoom', async () => {
    const { lms, zoom } = school;
    const topic = 'Physics review (sandboxed frame)';
    const teacher = await (await browse('instructor', { thirdPartyCookies: 'blocked' })).newPage();
    const frame = await openTool(teacher, school, lms.users.instructor.id);
    await scheduleWeekly(frame, topic);
    // The same page, framed as an LMS may frame it: scripts, forms and top navigation, no popups.
    const toolUrl = frame.url();
    await teacher.evaluate((src) => {
      const doc = (
        globalThis as unknown as {
          document: {
            querySelector(s: string): { src: string } & { setAttribute(n: string, v: string): void };
          };
        }
      ).document;
      const iframe = doc.querySelector('iframe[title="Zoom class meetings"]');
      iframe.setAttribute('sandbox', 'allow-scripts allow-forms allow-same-origin allow-top-navigation');
      iframe.src = src;
    }, toolUrl);
    const sandboxed = await settledToolFrame(teacher, school.tool);
    const listed = sandboxed
      .getByRole('listitem')
      .filter({ has: sandboxed.getByRole('heading', { name: topic }) });
    let popups = 0;
    teacher.on('popup', () => (popups += 1));
    await listed.getByRole('button', { name: `Start “${topic}” in Zoom` }).click();
    await teacher.getByRole('heading', { name: 'Starting meeting' }).waitFor();
    expect(teacher.url().startsWith(`${zoom.baseUrl}/s/${zoomMeeting(topic)?.id}`)).toBe(true);
    expect(popups).toBe(0);
  });

  it('Copy invitation copies in the LMS frame (it allows clipboard-write), and where the clipboard is refused selects the text to copy', async () => {
    const topic = 'Office hours (invitation)';
    const context = await browse('instructor', { thirdPartyCookies: 'blocked' });
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: school.tool.url });
    const page = await context.newPage();
    const frame = await openTool(page, school, school.lms.users.instructor.id);
    await scheduleWeekly(frame, topic);
    const joinUrl = String(await joinUrlStored(topic));
    const card = (where: Frame | Page) =>
      where.getByRole('listitem').filter({ has: where.getByRole('heading', { name: topic }) });

    // The emulated LMS frames the tool with allow="clipboard-write", as Canvas and Moodle do: it copies.
    await card(frame)
      .getByRole('button', { name: `Copy invitation ${topic}` })
      .click();
    await card(frame).getByText('Invitation copied.').waitFor();
    const reader = await context.newPage();
    await reader.goto(frame.url());
    const copied = await reader.evaluate(() =>
      (
        globalThis as unknown as { navigator: { clipboard: { readText(): Promise<string> } } }
      ).navigator.clipboard.readText(),
    );
    expect(copied).toContain(`Topic: ${topic}`);
    expect(copied).toContain(joinUrl);
    await reader.close();

    // A browser that refuses the clipboard: the invitation in a read-only box, selected, and the
    // page says (aria-live) which keys copy it.
    const refusing = await browse('instructor', { thirdPartyCookies: 'allowed' });
    const tab = await refusing.newPage();
    const cdp = await refusing.newCDPSession(tab);
    const { targetInfo } = (await cdp.send('Target.getTargetInfo')) as {
      targetInfo: { browserContextId: string };
    };
    await cdp.send('Browser.setPermission', {
      permission: { name: 'clipboard-write' },
      setting: 'denied',
      origin: school.tool.url,
      browserContextId: targetInfo.browserContextId,
    });
    await tab.goto(frame.url());
    await card(tab)
      .getByRole('button', { name: `Copy invitation ${topic}` })
      .click();
    const box = card(tab).getByRole('textbox', { name: `Invitation to “${topic}”` });
    await box.waitFor();
    expect(await box.getAttribute('readonly')).not.toBeNull();
    expect(await box.inputValue()).toContain(joinUrl);
    const selected = await box.evaluate((el) => {
      const area = el as unknown as { selectionStart: number; selectionEnd: number; value: string };
      const doc = (el as unknown as { ownerDocument: { activeElement: unknown } }).ownerDocument;
      return {
        focused: doc.activeElement === el,
        all: area.selectionStart === 0 && area.selectionEnd === area.value.length,
      };
    });
    expect(selected).toEqual({ focused: true, all: true });
    const status = card(tab).getByRole('status');
    expect(await status.textContent()).toBe('The invitation is selected: press Ctrl+C to copy it.');
    expect(await axeViolations(tab)).toEqual([]);
    await tab.close();
  });

  it('the content picker schedules a meeting and adds it to the course: the tool posts it back to the LMS', async () => {
    const topic = 'Field trip briefing (content picker)';
    const page = await (await browse('instructor', { thirdPartyCookies: 'blocked' })).newPage();
    await openTool(page, school, school.lms.users.instructor.id);
    await page.getByRole('link', { name: 'Add Zoom to the course (deep linking)' }).click();
    const picker = await settledToolFrame(page, school.tool);
    await picker.getByRole('heading', { name: 'Add a Zoom meeting to your course' }).waitFor();
    await fillWeekly(picker, topic);
    await picker.getByRole('button', { name: 'Schedule meeting' }).click();
    // The answer posts itself (autosubmit.js) to the LMS's deep-linking return URL, in the frame.
    const lms = page; // The LMS closes its picker: its course page says what was added.
    await lms.getByRole('heading', { name: 'Content added to the course' }).waitFor();
    await lms.getByText(`Added: ${topic}`).waitFor();
    expect(school.lms.deepLinkingReturns.at(-1)?.contentItems).toEqual([
      expect.objectContaining({ type: 'ltiResourceLink', title: topic }),
    ]);
    expect(zoomMeeting(topic)?.occurrences).toHaveLength(12);
  });

  it('works with JavaScript off: the instructor schedules, the student reads and joins, the instructor starts', async () => {
    const { lms, zoom } = school;
    const topic = 'Chemistry seminar (no JavaScript)';
    const noScript = { thirdPartyCookies: 'blocked', javaScriptEnabled: false } as const;

    const teacher = await (await browse('instructor', noScript)).newPage();
    const frame = await openTool(teacher, school, lms.users.instructor.id, { javaScript: false });
    // Without meetings.js: times in the school's zone, and every repeat field shown at once.
    expect(new URL(frame.url()).searchParams.has('tz')).toBe(false);
    // The course has meetings: "Schedule a meeting" is a link to the page with the form open.
    await openScheduleForm(frame);
    expect(new URL(frame.url()).searchParams.get('schedule')).toBe('1');
    expect(await frame.getByRole('group', { name: 'On', exact: true }).isVisible()).toBe(true);
    await scheduleWeekly(frame, topic);
    expect(zoomMeeting(topic)?.occurrences).toHaveLength(12);
    const listed = frame.getByRole('listitem').filter({ has: frame.getByRole('heading', { name: topic }) });
    // "Copy invitation" needs the page's script, so it stays hidden; the invitation is still there to copy.
    expect(await listed.getByRole('button', { name: /Copy invitation/ }).count()).toBe(0);
    await listed.getByText('Invitation', { exact: true }).click();
    expect(await listed.locator('pre').textContent()).toContain(`Topic: ${topic}`);

    const student = await (await browse('student', noScript)).newPage();
    const studentFrame = await openTool(student, school, lms.users.learner.id, { javaScript: false });
    await studentFrame.getByText('Every week on Monday, Wednesday').first().waitFor();
    const join = studentFrame.getByRole('link', { name: `Join “${topic}” in Zoom (opens in a new window)` });
    expect(await join.getAttribute('href')).toMatch(/\/lti\/meetings\/[0-9a-f-]{36}\/join\?ltik=/);
    const [zoomWindow] = await Promise.all([student.context().waitForEvent('page'), join.click()]);
    await zoomWindow.getByRole('heading', { name: 'Join meeting' }).waitFor();

    await settledToolFrame(teacher, school.tool, false); // still there, unchanged
    const coursePage = teacher.url();
    const [zoomTab] = await Promise.all([
      teacher.waitForEvent('popup'),
      listed.getByRole('button', { name: `Start “${topic}” in Zoom` }).click(),
    ]);
    await zoomTab.getByRole('heading', { name: 'Starting meeting' }).waitFor();
    expect(zoomTab.url().startsWith(`${zoom.baseUrl}/s/${zoomMeeting(topic)?.id}`)).toBe(true);
    expect(teacher.url()).toBe(coursePage);
    expect(zoomMeeting(topic)?.status).toBe('started');
  });
});
