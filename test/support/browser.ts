import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { chromium, type Browser, type BrowserContext, type Frame, type Page } from 'playwright-core';

/** Debian's Chromium, driven by playwright-core (which never downloads a browser). */
export function chromiumPath(): string {
  const candidates = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].filter(
    (candidate): candidate is string => Boolean(candidate),
  );
  const found = candidates.find((candidate) => fs.existsSync(candidate));
  if (!found) {
    throw new Error('Chromium is not installed: run `apt-get install -y chromium` (or set CHROMIUM_PATH).');
  }
  return found;
}

/**
 * Browser suites run wherever Chromium is installed, and always in CI (where a missing browser is a
 * failure). On a developer machine without it they are skipped, and say so.
 */
export function describeInBrowser(name: string, suite: () => void): void {
  const available = [process.env.CHROMIUM_PATH, '/usr/bin/chromium', '/usr/bin/chromium-browser'].some(
    (candidate) => candidate !== undefined && fs.existsSync(candidate),
  );
  if (available || process.env.CI) {
    describe(name, suite);
    return;
  }
  process.stderr.write(`${name}: SKIPPED, Chromium is not installed (apt-get install -y chromium)\n`);
  describe.skip(name, suite);
}

const CHROMIUM_ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

/** `extraArgs`: more Chromium switches, e.g. a feature a test must turn off. */
export function launchChromium(extraArgs: string[] = []): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [...CHROMIUM_ARGS, ...extraArgs],
  });
}

export interface ProfileOptions {
  /**
   * Chromium's own setting (Settings → Privacy and security → Third-party cookies), written into the
   * fresh profile: 'blocked' is what incognito windows do and what anyone may choose; 'allowed' lets
   * them through. (Playwright's `browser.newContext()` contexts are incognito: they block them.)
   */
  thirdPartyCookies: 'allowed' | 'blocked';
  javaScriptEnabled?: boolean;
  locale?: string;
  timezoneId?: string;
  viewport?: { width: number; height: number };
}

/** A browser with its own (fresh, temporary) profile, as one person's Chromium; close() deletes the profile. */
export async function launchChromiumProfile(options: ProfileOptions): Promise<BrowserContext> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'zoom-lti-chromium-'));
  fs.mkdirSync(path.join(dir, 'Default'));
  // cookie_controls_mode: 0 allow third-party cookies, 1 block them (2: block in incognito only).
  const blocked = options.thirdPartyCookies === 'blocked';
  fs.writeFileSync(
    path.join(dir, 'Default', 'Preferences'),
    JSON.stringify({
      profile: { cookie_controls_mode: blocked ? 1 : 0, block_third_party_cookies: blocked },
    }),
  );
  const context = await chromium.launchPersistentContext(dir, {
    executablePath: chromiumPath(),
    headless: true,
    args: CHROMIUM_ARGS,
    javaScriptEnabled: options.javaScriptEnabled ?? true,
    locale: options.locale,
    timezoneId: options.timezoneId,
    viewport: options.viewport,
  });
  // Deleted once Chromium has exited (it still writes its caches as it shuts down).
  const close = context.close.bind(context);
  context.close = async (closeOptions) => {
    await close(closeOptions);
    await fs.promises.rm(dir, { recursive: true, force: true, maxRetries: 5, retryDelay: 100 });
  };
  return context;
}

/**
 * Whether a cookie without `Partitioned` can be set inside `frame` (a frame of another site than the
 * top page): false when the browser blocks third-party cookies.
 */
export function thirdPartyCookiesWork(frame: Frame): Promise<boolean> {
  return frame.evaluate(() => {
    const doc = (globalThis as unknown as { document: { cookie: string } }).document;
    const name = `probe${Math.random().toString(36).slice(2)}`;
    doc.cookie = `${name}=1; SameSite=None; Secure; Path=/; Max-Age=5`;
    const stored = doc.cookie.includes(`${name}=1`);
    doc.cookie = `${name}=; SameSite=None; Secure; Path=/; Max-Age=0`;
    return stored;
  });
}

export type AxeImpact = 'minor' | 'moderate' | 'serious' | 'critical';

/**
 * axe-core's violations on a page or frame (an empty list is an accessible page by axe's rules), as
 * `rule: help`; `impacts` keeps only those of these impacts, and each then names where it is.
 */
export async function axeViolations(
  frame: Frame | Page,
  options: { impacts?: readonly AxeImpact[] } = {},
): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's strict CSP (rightly) refuses injected <script> tags.
  await frame.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const violations = await frame.evaluate(async () => {
    const axe = (
      globalThis as unknown as {
        axe: {
          run(): Promise<{
            violations: { id: string; help: string; impact: string | null; nodes: { target: unknown[] }[] }[];
          }>;
        };
      }
    ).axe;
    return (await axe.run()).violations.map((violation) => ({
      id: violation.id,
      help: violation.help,
      impact: violation.impact,
      targets: violation.nodes.map((node) => node.target.join(' ')),
    }));
  });
  if (!options.impacts) return violations.map((violation) => `${violation.id}: ${violation.help}`);
  const impacts: readonly (string | null)[] = options.impacts;
  return violations
    .filter((violation) => impacts.includes(violation.impact))
    .map(
      (violation) =>
        `${violation.id} (${violation.impact}): ${violation.help} at ${violation.targets.slice(0, 5).join(', ')}`,
    );
}

/**
 * Waits for a level-1 heading with `text` on a page; on timeout the error says where the page is and
 * what it shows instead (a browser flow that stopped elsewhere names where).
 */
export async function waitForHeading(page: Page, text: string, timeoutMs = 20_000): Promise<void> {
  try {
    await page.getByRole('heading', { level: 1 }).filter({ hasText: text }).waitFor({ timeout: timeoutMs });
  } catch (error) {
    const shown = await page
      .locator('body')
      .innerText({ timeout: 1_000 })
      .catch((reason: unknown) => `(no text: ${String(reason)})`);
    throw new Error(
      `No heading "${text}" within ${timeoutMs} ms; the page is at ${page.url()} and shows:\n${shown.slice(0, 800)}`,
      { cause: error },
    );
  }
}

/**
 * One browser profile per language (third-party cookies blocked, as Safari keeps them), opened on
 * first use; `close()` closes every one opened.
 */
export function profilesByLanguage<L extends string>(
  languages: Record<L, { locale: string; timezoneId: string }>,
): { browse: (language: L) => Promise<BrowserContext>; close: () => Promise<void> } {
  const contexts = new Map<L, Promise<BrowserContext>>();
  return {
    browse: (language) => {
      let context = contexts.get(language);
      if (!context) {
        context = launchChromiumProfile({
          thirdPartyCookies: 'blocked',
          locale: languages[language].locale,
          timezoneId: languages[language].timezoneId,
          viewport: { width: 1100, height: 800 },
        });
        contexts.set(language, context);
      }
      return context;
    },
    close: async () => {
      for (const context of contexts.values()) await (await context).close();
    },
  };
}

/** The tool's page on its own, full length, as seen when scrolling through it in the LMS: `<dir>/<name>.png`. */
export async function screenshotFrame(frame: Frame, dir: string, name: string): Promise<void> {
  fs.mkdirSync(dir, { recursive: true });
  const page = await frame.page().context().newPage();
  await page.goto(frame.url());
  await page.locator('main h1').first().waitFor();
  await page.screenshot({ path: path.join(dir, `${name}.png`), fullPage: true });
  await page.close();
}
