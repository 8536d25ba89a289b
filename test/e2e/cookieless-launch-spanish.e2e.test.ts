import type { Browser } from 'playwright-core';
import type { LmsEmulator } from '../../src/sandbox/lms';
import { describeInBrowser, launchChromium, waitForHeading } from '../support/browser';
import { startRegisteredLms } from '../support/lms';
import { startRoundRobinProxy, type RoundRobinProxy } from '../support/round-robin-proxy';
import { startToolServer, type ToolServer } from '../support/tool-server';

/**
 * A Spanish Moodle course in a browser that keeps no cookie of the tool: the offer of a new window
 * is in Spanish (the browser's language; the LMS sends none at login), and so is the course page.
 */
describeInBrowser('a Spanish launch in Chromium with every cookie of the tool dropped', () => {
  let browser: Browser;
  let tool: ToolServer;
  let proxy: RoundRobinProxy;
  let lms: LmsEmulator;

  beforeAll(async () => {
    proxy = await startRoundRobinProxy({ host: 'localhost', dropCookies: true });
    tool = await startToolServer({ host: 'localhost', env: { PUBLIC_URL: proxy.url } });
    proxy.setTargets([tool.url]);
    browser = await launchChromium();
    lms = await startRegisteredLms(tool.built.tenants, {
      profile: 'moodle',
      toolUrl: proxy.url,
      school: 'moodle cookieless spanish school',
    });
  });
  afterAll(async () => {
    await browser?.close();
    await lms?.stop();
    await tool?.close();
    await proxy?.close();
  });

  it('Moodle: the frame offers "Abrir en una ventana nueva", and that window reaches the course page in Spanish', async () => {
    const context = await browser.newContext({ locale: 'es-ES' });
    const page = await context.newPage();
    await page.goto(lms.coursePageUrl(lms.users.instructor.id, { locale: 'es' }));
    const frame = page.frameLocator('iframe');
    const open = frame.getByRole('link', { name: /Abrir en una ventana nueva/ });
    await open.waitFor({ timeout: 20_000 });
    await frame.getByRole('heading', { level: 1, name: 'Abre Zoom en una ventana nueva' }).waitFor();
    expect(await frame.locator('html').getAttribute('lang')).toBe('es');

    const [popup] = await Promise.all([context.waitForEvent('page'), open.click()]);
    await waitForHeading(popup, `Hola, ${lms.users.instructor.name}`);
    await context.close();
  }, 60_000);
});
