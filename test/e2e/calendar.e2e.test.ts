import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Frame, Page } from 'playwright-core';
import { describeInBrowser, launchChromiumProfile } from '../support/browser';
import { openTool, startSchool, type School } from './meetings.setup';

/**
 * A student's calendar block in Chromium: Copy puts the address on the clipboard where the page may
 * write it (the tool in a tab of its own), and where it may not (an LMS that frames tools
 * without `allow="clipboard-write"`: the emulator's `?clipboard=refused`) it selects the address and says which keys copy it. axe-core finds no
 * violation in the block; its screenshots go to SCREENSHOTS_DIR (default: a temporary folder).
 */
const SCREENSHOTS = process.env.SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'zoom-lti-screenshots');

/** The little of the DOM the in-page checks read (the project compiles without the DOM library). */
interface InPage {
  document: {
    activeElement: { id: string } | null;
    getElementById(id: string): { value: string; selectionStart: number; selectionEnd: number } | null;
  };
  navigator: { clipboard: { readText(): Promise<string> } };
  axe: { run(context: unknown): Promise<{ violations: { id: string; impact: string | null }[] }> };
}

describeInBrowser("a student's calendar block", () => {
  let context: BrowserContext;
  let school: School;
  let frame: Frame;
  beforeAll(async () => {
    context = await launchChromiumProfile({
      thirdPartyCookies: 'blocked',
      locale: 'en',
      timezoneId: 'America/New_York',
      viewport: { width: 1280, height: 800 },
    });
    school = await startSchool(context);
    frame = await openTool(await context.newPage(), school, school.lms.users.learner.id, {
      clipboardRefused: true,
    });
  });
  afterAll(async () => {
    await context?.close();
    await school?.close();
  });

  const address = (where: Frame | Page) => where.getByRole('textbox', { name: 'Calendar address' });

  it('in an LMS frame that refuses the clipboard, Copy selects the address and says to press Ctrl+C', async () => {
    const feed = await address(frame).inputValue();
    await frame.getByRole('button', { name: 'Copy Calendar address' }).click();

    await frame.getByRole('button', { name: 'Press Ctrl+C to copy' }).waitFor();
    await frame
      .getByRole('status')
      .filter({ hasText: 'The address is selected: press Ctrl+C to copy it.' })
      .waitFor();
    const selected = await frame.evaluate(() => {
      const { document } = globalThis as unknown as InPage;
      const field = document.getElementById('calendar-address');
      return { focused: document.activeElement?.id, start: field?.selectionStart, end: field?.selectionEnd };
    });
    expect(selected).toEqual({ focused: 'calendar-address', start: 0, end: feed.length });
  });

  it('in a tab of its own, where the clipboard is granted, Copy copies the address', async () => {
    await context.grantPermissions(['clipboard-read', 'clipboard-write'], { origin: school.tool.url });
    const tab = await context.newPage();
    await tab.goto(frame.url());
    const feed = await address(tab).inputValue();

    await tab.getByRole('button', { name: 'Copy Calendar address' }).click();

    await tab.getByRole('status').filter({ hasText: 'Calendar address copied.' }).waitFor();
    expect(await tab.evaluate(() => (globalThis as unknown as InPage).navigator.clipboard.readText())).toBe(
      feed,
    );
    expect(
      await tab.getByRole('link', { name: /^Subscribe in your calendar app/ }).getAttribute('href'),
    ).toBe(feed.replace(/^https?:/, 'webcal:'));

    // axe-core: no violation of any impact in the block.
    await tab.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
    const violations = await tab.evaluate(async () =>
      (await (globalThis as unknown as InPage).axe.run({ include: [['section.calendar']] })).violations.map(
        (v) => `${v.id} (${v.impact})`,
      ),
    );
    expect(violations).toEqual([]);

    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    await tab
      .locator('section.calendar')
      .screenshot({ path: path.join(SCREENSHOTS, 'calendar-block-en-1280.png') });
    await tab.setViewportSize({ width: 360, height: 800 });
    await tab
      .locator('section.calendar')
      .screenshot({ path: path.join(SCREENSHOTS, 'calendar-block-en-360.png') });
    await tab.close();
  });
});
