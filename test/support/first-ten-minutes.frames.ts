import type { Frame, Page } from 'playwright-core';

/** The little of the DOM the in-page checks read (the project compiles without the DOM library). */
interface InPage {
  document: {
    readyState: string;
    querySelector(selector: string): unknown;
    documentElement: { scrollWidth: number; clientWidth: number };
  };
  location: { search: string };
}

/**
 * The tool's frame in an LMS page, once it shows a tool page (`/lti/…` past the launch, `path` when
 * given) that has loaded its heading; a page of the tool that reloads itself with the viewer's time
 * zone (meetings.js) is waited for again after that reload.
 */
export async function toolFrame(
  page: Page,
  toolUrl: string,
  path = '/lti/',
  timeoutMs = 20_000,
): Promise<Frame> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const frame = page
      .frames()
      .find(
        (candidate) =>
          candidate !== page.mainFrame() &&
          candidate.url().startsWith(`${toolUrl}${path}`) &&
          !candidate.url().startsWith(`${toolUrl}/lti/launch`) &&
          !candidate.url().startsWith(`${toolUrl}/lti/login`),
      );
    if (frame && (await settled(frame))) return frame;
    if (Date.now() > deadline) {
      const shown = await Promise.all(
        page.frames().map(async (f) => `${f.url()}: ${(await textOf(f)).slice(0, 400)}`),
      );
      throw new Error(
        `No tool page at ${toolUrl}${path} in the LMS page within ${timeoutMs} ms:\n${shown.join('\n')}`,
      );
    }
    await page.waitForTimeout(100);
  }
}

async function settled(frame: Frame): Promise<boolean> {
  return frame
    .evaluate(() => {
      const { document, location } = globalThis as unknown as InPage;
      if (document.readyState !== 'complete' || !document.querySelector('main h1')) return false;
      const reloadsWithZone =
        document.querySelector('script[src*="meetings.js"]') && !/[?&]tz=/.test(location.search);
      return !reloadsWithZone;
    })
    .catch(() => false); // navigating
}

/** The visible text of a frame or page (empty while it navigates). */
export function textOf(frame: Frame | Page): Promise<string> {
  return frame
    .locator('body')
    .innerText({ timeout: 2_000 })
    .catch(() => '');
}

/** Until `condition` holds (polled every 200 ms) or `timeoutMs` passed: whether it held. */
export async function eventually(condition: () => Promise<boolean>, timeoutMs: number): Promise<boolean> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await condition().catch(() => false)) return true;
    if (Date.now() > deadline) return false;
    await new Promise((resolve) => setTimeout(resolve, 200));
  }
}

/** Whether a document is wider than its window (something overflows sideways). */
export function overflowsSideways(frame: Frame | Page): Promise<boolean> {
  return frame.evaluate(() => {
    const { documentElement } = (globalThis as unknown as InPage).document;
    return documentElement.scrollWidth > documentElement.clientWidth + 1;
  });
}
