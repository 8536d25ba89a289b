import os from 'node:os';
import path from 'node:path';
import type { BrowserContext, Frame } from 'playwright-core';
import { describeInBrowser, launchChromiumProfile, thirdPartyCookiesWork } from '../support/browser';
import { openScheduleForm, openTool, startSchool, type School } from './meetings.setup';

/**
 * The scheduler's default path, as a new instructor takes it: only the required field typed (the
 * topic; date, time, duration and zone keep the form's defaults), every optional one left empty,
 * in Chromium inside the emulated Moodle frame with third-party cookies blocked, in English and
 * Spanish. The school's Zoom requires a passcode (Zoom's default), so Zoom makes one and the page
 * shows it. A refusal by Zoom brings the form back with what was typed.
 */
const words = {
  en: {
    heading: 'Schedule a meeting',
    submit: 'Schedule meeting',
    scheduled: (topic: string) => `The meeting “${topic}” is scheduled.`,
    passcode: 'Passcode: ',
    refused: 'Zoom did not accept the meeting: it refused “Passcode”',
    topic: 'Topic',
  },
  es: {
    heading: 'Programar una clase',
    submit: 'Programar clase',
    scheduled: (topic: string) => `La clase «${topic}» está programada.`,
    passcode: 'Código de acceso: ',
    refused: 'Zoom no aceptó la clase: rechazó «Código de acceso»',
    topic: 'Tema',
  },
} as const;

const shots = (name: string) => path.join(os.tmpdir(), `zoom-lti-default-form-${name}.png`);

describeInBrowser(
  'scheduling with every optional field left empty, in the Moodle frame, cookies blocked',
  () => {
    let school: School;
    let admin: BrowserContext;
    let teacher: BrowserContext;

    beforeAll(async () => {
      admin = await launchChromiumProfile({ timezoneId: 'America/New_York', thirdPartyCookies: 'blocked' });
      teacher = await launchChromiumProfile({ timezoneId: 'Europe/Madrid', thirdPartyCookies: 'blocked' });
      school = await startSchool(admin);
    });
    afterAll(async () => {
      await admin?.close();
      await teacher?.close();
      await school?.close();
    });

    const openAs = async (lang: 'en' | 'es'): Promise<Frame> => {
      const page = await teacher.newPage();
      await page.setViewportSize({ width: 1000, height: 900 });
      const frame = await openTool(page, school, school.lms.users.instructor.id, { locale: lang });
      await openScheduleForm(frame, words[lang].heading); // once the course has meetings, the list comes first
      await frame.getByRole('heading', { name: words[lang].heading }).waitFor();
      return frame;
    };

    it.each(['en', 'es'] as const)(
      '%s: the instructor types only the topic, schedules, and sees the meeting listed with Zoom’s passcode',
      async (lang) => {
        const w = words[lang];
        const topic = `Default path ${lang} 🎓`;
        const frame = await openAs(lang);
        expect(await thirdPartyCookiesWork(frame)).toBe(false);

        await frame.getByLabel(w.topic).fill(topic);
        await frame.getByRole('button', { name: w.submit }).click();
        await frame.getByText(w.scheduled(topic)).waitFor();

        const made = school.zoom.meetings(school.account.account_id).filter((m) => m.topic === topic);
        expect(made).toHaveLength(1);
        expect(made[0]?.password).toMatch(/^[A-Za-z0-9]{6}$/);
        expect(made[0]?.settings).toMatchObject({ alternative_hosts: '', join_before_host: false });
        const listed = frame
          .getByRole('listitem')
          .filter({ has: frame.getByRole('heading', { name: topic }) });
        await listed
          .locator('p.passcode')
          .getByText(w.passcode + made[0]!.password)
          .waitFor();
        await frame.page().screenshot({ path: shots(`scheduled-${lang}`), fullPage: true });
      },
    );

    it.each(['en', 'es'] as const)(
      '%s: when Zoom refuses the passcode, the form comes back with the typed values and names the field',
      async (lang) => {
        const w = words[lang];
        const topic = `Refused ${lang}`;
        const frame = await openAs(lang);
        school.zoom.injectFault({
          match: { method: 'POST', path: '^/v2/users/[^/]+/meetings$' },
          kind: 'refuse',
          errors: [{ field: 'password', message: 'Passcode does not meet the account’s requirements.' }],
          count: 1,
        });
        try {
          await frame.getByLabel(w.topic).fill(topic);
          await frame.getByRole('button', { name: w.submit }).click();
          await frame.getByText(w.refused).waitFor();
        } finally {
          school.zoom.clearFaults();
        }

        expect(await frame.getByLabel(w.topic).inputValue()).toBe(topic);
        expect(school.zoom.meetings(school.account.account_id).some((m) => m.topic === topic)).toBe(false);
        await frame.page().screenshot({ path: shots(`refused-${lang}`), fullPage: true });
      },
    );
  },
);
