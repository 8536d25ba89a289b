import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Frame } from 'playwright-core';
import { axeViolations, describeInBrowser, launchChromiumProfile } from '../support/browser';
import { openScheduleForm, openTool, startSchool, type School } from './meetings.setup';

/**
 * The form's time zone in Chromium, for an instructor whose computer is set to India (Chromium
 * calls the zone by its old name, `Asia/Calcutta`): a new meeting starts in Asia/Kolkata, the search
 * shortens the list as they type and says how many zones match, in English and Spanish; an edit
 * keeps the meeting's own zone; axe-core finds nothing wrong with the form.
 */
const words = {
  en: {
    heading: 'Schedule a meeting',
    search: 'Find a zone',
    zone: 'Time zone',
    kolkata: 'UTC+05:30 · Kolkata, India · India Standard Time',
    one: '1 time zone matches',
    many: /^\d+ time zones match$/,
    none: 'No time zone matches; the chosen zone stays as it was.',
  },
  es: {
    heading: 'Programar una clase',
    search: 'Buscar una zona',
    zone: 'Zona horaria',
    kolkata: 'UTC+05:30 · Kolkata, India · hora estándar de la India',
    one: '1 zona horaria coincide',
    many: /^\d+ zonas horarias coinciden$/,
    none: 'Ninguna zona horaria coincide; la zona elegida no cambia.',
  },
} as const;

const shot = (name: string) => path.join(os.tmpdir(), `zoom-lti-zones-${name}.png`);

/** The list's options as the page has them now: [value, text]. */
function options(frame: Frame): Promise<string[][]> {
  return frame
    .locator('#f-timeZone option')
    .evaluateAll((list) => list.map((o) => [(o as unknown as { value: string }).value, o.textContent ?? '']));
}

describeInBrowser('the time zone of the meeting form, from India (Chromium)', () => {
  let school: School;
  let browser: BrowserContext;

  beforeAll(async () => {
    browser = await launchChromiumProfile({
      thirdPartyCookies: 'blocked',
      timezoneId: 'Asia/Kolkata',
      viewport: { width: 1000, height: 900 },
    });
    school = await startSchool(browser);
  });
  afterAll(async () => {
    await browser?.close();
    await school?.close();
  });

  const openForm = async (lang: 'en' | 'es'): Promise<Frame> => {
    const page = await browser.newPage();
    const frame = await openTool(page, school, school.lms.users.instructor.id, { locale: lang });
    await openScheduleForm(frame, words[lang].heading);
    return frame;
  };

  it.each(['en', 'es'] as const)(
    '%s: a new meeting starts in Asia/Kolkata; typing “kolk” leaves Kolkata, and the count is said',
    async (lang) => {
      const w = words[lang];
      const frame = await openForm(lang);
      expect(new URL(frame.url()).searchParams.get('tz')).toMatch(/^Asia\/(Calcutta|Kolkata)$/);
      const zone = frame.getByLabel(w.zone, { exact: true });
      expect(await zone.inputValue()).toBe('Asia/Kolkata');
      expect(await zone.locator('option:checked').textContent()).toBe(w.kolkata);

      const search = frame.getByLabel(w.search, { exact: true });
      await search.fill('kolk');
      await frame.getByRole('status').getByText(w.one, { exact: true }).waitFor();
      expect(await options(frame)).toEqual([['Asia/Kolkata', w.kolkata]]);
      expect(await zone.inputValue()).toBe('Asia/Kolkata');
      await frame.locator('section.meeting-form').screenshot({ path: shot(`kolk-${lang}`) });

      // By offset, with the typed sign: every zone at +05:30 and nothing else.
      await search.fill('+5:30');
      await frame.getByRole('status').getByText(w.many).waitFor();
      const plus530 = await options(frame);
      expect(plus530.length).toBeGreaterThan(1);
      expect(plus530.every(([, text]) => text?.startsWith('UTC+05:30'))).toBe(true);

      // Nothing matches: the chosen zone stays, and the page says so.
      await search.fill('zzzz');
      await frame.getByRole('status').getByText(w.none).waitFor();
      expect(await zone.inputValue()).toBe('Asia/Kolkata');

      // Escape gives the whole list back.
      await search.press('Escape');
      await frame.waitForFunction(
        () =>
          (
            globalThis as unknown as { document: { querySelectorAll(s: string): { length: number } } }
          ).document.querySelectorAll('#f-timeZone option').length > 400,
      );
      expect(await zone.inputValue()).toBe('Asia/Kolkata');
      expect(await axeViolations(frame)).toEqual([]);
      await frame.page().close();
    },
  );

  it('en: the search finds New York by its name; the meeting keeps that zone, and its edit page does not put India back', async () => {
    const frame = await openForm('en');
    const topic = 'Zoned in New York';
    await frame.getByLabel('Topic').fill(topic);
    await frame.getByLabel('Find a zone', { exact: true }).fill('eastern new york');
    await frame.getByRole('status').getByText('1 time zone matches', { exact: true }).waitFor();
    // Enter goes on to the list, and does not send the form.
    await frame.getByLabel('Find a zone', { exact: true }).press('Enter');
    expect(
      await frame.evaluate(
        () =>
          (globalThis as unknown as { document: { activeElement: { id: string } } }).document.activeElement
            .id,
      ),
    ).toBe('f-timeZone');
    expect(await frame.getByLabel('Time zone', { exact: true }).inputValue()).toBe('America/New_York');
    await frame.getByRole('button', { name: 'Schedule meeting' }).click();
    await frame.getByRole('link', { name: `Edit “${topic}”` }).click();
    await frame.getByRole('heading', { name: `Edit “${topic}”` }).waitFor();
    await frame.locator('.zone-search:not([hidden])').waitFor();
    expect(await frame.getByLabel('Time zone', { exact: true }).inputValue()).toBe('America/New_York');
    expect(school.zoom.meetings(school.account.account_id).find((m) => m.topic === topic)?.timezone).toBe(
      'America/New_York',
    );
    await frame.page().close();
  });
});
