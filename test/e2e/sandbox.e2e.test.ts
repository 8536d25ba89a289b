import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { axeViolations, describeInBrowser, launchChromium } from '../support/browser';
import { freePort, ROOT } from '../support/process';
import type { ToolServer } from '../support/tool-server';
import { scheduleWeekly, settledToolFrame } from './meetings.setup';

/**
 * The sandbox's acceptance: from an empty data directory, the real `npm start` (a child process)
 * prints the sandbox's URL; in Chromium, its home page leads an administrator to connect Zoom
 * through the simulator's consent page, an instructor to be provisioned and schedule a meeting, and
 * a student to a Join link that points at the simulated Zoom. All within 60 s of the spawn.
 */
describeInBrowser('the sandbox that npm start opens', () => {
  let child: ChildProcess | undefined;
  let browser: Browser | undefined;
  let dataDir: string;
  let output = '';

  afterAll(async () => {
    await browser?.close();
    if (child && child.exitCode === null) {
      const exited = new Promise((resolve) => child?.once('exit', resolve));
      process.kill(-(child.pid as number), 'SIGTERM'); // npm and the server it started (their own group)
      await exited;
    }
    if (dataDir) fs.rmSync(dataDir, { recursive: true, force: true });
  });

  /** The LMS course page as one person, from the sandbox home's link in that school's section. */
  async function openAs(page: Page, home: string, who: 'administrator' | 'instructor' | 'student') {
    await page.goto(home);
    const school = page.getByRole('region', { name: 'Sandbox Moodle school' });
    await school.getByRole('link', { name: `Open the course as ${who}` }).click();
  }

  it('administrator connects Zoom, instructor is provisioned and schedules, student’s Join points at the simulator', async () => {
    const spawnedAt = Date.now();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'sandbox-e2e-'));
    const port = await freePort();
    const toolUrl = `http://localhost:${port}`;
    child = spawn('npm', ['start'], {
      cwd: ROOT,
      detached: true,
      env: {
        PATH: process.env.PATH,
        HOME: process.env.HOME,
        DATA_DIR: dataDir,
        PORT: String(port),
        PUBLIC_URL: toolUrl,
        LOG_LEVEL: 'warn',
      },
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child.stdout?.on('data', (chunk) => (output += String(chunk)));
    child.stderr?.on('data', (chunk) => (output += String(chunk)));
    const printed = await new Promise<string>((resolve, reject) => {
      const timer = setInterval(() => {
        const match = /Sandbox: (\S+)/.exec(output);
        if (match?.[1]) {
          clearInterval(timer);
          resolve(match[1]);
        } else if (child?.exitCode !== null) {
          clearInterval(timer);
          reject(new Error(`npm start exited:\n${output}`));
        }
      }, 100);
    });
    expect(printed).toBe(`${toolUrl}/`);
    const tool = { url: toolUrl } as ToolServer;

    browser = await launchChromium();
    const context = await browser.newContext({ timezoneId: 'America/New_York' });
    const page = await context.newPage();
    await page.goto(printed);
    await page.getByRole('heading', { name: 'Sandbox: try the tool as a school would' }).waitFor();
    expect(await page.getByText('SANDBOX', { exact: true }).first().isVisible()).toBe(true);
    expect(await axeViolations(page)).toEqual([]);
    await page.screenshot({ path: '/tmp/sandbox-home.png', fullPage: true });
    const zoomAdmin = String(await page.locator('[data-zoom-admin="moodle"]').textContent());
    const zoomUrl = String(
      /The simulated Zoom: (http:\/\/\S+) \(API/.exec(await page.locator('main').innerText())?.[1],
    );
    expect(zoomUrl).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    // 1. The administrator connects the school's Zoom: the consent page is the simulator's, in a new window.
    await openAs(page, printed, 'administrator');
    const admin = page.frameLocator('iframe');
    await admin.getByRole('link', { name: 'Manage the Zoom connection' }).click();
    const [consent] = await Promise.all([
      context.waitForEvent('page'),
      admin.getByRole('button', { name: 'Connect Zoom' }).click(),
    ]);
    await consent.getByRole('heading', { name: 'Authorize app' }).waitFor();
    expect(new URL(consent.url()).origin).toBe(zoomUrl);
    await consent.getByLabel('Email of a Zoom account owner or admin').fill(zoomAdmin);
    await consent.getByRole('button', { name: 'Authorize' }).click();
    await consent.getByRole('heading', { name: 'Zoom is connected' }).waitFor();
    await consent.close();

    // 2. The instructor is provisioned: the course page, labelled SANDBOX, shows the scheduler.
    await openAs(page, printed, 'instructor');
    let frame = await settledToolFrame(page, tool);
    await frame.getByRole('heading', { name: 'Schedule a meeting' }).waitFor();
    expect(await frame.getByText('SANDBOX', { exact: true }).isVisible()).toBe(true);
    await page.screenshot({ path: '/tmp/sandbox-course.png', fullPage: true });

    // 3. They schedule a meeting.
    const topic = 'Sandbox office hours';
    await scheduleWeekly(frame, topic);

    // 4. A student sees it, and Join goes through the tool to their own link at the simulated Zoom.
    await openAs(page, printed, 'student');
    frame = await settledToolFrame(page, tool);
    const join = frame.getByRole('link', { name: `Join “${topic}” in Zoom (opens in a new window)` });
    expect(String(await join.getAttribute('href'))).toMatch(/\/lti\/meetings\/[0-9a-f-]{36}\/join\?ltik=/);
    const [zoomWindow] = await Promise.all([page.context().waitForEvent('page'), join.click()]);
    await zoomWindow.waitForURL((url) => url.toString().startsWith(`${zoomUrl}/w/`));
    await zoomWindow.close();
    expect(Date.now() - spawnedAt).toBeLessThan(60_000);

    // The home page now shows what Zoom saw.
    await page.goto(printed);
    const school = page.getByRole('region', { name: 'Sandbox Moodle school' });
    await school.getByText('Connected', { exact: true }).waitFor();
    await school.getByText(topic, { exact: false }).waitFor();
    await page.screenshot({ path: '/tmp/sandbox-home-after.png', fullPage: true });
  }, 120_000);
});
