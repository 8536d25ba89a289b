import { DateTime } from 'luxon';
import type { Browser, BrowserContext, Frame, Locator, Page } from 'playwright-core';
import { translatorFor, type Language } from '../../src/shared/i18n';
import { WALK_VIEWPORT, type Look, type Role } from './first-ten-minutes.capture';
import { eventually, textOf, toolFrame } from './first-ten-minutes.frames';
import type { Product } from './first-ten-minutes.product';

/**
 * Every role's first ten minutes in the sandbox that `npm start` opens, as people click through it
 * in one Chromium: the LMS admin connects Zoom from the course (consent in a popup), the Zoom admin
 * checks who got a Zoom user and how, the instructor schedules a meeting with the optional fields
 * left empty, starts it and places it with the content picker, the student opens the course and the
 * placed link, and the operator signs into the console. `look` is called on every page.
 *
 * What the acceptance asks is recorded as it happens (`Observations`), and the walk goes on
 * past a missing behaviour where a person could (reloading a frame that did not refresh itself), so
 * that one run names every behaviour that is missing.
 */
export interface Observations {
  /** Every value typed anywhere, by field. */
  typed: { field: string; value: string }[];
  /** The consent page's email field was empty: the admin had to type an email the sandbox knows. */
  consentAskedForEmail: boolean;
  /** After consent in the popup, the LMS frame showed "connected" without anyone reloading it. */
  frameRefreshedAfterConsent: boolean;
  /** The schedule form's passcode field was empty when sent. */
  passcodeLeftEmpty: boolean;
  /** Start opened Zoom in a new tab (or window)… */
  startOpenedNewTab: boolean;
  /** …at the simulated Zoom… */
  startReachedZoom: boolean;
  /** …and the LMS page with the tool's course page was still there. */
  coursePageKeptAfterStart: boolean;
  /** The link placed with the content picker, opened by the student, showed that meeting with Join. */
  placedLinkOpenedMeeting: boolean;
  /** Steps that could not be done as a person would (the walk took another way). */
  detours: string[];
}

export interface WalkOptions {
  language: Language;
  look: Look;
  /** The operator's console password (set through the CLI before the walk reaches the console). */
  operatorPassword: Promise<string>;
}

const ZONES: Record<Language, { locale: string; timezoneId: string }> = {
  en: { locale: 'en-US', timezoneId: 'America/New_York' },
  es: { locale: 'es-ES', timezoneId: 'Europe/Madrid' },
};

/** How each person is named in the sandbox home's links (English and Spanish). */
const WHO: Record<'administrator' | 'instructor' | 'student', RegExp> = {
  administrator: /administra/i,
  instructor: /instructor|profesor|docente/i,
  student: /student|estudiante|alumn/i,
};

/** The instructor's two meetings: a single one (optional fields left empty) and a weekly lab. */
export const TOPICS: Record<Language, [string, string]> = {
  en: ['Biology 101: office hours', 'Biology 101: weekly lab'],
  es: ['Biología 101: tutoría', 'Biología 101: laboratorio semanal'],
};

export async function walkFirstTenMinutes(
  browser: Browser,
  product: Product,
  options: WalkOptions,
): Promise<Observations> {
  const { language, look } = options;
  const { t } = translatorFor(language);
  const plain = (key: string, values?: Record<string, unknown>) => t(key, values).replace(/<[^>]+>/g, '');
  const seen: Observations = {
    typed: [],
    consentAskedForEmail: false,
    frameRefreshedAfterConsent: false,
    passcodeLeftEmpty: false,
    startOpenedNewTab: false,
    startReachedZoom: false,
    coursePageKeptAfterStart: false,
    placedLinkOpenedMeeting: false,
    detours: [],
  };
  const type = async (field: string, locator: Locator, value: string) => {
    seen.typed.push({ field, value });
    await locator.fill(value);
  };
  const context: BrowserContext = await browser.newContext({ ...ZONES[language], viewport: WALK_VIEWPORT });
  const page = await context.newPage();
  let home = `${product.url}/`;
  /** A step that is not the acceptance: when it fails, the walk says so and goes on. */
  const soft = async (what: string, step: () => Promise<void>) => {
    try {
      await step();
    } catch (error) {
      seen.detours.push(`${what}: ${String(error).split('\n')[0]}`);
    }
  };
  const visit = (role: Role, name: string, what: string, frame?: Frame) =>
    look({ role, name, what, page, frame });
  const tool = (path?: string, timeoutMs?: number) => toolFrame(page, product.url, path, timeoutMs);

  try {
    // The newcomer opens what npm start printed (in Spanish: and its link to the Spanish page).
    await page.goto(home);
    if (language === 'es') {
      await soft('the sandbox home in Spanish', async () => {
        // A Spanish browser gets it in Spanish; otherwise its link to the Spanish page.
        if ((await page.locator('html').getAttribute('lang')) !== 'es') {
          await page.locator('a[href*="lang=es"]').first().click({ timeout: 5_000 });
          await page.waitForLoadState('load');
          home = page.url();
        }
      });
    }
    const school = page.locator('section[data-school="moodle"]');
    await school.waitFor();
    await visit(
      'newcomer',
      'sandbox-home',
      'The sandbox home that npm start prints: a guided path and each school’s links',
    );
    const zoomAdminEmail = (await school.locator('[data-zoom-admin]').first().textContent())?.trim() ?? '';

    /** The Moodle school's course page as `who`, from the sandbox home, in the walk's language. */
    const openCourse = async (who: keyof typeof WHO) => {
      await page.goto(home);
      const links = await school.locator('a[href*="/course/"]').all();
      const candidates: { href: string; text: string }[] = [];
      for (const link of links) {
        candidates.push({
          href: String(await link.getAttribute('href')),
          text: `${await link.innerText()} ${(await link.getAttribute('aria-label')) ?? ''} ${await link
            .locator('xpath=..')
            .innerText()}`,
        });
      }
      const inLanguage = (href: string) =>
        language === 'es' ? /[?&]locale=es/.test(href) : !/[?&]locale=es/.test(href);
      const index = candidates.findIndex((c) => WHO[who].test(c.text) && inLanguage(c.href));
      if (index >= 0) {
        await (links[index] as Locator).click();
      } else {
        const english = candidates.find((c) => WHO[who].test(c.text));
        if (!english) throw new Error(`The sandbox home has no link to the course as ${who}`);
        seen.detours.push(`the sandbox home has no ${language} link to the course as ${who}`);
        await page.goto(new URL(`${english.href}&locale=${language}`, home).toString());
      }
      return tool();
    };

    // 1. The LMS admin opens the course and connects the school's Zoom.
    let frame = await openCourse('administrator');
    await visit('lms-admin', 'course', 'The course page as LMS administrator, Zoom not connected yet', frame);
    await frame.getByRole('link', { name: t('zoom.manage') }).click();
    frame = await tool('/lti/zoom');
    await visit(
      'lms-admin',
      'zoom-connection',
      'The Zoom connection page before connecting: Connect Zoom first',
      frame,
    );
    const [consent] = await Promise.all([
      context.waitForEvent('page'),
      frame.getByRole('button', { name: t('admin.connection.connect'), exact: true }).click(),
    ]);
    await consent.getByRole('heading', { level: 1 }).first().waitFor();
    await look({
      role: 'zoom-admin',
      name: 'consent',
      what: 'Zoom’s consent page (the simulator’s), in a popup, the school’s admin already named',
      page: consent,
    });
    // As a browser signed in to Zoom: the school's Zoom admin is offered; else the email is asked.
    const signedIn = consent.getByRole('button', { name: `Continue as ${zoomAdminEmail}`, exact: true });
    if ((await signedIn.count()) === 1) {
      await signedIn.click();
    } else {
      seen.consentAskedForEmail = true;
      await type('Zoom admin email (consent)', consent.locator('input[type="email"]'), zoomAdminEmail);
      await consent.getByRole('button', { name: 'Authorize', exact: true }).click();
    }
    // The popup says so, or closes itself once the course's frame has heard.
    await consent
      .getByRole('heading', { name: t('admin.connection.connectedTitle') })
      .waitFor()
      .catch((error: unknown) => {
        if (!consent.isClosed()) throw error;
      });
    const connectedText = plain('admin.connection.connectedOauth', { account: '' }).split('  ')[0] ?? '';
    const shows = (f: Frame) => textOf(f).then((text) => text.includes(connectedText.trim().slice(0, 24)));
    seen.frameRefreshedAfterConsent = await eventually(
      async () => shows(await tool('/lti/zoom', 1_000)),
      10_000,
    );
    if (!consent.isClosed()) await consent.close();
    if (!seen.frameRefreshedAfterConsent) {
      seen.detours.push('the Zoom page did not refresh itself after consent: reopened it');
      frame = await openCourse('administrator');
      await frame.getByRole('link', { name: t('zoom.manage') }).click();
    }
    frame = await tool('/lti/zoom');
    await visit(
      'lms-admin',
      'zoom-connected',
      'The Zoom connection page once connected (refreshed by itself)',
      frame,
    );

    // Not in everyone's first ten minutes, but pages an LMS admin meets: the self-check, Disconnect's question.
    await soft('the self-check', async () => {
      await frame.getByRole('button', { name: t('admin.selfCheck.run'), exact: true }).click();
      frame = await tool('/lti/zoom');
      await frame.getByRole('heading', { name: t('admin.selfCheck.resultsHeading') }).waitFor();
      await visit('lms-admin', 'self-check', 'The self-check’s results, each with what to do', frame);
    });
    await soft('the disconnect confirmation', async () => {
      await frame.getByRole('link', { name: t('admin.connection.disconnect'), exact: true }).click();
      frame = await tool('/lti/zoom/disconnect');
      await visit(
        'lms-admin',
        'disconnect-confirm',
        'Disconnect asks first, naming the school and what stops working',
        frame,
      );
      await frame.getByRole('link', { name: t('admin.connection.disconnectConfirm.cancel') }).click();
      frame = await tool('/lti/zoom');
    });

    // 2. The instructor's first launch: a Zoom user in the school's account, and the course page.
    frame = await openCourse('instructor');
    await visit('instructor', 'course-first', 'The instructor’s first course page: no meeting yet', frame);
    const [topic, lab] = TOPICS[language];
    const viewerZone = ZONES[language].timezoneId;
    const day = (days: number) => String(DateTime.now().setZone(viewerZone).plus({ days }).toISODate());
    /** The schedule form, opened from its button when the course lists meetings first. */
    const openForm = async () => {
      const opener = frame.getByRole('button', { name: t('course.schedule'), exact: true });
      if (await opener.isVisible().catch(() => false)) await opener.click();
      await frame.getByLabel(t('meetings.form.topic'), { exact: true }).waitFor();
    };
    await openForm();
    await type('Topic', frame.getByLabel(t('meetings.form.topic'), { exact: true }), topic);
    await type('Date', frame.getByLabel(t('meetings.form.date'), { exact: true }), day(1));
    await type('Start time', frame.getByLabel(t('meetings.form.startTime'), { exact: true }), '10:00');
    await visit(
      'instructor',
      'schedule-form',
      'The schedule form: topic, date and time typed, the rest as it came',
      frame,
    );
    seen.passcodeLeftEmpty =
      (await frame
        .locator('#f-passcode')
        .inputValue()
        .catch(() => '')) === '';
    await frame.getByRole('button', { name: t('meetings.form.submit'), exact: true }).click();
    await frame.getByText(t('meetings.notices.scheduled', { topic })).waitFor();
    frame = await tool('/lti/');

    // A weekly lab too (so the placed link has another meeting to be told apart from).
    await openForm();
    await type('Topic', frame.getByLabel(t('meetings.form.topic'), { exact: true }), lab);
    await type('Date', frame.getByLabel(t('meetings.form.date'), { exact: true }), day(2));
    await type('Start time', frame.getByLabel(t('meetings.form.startTime'), { exact: true }), '14:00');
    await frame.getByRole('radio', { name: t('meetings.form.weekly'), exact: true }).check();
    const weekday = String((DateTime.fromISO(day(2)).weekday % 7) + 1); // the form's 1 is Sunday, luxon's 7
    await frame
      .getByRole('group', { name: t('meetings.form.on'), exact: true })
      .getByRole('checkbox', { name: t(`meetings.form.weekdays.${weekday}`), exact: true })
      .check();
    await frame.getByRole('button', { name: t('meetings.form.submit'), exact: true }).click();
    await frame.getByText(t('meetings.notices.scheduled', { topic: lab })).waitFor();
    frame = await tool('/lti/');
    await visit(
      'instructor',
      'course-scheduled',
      'The course page with two meetings: the list first, Start, Edit, Delete',
      frame,
    );

    await soft('the edit page', async () => {
      await frame.getByRole('link', { name: t('meetings.editLabel', { topic: lab }) }).click();
      frame = await tool('/lti/meetings/');
      await visit('instructor', 'meeting-edit', 'Editing the weekly lab', frame);
      await frame.getByRole('link', { name: t('meetings.form.cancel'), exact: true }).click();
      frame = await tool('/lti/course');
    });
    await soft('the delete confirmation', async () => {
      await frame.getByRole('link', { name: t('meetings.deleteLabel', { topic: lab }) }).click();
      frame = await tool('/lti/meetings/');
      await visit('instructor', 'meeting-delete', 'Deleting the weekly lab asks which occurrences', frame);
      await frame.getByRole('link', { name: t('meetings.form.cancel'), exact: true }).click();
      frame = await tool('/lti/course');
    });

    // Start: Zoom in a new tab, the course page kept.
    const course = page.url();
    const newTab = context.waitForEvent('page', { timeout: 10_000 }).catch(() => undefined);
    await frame.getByRole('button', { name: t('meetings.startLabel', { topic }) }).click();
    const zoomTab = await newTab;
    seen.startOpenedNewTab = zoomTab !== undefined;
    const zoomStarts = (where: Page) =>
      eventually(() => where.getByRole('heading', { name: 'Starting meeting' }).isVisible(), 10_000);
    if (zoomTab) {
      seen.startReachedZoom = await zoomStarts(zoomTab);
      seen.coursePageKeptAfterStart =
        page.url() === course && (await textOf(await tool('/lti/', 5_000))).includes(topic);
      await look({
        role: 'instructor',
        name: 'zoom-start',
        what: 'The simulated Zoom that Start opens in a new tab',
        page: zoomTab,
      });
      await zoomTab.close();
    } else {
      seen.startReachedZoom = await zoomStarts(page);
      seen.detours.push(`Start opened no new tab; the LMS window went to ${page.url()}`);
      await page.goto(course);
    }
    frame = await tool('/lti/');

    // The content picker: the instructor places the meeting in the course.
    await page.getByRole('link', { name: /deep linking/i }).click();
    frame = await tool('/lti/');
    await frame.getByRole('heading', { level: 1, name: t('deepLinking.title') }).waitFor();
    await visit(
      'instructor',
      'content-picker',
      'The content picker (the LMS’s “add an activity”): this course’s meetings',
      frame,
    );
    await frame
      .getByRole('button', { name: new RegExp(escapeRegExp(topic)) })
      .first()
      .click();
    await page
      .getByRole('link', { name: new RegExp(escapeRegExp(topic)) })
      .first()
      .waitFor();
    frame = await tool('/lti/');
    await visit(
      'instructor',
      'content-added',
      'Back in the course: the LMS says the meeting was added, with its link',
      frame,
    );

    // 3. The Zoom admin (through the LMS admin's launch) checks who got a Zoom user, and how.
    frame = await openCourse('administrator');
    await frame.getByRole('link', { name: t('zoom.people') }).click();
    frame = await tool('/lti/zoom/people');
    await visit('zoom-admin', 'people', 'Instructors’ Zoom users and how new ones are created', frame);

    // 4. The student: the course, then the placed link.
    frame = await openCourse('student');
    await frame.getByRole('link', { name: t('meetings.joinLabel', { topic }) }).waitFor();
    await visit(
      'student',
      'course',
      'The student’s course page: the meeting with Join, and the calendar',
      frame,
    );
    await page
      .getByRole('link', { name: new RegExp(escapeRegExp(topic)) })
      .first()
      .click();
    frame = await tool('/lti/');
    seen.placedLinkOpenedMeeting = await eventually(async () => {
      const placed = await tool('/lti/', 2_000);
      const joins = async (which: string) =>
        placed.getByRole('link', { name: t('meetings.joinLabel', { topic: which }) }).count();
      return (await joins(topic)) === 1 && (await joins(lab)) === 0;
    }, 5_000);
    frame = await tool('/lti/');
    await visit(
      'student',
      'placed-link',
      'The placed link opened from the course: that meeting, with Join',
      frame,
    );

    // 5. The operator signs into the console.
    const password = await options.operatorPassword;
    await page.goto(`${product.url}/admin`);
    await page.getByLabel('Password').waitFor();
    await visit('operator', 'sign-in', 'The operator console’s sign-in');
    await type('Password (operator console)', page.getByLabel('Password'), password);
    await page.getByRole('button', { name: 'Sign in' }).click();
    await page.getByRole('heading', { level: 1, name: 'Schools' }).waitFor();
    await visit('operator', 'schools', 'The console’s schools, the sandbox’s marked');
    await soft('the console’s Add a school', async () => {
      await page.getByRole('link', { name: 'Add a school' }).click();
      await page.getByRole('heading', { level: 1, name: 'Add a school' }).waitFor();
      await visit('operator', 'add-school', 'Adding a school in the console');
      await type('School name (console)', page.getByLabel('School name'), 'Riverside University');
      await page.getByRole('button', { name: 'Add the school' }).click();
      await page.getByRole('heading', { level: 1, name: 'Riverside University' }).waitFor();
      await visit(
        'operator',
        'school-added',
        'The new school’s page: its one-time registration link, and what to do next',
      );
      await page.getByRole('link', { name: 'Schools', exact: true }).first().click();
    });
    await page.getByRole('link', { name: 'Sandbox Moodle school' }).click();
    await page.getByRole('heading', { level: 1, name: 'Sandbox Moodle school' }).waitFor();
    await visit('operator', 'school', 'One school in the console: registrations, Zoom, errors');

    // The sandbox home, after all that.
    await page.goto(home);
    await visit(
      'newcomer',
      'sandbox-home-after',
      'The sandbox home afterwards: what Zoom saw (users, meetings, webhooks)',
    );
    return seen;
  } catch (error) {
    throw new Error(`${String(error)}\n${await whereItStopped(page)}`, { cause: error });
  } finally {
    await context.close();
  }
}

/** Where a walk stopped, and what each of its documents showed then. */
async function whereItStopped(page: Page): Promise<string> {
  const shown = await Promise.all(
    page.frames().map(async (frame) => `${frame.url()}:\n${(await textOf(frame)).slice(0, 1_500)}`),
  );
  return `The walk stopped at:\n${shown.join('\n---\n')}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
}
