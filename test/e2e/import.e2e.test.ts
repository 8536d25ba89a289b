import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { sql } from 'drizzle-orm';
import type { Frame } from 'playwright-core';
import { queryRows } from '../../src/storage';
import { axeViolations, describeInBrowser, profilesByLanguage, screenshotFrame } from '../support/browser';
import { openTool, startSchool, type School } from './meetings.setup';

/**
 * Issue 20 item 1 in Chromium, inside the emulated Moodle's frame: the instructor follows the course
 * page's card to the import page, adds one of their Zoom meetings from the list, is refused in words
 * for what is not a meeting, and finds the meeting on the course page. English and Spanish,
 * axe-core clean (no violation of any impact). Full-page screenshots go to SCREENSHOTS_DIR
 * (`SCREENSHOTS_DIR=docs/screenshots`, named import-*.png).
 */
const SCREENSHOTS = process.env.SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'zoom-lti-screenshots');

const LANGUAGES = {
  en: {
    locale: 'en',
    timezoneId: 'America/New_York',
    card: 'Choose a meeting from Zoom',
    heading: 'Bring a meeting you already have in Zoom',
    add: 'Add to this course',
    added: (topic: string) => `“${topic}” is now a meeting of this course.`,
    paste: 'Meeting ID or join link',
    submit: 'Add meeting',
    refused: 'That is not a Zoom meeting ID or join link.',
    back: 'Back to the class meetings',
    topic: 'Reading seminar',
  },
  es: {
    locale: 'es-MX',
    timezoneId: 'America/Mexico_City',
    card: 'Elegir una reunión de Zoom',
    heading: 'Traer una reunión que ya tiene en Zoom',
    add: 'Añadir a este curso',
    added: (topic: string) => `«${topic}» ya es una reunión de este curso.`,
    paste: 'ID de la reunión o enlace para unirse',
    submit: 'Añadir reunión',
    refused: 'Eso no es un ID ni un enlace de reunión de Zoom.',
    back: 'Volver a las reuniones de clase',
    topic: 'Seminario de lectura',
  },
} as const;

type Language = keyof typeof LANGUAGES;

describeInBrowser('importing a meeting from Zoom in the LMS frame (axe-core, screenshots)', () => {
  let school: School;
  const profiles = profilesByLanguage(LANGUAGES);

  const browse = profiles.browse;

  const screenshot = (frame: Frame, name: string) => screenshotFrame(frame, SCREENSHOTS, name);

  /** A POST's answer has no address to open again: the same form is sent in the page of its own. */
  async function refusedScreenshot(frame: Frame, name: string, words: (typeof LANGUAGES)[Language]) {
    fs.mkdirSync(SCREENSHOTS, { recursive: true });
    const page = await frame.page().context().newPage();
    await page.goto(frame.url());
    await page.getByLabel(words.paste).fill('my meeting please');
    await page.getByRole('button', { name: words.submit }).click();
    await page.getByRole('alert').filter({ hasText: words.refused }).waitFor();
    await page.screenshot({ path: path.join(SCREENSHOTS, `${name}.png`), fullPage: true });
    await page.close();
  }

  async function check(frame: Frame) {
    expect(await axeViolations(frame)).toEqual([]);
  }

  /** The instructor's meetings made in Zoom itself (the school's admin app, for the instructor's user). */
  async function madeInZoom(topics: string[]) {
    const app = await school.zoom.createApp({ kind: 's2s', account_id: school.account.account_id });
    const { access_token: token } = school.zoom.issueTokens(app.client_id, school.account.account_id);
    const host = encodeURIComponent(school.lms.users.instructor.email as string);
    for (const [i, topic] of topics.entries()) {
      const response = await fetch(`${school.zoom.baseUrl}/v2/users/${host}/meetings`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({
          topic,
          type: i === 0 ? 8 : 2,
          start_time: `2030-0${4 + i}-0${4 + i}T15:00:00`,
          timezone: 'America/New_York',
          duration: 50,
          ...(i === 0 ? { recurrence: { type: 2, repeat_interval: 1, weekly_days: '5', end_times: 8 } } : {}),
        }),
      });
      if (response.status !== 201) throw new Error(`create answered ${response.status}`);
    }
  }

  beforeAll(async () => {
    school = await startSchool(await browse('en'));
    await madeInZoom(['Weekly lab', LANGUAGES.en.topic, LANGUAGES.es.topic, 'Review session']);
  });
  afterAll(async () => {
    await profiles.close();
    await school?.close();
  });

  it.each(['en', 'es'] as const)(
    'the card, the list, an Add, a refusal and the meeting on the course page (%s)',
    async (language) => {
      const words = LANGUAGES[language];
      const page = await (await browse(language)).newPage();
      const course = await openTool(page, school, school.lms.users.instructor.id, { locale: words.locale });
      await course.getByRole('link', { name: words.card }).waitFor();
      await check(course);
      await screenshot(course, `import-card-${language}`);
      await course.getByRole('link', { name: words.card }).click();
      await course.getByRole('heading', { level: 1, name: words.heading }).waitFor();
      await course.getByRole('listitem').filter({ hasText: words.topic }).waitFor();
      await check(course);
      await screenshot(course, `import-list-${language}`);

      await course
        .getByRole('listitem')
        .filter({ hasText: words.topic })
        .getByRole('button', { name: words.add })
        .click();
      await course
        .getByRole('status')
        .filter({ hasText: words.added(words.topic) })
        .waitFor();
      expect(await course.getByRole('listitem').filter({ hasText: words.topic }).count()).toBe(0);
      await check(course);
      await screenshot(course, `import-added-${language}`);

      await course.getByLabel(words.paste).fill('my meeting please');
      await course.getByRole('button', { name: words.submit }).click();
      await course.getByRole('alert').filter({ hasText: words.refused }).waitFor();
      expect(await course.getByLabel(words.paste).inputValue()).toBe('my meeting please');
      await check(course);
      await refusedScreenshot(course, `import-refused-${language}`, words);

      await course.getByRole('link', { name: words.back }).first().click();
      await course.locator('main h1').first().waitFor();
      await course.getByText(words.topic).first().waitFor();
      const [row] = await queryRows<{ origin: string; state: string }>(
        school.tool.database.db,
        sql`select origin, state from meetings where topic = ${words.topic}`,
      );
      expect(row).toEqual({ origin: 'imported', state: 'scheduled' });
      await page.close();
    },
  );
});
