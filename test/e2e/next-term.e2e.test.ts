import os from 'node:os';
import path from 'node:path';
import type { Frame } from 'playwright-core';
import { axeViolations, describeInBrowser, profilesByLanguage, screenshotFrame } from '../support/browser';
import { openTool, scheduleWeekly, startSchool, type School } from './meetings.setup';

/**
 * Next term in Chromium, inside the emulated Moodle's frame: the Moodle admin restores last term's
 * course into a new one (the emulator's course copy: a new course id, `$Context.id.history` naming
 * the earlier one); its instructor sees the card, opens the offer, keeps the suggested dates and
 * brings the series over; the course page then lists them. English and Spanish, axe-core clean (no
 * violation of any impact). Screenshots go to SCREENSHOTS_DIR (`docs/screenshots`, next-term-*.png).
 */
const SCREENSHOTS = process.env.SCREENSHOTS_DIR ?? path.join(os.tmpdir(), 'zoom-lti-screenshots');

const LANGUAGES = {
  en: {
    locale: 'en',
    timezoneId: 'America/New_York',
    card: 'Bring its class meetings over?',
    choose: 'Choose which meetings to bring over, with new dates',
    heading: 'Bring last term’s class meetings over',
    firstDate: 'New first date',
    bring: 'Bring the ticked meetings over',
    done: '2 class meetings were brought over.',
    back: 'Back to the class meetings',
  },
  es: {
    locale: 'es-MX',
    timezoneId: 'America/Mexico_City',
    card: '¿Traer sus reuniones de clase?',
    choose: 'Elegir qué reuniones traer, con fechas nuevas',
    heading: 'Traer las reuniones de clase del periodo anterior',
    firstDate: 'Nueva primera fecha',
    bring: 'Traer las reuniones marcadas',
    done: 'Se trajeron 2 reuniones de clase.',
    back: 'Volver a las clases',
  },
} as const;

describeInBrowser('next term in the LMS frame (axe-core, screenshots)', () => {
  let school: School;
  const profiles = profilesByLanguage(LANGUAGES);
  const topics = ['Biology 101: weekly lab', 'Biology 101: office hours'];

  const browse = profiles.browse;

  const screenshot = (frame: Frame, name: string) => screenshotFrame(frame, SCREENSHOTS, name);

  async function check(frame: Frame) {
    expect(await axeViolations(frame)).toEqual([]);
  }

  beforeAll(async () => {
    school = await startSchool(await browse('en'));
    const teacher = await (await browse('en')).newPage();
    const frame = await openTool(teacher, school, school.lms.users.instructor.id);
    for (const topic of topics) await scheduleWeekly(frame, topic);
    await teacher.close();
  });
  afterAll(async () => {
    await profiles.close();
    await school?.close();
  });

  it.each(['en', 'es'] as const)(
    'the copy’s instructor sees the offer, brings last term’s series over and finds them on the course page (%s)',
    async (language) => {
      const words = LANGUAGES[language];
      const copy = school.lms.copyCourse(school.lms.course.id);
      const page = await (await browse(language)).newPage();
      const course = await openTool(page, school, school.lms.users.instructor.id, {
        courseId: copy.id,
        locale: words.locale,
      });
      await course.getByText(words.card, { exact: false }).waitFor();
      await check(course);
      await screenshot(course, `next-term-card-${language}`);

      await course.getByRole('link', { name: words.choose }).click();
      await course.getByRole('heading', { level: 1, name: words.heading }).waitFor();
      for (const topic of topics) await course.getByRole('checkbox', { name: topic }).waitFor();
      expect(await course.getByLabel(words.firstDate).count()).toBe(2);
      await check(course);
      await screenshot(course, `next-term-${language}`);

      await course.getByRole('button', { name: words.bring }).click();
      await course.getByText(words.done, { exact: false }).waitFor();
      await check(course);
      await screenshot(course, `next-term-done-${language}`);

      await course.getByRole('link', { name: words.back }).click();
      for (const topic of topics) await course.getByText(topic).first().waitFor();
      expect(await course.getByText(words.card, { exact: false }).count()).toBe(0);
      await page.close();
    },
  );
});
