import fs from 'node:fs';
import { chromium, type Browser, type Frame, type Page } from 'playwright-core';

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

export function launchChromium(): Promise<Browser> {
  return chromium.launch({
    executablePath: chromiumPath(),
    headless: true,
    args: [
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
    ],
  });
}

/** axe-core's violations on a page or frame (an empty list is an accessible page by axe's rules). */
export async function axeViolations(frame: Frame | Page): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's strict CSP (rightly) refuses injected <script> tags.
  await frame.evaluate(fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8'));
  const result = await frame.evaluate(async () => {
    const axe = (
      globalThis as unknown as { axe: { run(): Promise<{ violations: { id: string; help: string }[] }> } }
    ).axe;
    return (await axe.run()).violations.map((violation) => `${violation.id}: ${violation.help}`);
  });
  return result;
}
