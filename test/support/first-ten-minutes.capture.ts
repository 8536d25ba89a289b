import fs from 'node:fs';
import path from 'node:path';
import type { Frame, Page } from 'playwright-core';

/** Who looks at a page of the walk (the first part of its screenshot's name). */
export type Role = 'newcomer' | 'lms-admin' | 'zoom-admin' | 'instructor' | 'student' | 'operator';

/** One page of the walk, as its person sees it. */
export interface Visit {
  role: Role;
  /** Short kebab-case name of the page, unique for its role. */
  name: string;
  /** One line of what it shows (for docs/screenshots/README.md). */
  what: string;
  page: Page;
  /** The tool's frame, when the page is an LMS page framing the tool. */
  frame?: Frame;
}

/** What the walk does at each page: check it, photograph it. */
export type Look = (visit: Visit) => Promise<void>;

/** The walk's window, and the widths its pages are photographed at. */
export const WALK_VIEWPORT = { width: 1280, height: 800 };
export const SCREENSHOT_WIDTHS = [1280, 360] as const;

const AXE_SOURCE = fs.readFileSync(require.resolve('axe-core/axe.min.js'), 'utf8');

interface AxeResult {
  violations: { id: string; help: string; impact: string | null; nodes: { target: unknown[] }[] }[];
}

/** axe-core's violations of any impact in one document (its frames apart), each as `rule (impact): help at where`. */
export async function axeDocument(frame: Frame): Promise<string[]> {
  // Evaluated through the DevTools protocol: the page's strict CSP (rightly) refuses injected <script> tags.
  await frame.evaluate(AXE_SOURCE);
  const violations = await frame.evaluate(async () => {
    const axe = (globalThis as unknown as { axe: { run(options: object): Promise<AxeResult> } }).axe;
    const result = await axe.run({ iframes: false });
    return result.violations.map((v) => ({
      id: v.id,
      help: v.help,
      impact: v.impact,
      targets: v.nodes.map((node) => node.target.join(' ')),
    }));
  });
  return violations.map(
    (v) => `${v.id} (${v.impact ?? 'no impact'}): ${v.help} at ${v.targets.slice(0, 5).join(', ')}`,
  );
}

/** axe-core on every document a visit shows: the page, and the tool's frame in it. Each line names the page. */
export async function axeVisit(visit: Visit): Promise<string[]> {
  const label = `${visit.role}-${visit.name}`;
  const found = (await axeDocument(visit.page.mainFrame())).map((v) => `${label} (page): ${v}`);
  if (visit.frame) found.push(...(await axeDocument(visit.frame)).map((v) => `${label} (tool frame): ${v}`));
  return found;
}

/**
 * A full-length screenshot of a visit at `width`: the LMS page with the tool's frame as tall as the
 * tool's page (as someone scrolling through it sees all of it). The window and frame are put back.
 */
export async function screenshotVisit(visit: Visit, width: number, file: string): Promise<void> {
  const { page, frame } = visit;
  await page.setViewportSize({ width, height: WALK_VIEWPORT.height });
  const element = frame ? await frame.frameElement() : undefined;
  try {
    if (frame && element) {
      await page.waitForTimeout(100); // the tool's page reflows to the frame's new width
      const height = await frame.evaluate(
        () =>
          (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document
            .documentElement.scrollHeight,
      );
      await element.evaluate((iframe, px) => {
        const style = (iframe as unknown as { style: Record<string, string> }).style;
        style.height = `${px}px`;
        style.minHeight = '0';
      }, height + 2);
    }
    // A window as tall as the page: Chromium paints a frame of another site only where the window is.
    const pageHeight = await page.evaluate(
      () =>
        (globalThis as unknown as { document: { documentElement: { scrollHeight: number } } }).document
          .documentElement.scrollHeight,
    );
    await page.setViewportSize({ width, height: Math.max(WALK_VIEWPORT.height, pageHeight) });
    await page.waitForTimeout(150);
    fs.mkdirSync(path.dirname(file), { recursive: true });
    await page.screenshot({ path: file, fullPage: true });
  } finally {
    await element?.evaluate((iframe) => {
      const style = (iframe as unknown as { style: Record<string, string> }).style;
      style.height = '';
      style.minHeight = '';
    });
    await page.setViewportSize(WALK_VIEWPORT);
  }
}
