/**
 * docs/screenshots/: every page of every role's first ten minutes (test/support/first-ten-minutes.ts),
 * in English and Spanish, 1280 and 360 px wide, full length, as `<role>-<page>-<lang>-<width>.png`,
 * and docs/screenshots/README.md listing them. Each language walks from its own `npm start` on an
 * empty DATA_DIR. axe-core runs on every page at each width; the script exits 1 on any violation
 * (of any impact), on a page wider than its window, or on any of the walk's acceptance observations
 * that does not hold.
 *
 *   npx tsx scripts/screenshots.ts            (Chromium: CHROMIUM_PATH or /usr/bin/chromium)
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Language } from '../src/shared/i18n';
import { launchChromium } from '../test/support/browser';
import { walkFirstTenMinutes, type Observations } from '../test/support/first-ten-minutes';
import {
  axeVisit,
  SCREENSHOT_WIDTHS,
  screenshotVisit,
  type Visit,
} from '../test/support/first-ten-minutes.capture';
import { overflowsSideways } from '../test/support/first-ten-minutes.frames';
import { startProduct } from '../test/support/first-ten-minutes.product';
import { ROOT } from '../test/support/process';

const OUT = path.join(ROOT, 'docs', 'screenshots');
const LANGUAGES: Language[] = ['en', 'es'];
const OUR_NAME = /^[a-z-]+-(en|es)-(1280|360)\.png$/;
const OPERATOR_PASSWORD = 'screenshots of the operator console';

interface Shot {
  role: string;
  name: string;
  what: string;
  files: string[];
}

function say(line: string): void {
  process.stdout.write(`${line}\n`);
}

/** What the walk saw that the acceptance does not allow, in words. */
function failedObservations(language: Language, seen: Observations): string[] {
  const failed: string[] = [];
  const emails = seen.typed.filter((field) => field.value.includes('@'));
  if (emails.length) failed.push(`an email was typed: ${emails.map((field) => field.field).join(', ')}`);
  if (seen.consentAskedForEmail) failed.push('the consent page asked for the Zoom admin’s email');
  if (!seen.passcodeLeftEmpty || seen.typed.some((field) => /passcode/i.test(field.field))) {
    failed.push('a passcode was typed');
  }
  if (!seen.frameRefreshedAfterConsent) failed.push('the Zoom page did not refresh itself after consent');
  if (!seen.startOpenedNewTab) failed.push('Start opened no new tab');
  if (!seen.startReachedZoom) failed.push('Start did not reach Zoom');
  if (!seen.coursePageKeptAfterStart) failed.push('the course page was not kept after Start');
  if (!seen.placedLinkOpenedMeeting) failed.push('the placed link did not open its meeting');
  failed.push(...seen.detours);
  return failed.map((line) => `${language}: ${line}`);
}

async function main(): Promise<void> {
  fs.mkdirSync(OUT, { recursive: true });
  for (const file of fs.readdirSync(OUT)) if (OUR_NAME.test(file)) fs.rmSync(path.join(OUT, file));
  const shots = new Map<string, Shot>();
  const problems: string[] = [];
  const overflows: string[] = [];
  const browser = await launchChromium();
  try {
    for (const language of LANGUAGES) {
      const started = Date.now();
      const product = await startProduct();
      try {
        say(`${language}: npm start answered at ${product.url}`);
        const seen = await walkFirstTenMinutes(browser, product, {
          language,
          operatorPassword: product.setOperatorPassword(OPERATOR_PASSWORD).then(() => OPERATOR_PASSWORD),
          look: async (visit: Visit) => {
            const key = `${visit.role}-${visit.name}`;
            const shot = shots.get(key) ?? {
              role: visit.role,
              name: visit.name,
              what: visit.what,
              files: [],
            };
            shots.set(key, shot);
            for (const width of SCREENSHOT_WIDTHS) {
              const file = `${key}-${language}-${width}.png`;
              await screenshotVisit(visit, width, path.join(OUT, file));
              shot.files.push(file);
              await visit.page.setViewportSize({ width, height: 800 });
              problems.push(...(await axeVisit(visit)).map((line) => `${language} ${width}px ${line}`));
              for (const doc of visit.frame ? [visit.page, visit.frame] : [visit.page]) {
                if (await overflowsSideways(doc)) overflows.push(`${file}: ${doc.url().split('?')[0]}`);
              }
            }
            await visit.page.setViewportSize({ width: 1280, height: 800 });
            say(`  ${key} (${((Date.now() - started) / 1000).toFixed(0)} s)`);
          },
        });
        problems.push(...failedObservations(language, seen));
      } finally {
        await product.stop();
      }
    }
  } finally {
    await browser.close();
  }
  fs.writeFileSync(path.join(OUT, 'README.md'), index([...shots.values()]));
  const bytes = fs
    .readdirSync(OUT)
    .filter((file) => OUR_NAME.test(file))
    .reduce((sum, file) => sum + fs.statSync(path.join(OUT, file)).size, 0);
  say(`${shots.size} pages, ${(bytes / 1e6).toFixed(1)} MB of PNG in docs/screenshots/`);
  // A page wider than a phone's window makes its reader scroll sideways: fix it before publishing.
  if (overflows.length) problems.push(...overflows.map((file) => `wider than the window: ${file}`));
  if (problems.length) {
    say(`Failed:\n  ${problems.join('\n  ')}`);
    process.exitCode = 1;
  }
}

function index(shots: Shot[]): string {
  const rows = shots.map((shot) => {
    const links = shot.files.map((file) => `[${file.replace(/^.*-(en|es)-(\d+)\.png$/, '$1 $2')}](${file})`);
    return `| ${shot.role} | ${shot.name} | ${shot.what} | ${links.join(' · ')} |`;
  });
  return [
    '# Screenshots: every role’s first ten minutes',
    '',
    'Every page of the walk in `test/support/first-ten-minutes.ts` (the sandbox that `npm start` opens,',
    'from an empty `DATA_DIR`), in English and Spanish, 1280 and 360 px wide, full length. An LMS page',
    'is shown with the tool’s frame as tall as the tool’s page. axe-core found no violation on any of',
    'them. Made by `npx tsx scripts/screenshots.ts` (which fails on any axe-core violation).',
    '',
    '| Role | Page | What it shows | Pictures |',
    '| --- | --- | --- | --- |',
    ...rows,
    '',
    '`instructor.png`, `instructor-es.png`, `student.png` and `deep-linking.png` are the README’s',
    'pictures of the course pages, made by `test/e2e/meetings.a11y.e2e.test.ts`.',
    '',
  ].join('\n');
}

main().catch((error: unknown) => {
  process.stderr.write(`${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
  process.exitCode = 1;
});
