import { eq } from 'drizzle-orm';
import type { Browser, Frame, Page } from 'playwright-core';
import type { LmsEmulator } from '../../src/sandbox/lms';
import { tables } from '../../src/storage';
import { axeViolations, describeInBrowser } from '../support/browser';
import type { ToolServer } from '../support/tool-server';
import { startBrowserZoomSchool, type BrowserZoomSchool } from '../support/zoom-school';

/** Where a run leaves its screenshots to look at (not kept in the repository). */
const SHOTS = process.env.SCREENSHOT_DIR;

/**
 * The school admin's Zoom users, in the LMS frame: the table fits its box at 1280 px and scrolls
 * sideways inside its own (focusable) box at 360 px; its times are in the browser's zone.
 */
describeInBrowser('the Zoom users table in Chromium', () => {
  let school: BrowserZoomSchool;
  let browser: Browser;
  let tool: ToolServer;
  let lms: LmsEmulator;

  beforeAll(async () => {
    school = await startBrowserZoomSchool();
    ({ browser, tool, lms } = school);
    // The school exists once someone launched; then its people, with long names and emails.
    const page = await browser.newPage();
    await page.goto(lms.coursePageUrl(lms.users.admin.id));
    await page.frameLocator('iframe').getByText('Zoom is not connected yet').waitFor({ timeout: 20_000 });
    await page.close();
    const { db } = tool.database;
    const [row] = await db.select().from(tables.schools).where(eq(tables.schools.name, 'Browser school'));
    const person = (n: number, values: Partial<typeof tables.zoomUsers.$inferInsert>) => ({
      schoolId: row!.id,
      lmsIssuer: 'https://moodle.example',
      lmsUserId: `user-${n}`,
      name: `Maximiliana Fernández-Oyarzábal de la Concepción ${n}`,
      email: `maximiliana.fernandez-oyarzabal.de.la.concepcion.${n}@departamento-de-ingenieria.universidad.example`,
      lastCheckedAt: new Date('2026-12-07T06:30:00Z'),
      ...values,
    });
    await db
      .insert(tables.zoomUsers)
      .values([
        person(1, { status: 'active', licenceType: 2 }),
        person(2, { status: 'failed', lastOutcome: 'email_taken' }),
        person(3, { status: 'pending', licenceType: 1, lastCheckedAt: null }),
      ]);
  }, 60_000);
  afterAll(() => school?.close());

  const WORDS = {
    en: { manage: 'Manage the Zoom connection', people: "Zoom users of your school's instructors" },
    es: {
      manage: 'Gestionar la conexión con Zoom',
      people: 'Usuarios de Zoom de los profesores de tu institución',
    },
  };

  async function peopleFrame(
    width: number,
    locale: 'en' | 'es' = 'en',
  ): Promise<{ page: Page; frame: Frame }> {
    const context = await browser.newContext({
      viewport: { width, height: 900 },
      timezoneId: 'America/Mexico_City',
    });
    const page = await context.newPage();
    await page.goto(lms.coursePageUrl(lms.users.admin.id, { locale }));
    const frameLocator = page.frameLocator('iframe');
    await frameLocator.getByRole('link', { name: WORDS[locale].manage }).click({ timeout: 20_000 });
    await frameLocator.getByRole('link', { name: WORDS[locale].people }).click();
    // The page asks again with the browser's zone.
    await frameLocator.locator('td.when time').first().waitFor();
    const frame = page.frames().find((f) => new URL(f.url()).searchParams.get('tz') !== null);
    expect(frame).toBeDefined();
    return { page, frame: frame! };
  }

  /** How wide the table's box, the table and the page inside the frame are. */
  const widths = (frame: Frame) =>
    frame.evaluate(() => {
      const doc = (globalThis as unknown as { document: { querySelector(s: string): Measured | null } })
        .document;
      interface Measured {
        scrollWidth: number;
        clientWidth: number;
      }
      const box = doc.querySelector('.table-scroll')!;
      const page = doc.querySelector('html')!;
      return {
        box: { scroll: box.scrollWidth, client: box.clientWidth },
        page: { scroll: page.scrollWidth, client: page.clientWidth },
      };
    });

  it('at 1280 px the table fits its box in the LMS frame, with times in the browser’s zone', async () => {
    const { page, frame } = await peopleFrame(1280);
    const measured = await widths(frame);
    expect(measured.box.scroll).toBeLessThanOrEqual(measured.box.client);
    expect(measured.page.scroll).toBeLessThanOrEqual(measured.page.client);
    expect(new URL(frame.url()).searchParams.get('tz')).toBe('America/Mexico_City');
    // 06:30 UTC is 00:30 in Mexico City (CST).
    const times = await frame.locator('td.when').allInnerTexts();
    expect(times).toEqual(['Dec 7, 2026, 12:30 AM CST', 'Dec 7, 2026, 12:30 AM CST', 'never']);
    expect(await frame.locator('td.when time').first().getAttribute('datetime')).toBe(
      '2026-12-07T06:30:00.000Z',
    );
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/zoom-people-1280.png`, fullPage: true });
    expect(await axeViolations(frame)).toEqual([]);
    await page.context().close();
  }, 60_000);

  it('at 360 px, in Spanish, the table scrolls sideways in its own labelled, focusable box, not the page', async () => {
    const { page, frame } = await peopleFrame(360, 'es');
    const measured = await widths(frame);
    expect(measured.box.scroll).toBeGreaterThan(measured.box.client);
    expect(measured.page.scroll).toBeLessThanOrEqual(measured.page.client);
    expect(await frame.locator('td.when').allInnerTexts()).toEqual([
      '7 dic 2026, 0:30 GMT-6',
      '7 dic 2026, 0:30 GMT-6',
      'nunca',
    ]);
    const region = frame.getByRole('region', {
      name: 'Usuarios de Zoom de los profesores de la institución',
    });
    expect(await region.getAttribute('tabindex')).toBe('0');
    await region.focus();
    await page.keyboard.press('ArrowRight');
    await page.keyboard.press('ArrowRight');
    expect(
      await region.evaluate((el) => (el as unknown as { scrollLeft: number }).scrollLeft),
    ).toBeGreaterThan(0);
    if (SHOTS) await page.screenshot({ path: `${SHOTS}/zoom-people-360-es.png`, fullPage: true });
    expect(await axeViolations(frame)).toEqual([]);
    await page.context().close();
  }, 60_000);
});
