import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';
import { axeViolations, describeInBrowser, profilesByLanguage } from '../support/browser';
import { openTool, scheduleWeekly, settledToolFrame, startSchool, type School } from './meetings.setup';

/**
 * What instructors and students see, checked by axe-core (no serious or critical violation) in
 * English and in Spanish: the instructor's course page with a meeting listed and the form, the
 * student's, the edit page, the delete confirmation and the deep-linking picker. Full-page
 * screenshots go to SCREENSHOTS_DIR (default: a temporary folder); the README's are made with
 * `SCREENSHOTS_DIR=docs/screenshots`.
 */
const SCREENSHOTS = process.env.SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'zoom-lti-screenshots');
const SERIOUS = ['serious', 'critical'] as const;

/** The little of the DOM the in-page checks read (the project compiles without the DOM library). */
interface InPage {
  document: {
    activeElement: { id: string; tagName: string; textContent: string | null } | null;
    documentElement: { scrollWidth: number; clientWidth: number };
  };
  getComputedStyle(element: unknown): { outlineStyle: string; outlineWidth: string };
}

const LANGUAGES = {
  en: {
    locale: 'en',
    timezoneId: 'America/New_York',
    edit: (topic: string) => `Edit “${topic}”`,
    delete: (topic: string) => `Delete “${topic}”`,
    deleteHeading: (topic: string) => `Delete “${topic}”?`,
    deepLinkingTitle: 'Add a Zoom meeting to your course',
    form: 'Schedule a meeting',
  },
  es: {
    locale: 'es-MX',
    timezoneId: 'America/Mexico_City',
    edit: (topic: string) => `Editar «${topic}»`,
    delete: (topic: string) => `Eliminar «${topic}»`,
    deleteHeading: (topic: string) => `¿Eliminar «${topic}»?`,
    deepLinkingTitle: 'Añadir una clase por Zoom a tu curso',
    form: 'Programar una clase',
  },
} as const;

describeInBrowser('what instructors and students see (axe-core, screenshots)', () => {
  let school: School;
  const profiles = profilesByLanguage(LANGUAGES);
  const topic = 'Biology 101: weekly lab';

  /** One browser per language (the pages need no cookie, so people may share one here). */
  const browse = profiles.browse;

  /** The tool's page on its own, full length, as seen when scrolling through it in the LMS. */
  async function screenshot(frame: Frame, name: string) {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const page = await frame.page().context().newPage();
    await page.goto(frame.url());
    await page.locator('main h1, main h3').first().waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    await page.close();
  }

  /** No serious or critical axe-core violation (each reported with where it is). */
  async function check(frame: Frame | Page) {
    expect(await axeViolations(frame, { impacts: SERIOUS })).toEqual([]);
  }

  beforeAll(async () => {
    school = await startSchool(await browse('en'));
    const teacher = await (await browse('en')).newPage();
    await scheduleWeekly(await openTool(teacher, school, school.lms.users.instructor.id), topic);
    await teacher.close();
  });
  afterAll(async () => {
    await profiles.close();
    await school?.close();
  });

  it('the form works with the keyboard alone: Tab follows the visual order, with a visible focus', async () => {
    const page = await (await browse('en')).newPage();
    const frame = await openTool(page, school, school.lms.users.instructor.id);
    const focused = () =>
      frame.evaluate(() => {
        const { document, getComputedStyle } = globalThis as unknown as InPage;
        const el = document.activeElement;
        const style = el ? getComputedStyle(el) : undefined;
        return {
          id: el?.id || `${el?.tagName.toLowerCase()}:${el?.textContent?.trim()}`,
          outline: style ? `${style.outlineStyle} ${style.outlineWidth}` : '',
        };
      });

    // The course has a meeting: the list comes first, and "Schedule a meeting" opens the form on its first field.
    await frame.getByRole('button', { name: 'Schedule a meeting' }).press('Enter');
    expect((await focused()).id).toBe('f-topic');
    await page.keyboard.type('Keyboard seminar');
    const order: string[] = [];
    const outlines: string[] = [];
    for (let press = 0; press < 40; press += 1) {
      const now = await focused();
      if (order.at(-1) !== now.id) {
        order.push(now.id);
        outlines.push(`${now.id}: ${now.outline}`);
      }
      if (now.id === 'f-repeats-never') {
        await page.keyboard.press('ArrowRight'); // Daily
        await page.keyboard.press('ArrowRight'); // Weekly: the weekdays appear
        order.push((await focused()).id);
      }
      if (now.id === 'f-on-2' || now.id === 'f-on-4') await page.keyboard.press('Space');
      if (now.id.startsWith('button:')) break;
      await page.keyboard.press('Tab');
    }
    expect(order).toEqual([
      'f-topic',
      'f-date',
      'f-startTime',
      'f-duration',
      'f-timeZone-search',
      'f-timeZone',
      'f-repeats-never',
      'f-repeats-weekly',
      'f-on-2',
      'f-on-3',
      'f-on-4',
      'f-on-5',
      'f-on-6',
      'f-on-7',
      'f-on-1',
      'f-endDate',
      'f-ends-after',
      'f-endAfter',
      'f-passcode',
      'f-waitingRoom',
      'f-joinBeforeHost',
      'f-autoRecord',
      'button:Schedule meeting',
    ]);
    for (const outline of outlines) expect(outline).toMatch(/: solid [2-9]px$/);
    expect(await frame.getByRole('checkbox', { name: 'Monday' }).isChecked()).toBe(true);
    expect(await frame.getByRole('checkbox', { name: 'Wednesday' }).isChecked()).toBe(true);

    // Submitted with a mistake (weekly, but no weekday): the error summary takes the focus and links
    // to the group, which is marked invalid.
    await frame.getByRole('checkbox', { name: 'Monday' }).uncheck();
    await frame.getByRole('checkbox', { name: 'Wednesday' }).uncheck();
    await frame.getByRole('button', { name: 'Schedule meeting' }).focus();
    await page.keyboard.press('Enter');
    const summary = frame.getByRole('alert').filter({ hasText: 'Please correct the following:' });
    await summary.waitFor();
    expect(
      await summary.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement),
    ).toBe(true);
    await check(frame);
    await summary.getByRole('link', { name: 'Choose at least one day of the week.' }).click();
    expect((await focused()).id).toBe('f-on');
    const on = frame.getByRole('group', { name: 'On', exact: true });
    expect(await on.isVisible()).toBe(true);
    expect(await on.getAttribute('aria-invalid')).toBe('true');
  });

  it('the list comes first: "Schedule a meeting" opens and closes the form, and the tabs follow the arrow keys', async () => {
    const page = await (await browse('en')).newPage();
    const frame = await openTool(page, school, school.lms.users.instructor.id);
    const schedule = frame.getByRole('button', { name: 'Schedule a meeting' });
    expect(await schedule.getAttribute('aria-expanded')).toBe('false');
    expect(await frame.getByLabel('Topic').isVisible()).toBe(false);
    await schedule.click();
    expect(await schedule.getAttribute('aria-expanded')).toBe('true');
    expect(
      await frame
        .getByLabel('Topic')
        .evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement),
    ).toBe(true);
    await check(frame);
    await frame.getByRole('link', { name: 'Close the form' }).click();
    expect(await frame.getByLabel('Topic').isVisible()).toBe(false);
    expect(
      await schedule.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement),
    ).toBe(true);

    // Each card names Zoom's meeting ID as Zoom writes it.
    await frame
      .locator('.meeting')
      .getByText(/^Meeting ID: \d{3} \d{4} \d{4}$/)
      .first()
      .waitFor();

    // Tabs (WAI-ARIA): one tab stop; arrows move and select, wrapping; Home and End.
    const tabs = frame.getByRole('tablist', { name: 'Class meetings' });
    const selected = async () => {
      const tab = tabs.getByRole('tab', { selected: true });
      const focused = await tab.evaluate(
        (el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement,
      );
      return `${await tab.textContent()}${focused ? ' (focused)' : ''}`;
    };
    expect(await selected()).toBe('Upcoming (1)');
    expect(
      await tabs
        .getByRole('tab')
        .evaluateAll((all) => all.map((el) => (el as unknown as { tabIndex: number }).tabIndex)),
    ).toEqual([0, -1, -1]);
    await tabs.getByRole('tab', { name: 'Upcoming (1)' }).focus();
    const seen: string[] = [];
    for (const key of ['ArrowRight', 'ArrowRight', 'ArrowRight', 'ArrowLeft', 'End', 'Home']) {
      await page.keyboard.press(key);
      seen.push(await selected());
    }
    expect(seen).toEqual([
      'Past (0) (focused)',
      'Recordings (0) (focused)',
      'Upcoming (1) (focused)',
      'Recordings (0) (focused)',
      'Recordings (0) (focused)',
      'Upcoming (1) (focused)',
    ]);
    await page.keyboard.press('ArrowLeft');
    const panel = frame.getByRole('tabpanel', { name: 'Recordings (0)' });
    expect(await panel.getByText('No recordings yet.').isVisible()).toBe(true);
    expect(await frame.getByRole('heading', { name: topic }).isVisible()).toBe(false); // the upcoming panel is hidden
    await check(frame);
    await page.keyboard.press('Tab'); // into the panel
    expect(
      await panel.evaluate((el) => el === (el.ownerDocument as { activeElement: unknown }).activeElement),
    ).toBe(true);
    await page.close();
  });

  // A ready instructor's card has nothing to do: no "What to do" line and no catalog key.
  it.each(['en', 'es'] as const)(
    "%s: a ready instructor's Zoom card shows no catalog key",
    async (language) => {
      const page = await (await browse(language)).newPage();
      const frame = await openTool(page, school, school.lms.users.instructor.id, {
        locale: LANGUAGES[language].locale,
      });
      const card = frame.locator('.provisioning');
      expect(await card.getAttribute('data-tone')).toBe('ok');
      expect(await card.textContent()).not.toMatch(/outcomes\./);
    },
  );

  it('reflows in a narrow frame (a phone, or the LMS beside its menus): nothing scrolls sideways', async () => {
    const page = await (await browse('es')).newPage();
    await page.setViewportSize({ width: 360, height: 740 });
    for (const user of [school.lms.users.instructor.id, school.lms.users.learner.id]) {
      const frame = await openTool(page, school, user, { locale: 'es' });
      const overflow = await frame.evaluate(() => {
        const root = (globalThis as unknown as InPage).document.documentElement;
        return root.scrollWidth - root.clientWidth;
      });
      expect(overflow).toBeLessThanOrEqual(0);
    }
  });

  it.each(['en', 'es'] as const)('%s: every page passes axe-core', async (language) => {
    const l = LANGUAGES[language];
    const suffix = language === 'en' ? '' : `-${language}`;
    const { lms } = school;
    const context = await browse(language);
    const page = await context.newPage();

    let frame = await openTool(page, school, lms.users.instructor.id, { locale: l.locale });
    await frame.getByRole('button', { name: l.form }).waitFor(); // the list first; the button opens the form
    expect(await frame.locator('html').getAttribute('lang')).toBe(language); // how screen readers speak it
    await check(frame);
    await screenshot(frame, `instructor${suffix}`); // the README's instructor.png, instructor-es.png

    await frame.getByRole('link', { name: l.edit(topic) }).click();
    await frame.getByRole('heading', { name: l.edit(topic) }).waitFor();
    await check(frame);

    frame = await openTool(page, school, lms.users.instructor.id, { locale: l.locale });
    await frame.getByRole('link', { name: l.delete(topic) }).click();
    await frame.getByRole('heading', { name: l.deleteHeading(topic) }).waitFor();
    await check(frame);

    frame = await openTool(page, school, lms.users.learner.id, { locale: l.locale });
    await check(frame);
    if (language === 'en') await screenshot(frame, 'student');

    await openTool(page, school, lms.users.instructor.id, { locale: l.locale });
    await page.getByRole('link', { name: 'Add Zoom to the course (deep linking)' }).click();
    frame = await settledToolFrame(page, school.tool);
    await frame.getByRole('heading', { name: l.deepLinkingTitle }).waitFor();
    await check(frame);
    if (language === 'en') await screenshot(frame, 'deep-linking');
  });
});
