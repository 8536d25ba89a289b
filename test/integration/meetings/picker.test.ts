import request from 'supertest';
import { databaseKinds } from '../../support/db';
import { createMeetingsHarness, type MeetingsHarness, type Page } from '../../support/meetings-harness';

const DL = 'https://purl.imsglobal.org/spec/lti-dl/claim/';

/**
 * The LMS's content picker, through the emulated Moodle: a series shows its rule, next dates and Zoom
 * meeting ID; Cancel answers with no content item; a placed series becomes an activity whose custom
 * parameters, sent back on launch, open that meeting alone for a student and an instructor.
 */
describe.each(databaseKinds())('the content picker places a series, or nothing (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let seriesId: string;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    const instructor = await h.page(h.lms.users.instructor.id);
    // 2030-03-04 is a Monday: six Mondays at 9:00 in New York.
    seriesId = (
      await h.schedule(instructor, { topic: 'Weekly lab', repeats: 'weekly', on: ['2'], endAfter: '6' })
    ).id;
    // A page of its own: a form's creation intent makes one meeting, however often it is posted.
    await h.schedule(await h.page(h.lms.users.instructor.id), { topic: 'Other seminar' });
  });
  afterAll(() => h.close());

  const picker = (locale?: string) =>
    h.page(h.lms.users.instructor.id, undefined, '', { messageType: 'LtiDeepLinkingRequest', locale });

  /** Posts the page's auto-submitting form to the LMS, as the browser would; the LMS's answer. */
  async function returnToLms(html: string) {
    const action = /<form method="post" action="([^"]+)"/.exec(html)?.[1] ?? '';
    const jwt = /name="JWT" value="([^"]+)"/.exec(html)?.[1] ?? '';
    const answer = await fetch(action.replace(/&amp;/g, '&'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ JWT: jwt }).toString(),
    });
    expect(answer.status).toBe(200);
    return { page: await answer.text(), returned: h.lms.deepLinkingReturns.at(-1) };
  }

  /** The LMS course page the closed picker sends the person to (it shows the notice once). */
  async function lmsCoursePage(returnPage: string) {
    const href = /id="back-to-course" href="([^"]+)"/.exec(returnPage)?.[1]?.replace(/&amp;/g, '&') ?? '';
    return (await request(h.lms.app).get(href)).text;
  }

  /** The item of one meeting on the picker page. */
  const itemOf = (page: Page, id: string) =>
    /<li class="meeting pick"[^>]*>[\s\S]*?<\/li>\s*(?=<li class="meeting pick"|<\/ul>\s*<\/section>)/.exec(
      page.text.slice(page.text.indexOf(`data-meeting="${id}"`) - 40),
    )?.[0] ?? '';

  it('shows a series with its rule, its next dates, its Zoom meeting ID, Add to course and Cancel', async () => {
    const page = await picker();
    const item = itemOf(page, seriesId);
    expect(item).toContain('Weekly lab');
    expect(item).toContain('Every week on Monday');
    expect(item).toContain('6 occurrences left');
    expect(item).toContain('Next dates');
    expect(item.match(/<li><time datetime="2030-03-(04|11|18|25)/g)).toHaveLength(4);
    expect(item).toContain('and 2 more');
    expect(item).toMatch(/Meeting ID: [\d ]{9,}/);
    expect(item).toContain('>Add to course</button>');
    expect(page.text).toContain('>Cancel</button>');
    expect(page.text).toContain('Nothing to add? Cancel closes this window');
  });

  it('in Spanish, the same picker in Spanish', async () => {
    const page = await picker('es');
    const item = itemOf(page, seriesId);
    expect(page.text).toContain('<html lang="es">');
    expect(item).toContain('Próximas fechas');
    expect(item).toContain('y 2 más');
    expect(item).toMatch(/ID de reunión: [\d ]{9,}/);
    expect(item).toContain('>Añadir al curso</button>');
    expect(page.text).toContain('>Cancelar</button>');
  });

  it('Cancel answers the LMS with no content item and a message; the LMS adds nothing', async () => {
    const before = h.lms.activities.length;
    const page = await picker();
    const answer = await h.post(page, '/picker/cancel');
    expect(answer.status).toBe(200);
    expect(answer.text).toContain('Nothing was added');
    expect(answer.text).toContain('data-autosubmit');
    const { page: closed, returned } = await returnToLms(answer.text);
    expect(returned?.contentItems).toEqual([]);
    expect(returned?.claims[`${DL}content_items`]).toEqual([]);
    expect(returned?.claims[`${DL}msg`]).toBe('Nothing was added to the course.');
    expect(h.lms.activities).toHaveLength(before);
    const course = await lmsCoursePage(closed);
    expect(course).toContain('Nothing was added to the course');
  });

  it('Cancel in Spanish: the return page and the message in Spanish', async () => {
    const page = await picker('es');
    const answer = await h.post(page, '/picker/cancel');
    expect(answer.text).toContain('<html lang="es">');
    expect(answer.text).toContain('No se añadió nada');
    expect(answer.text).toContain('Volver al curso');
    const { returned } = await returnToLms(answer.text);
    expect(returned?.claims[`${DL}msg`]).toBe('No se añadió nada al curso.');
  });

  it('Cancel is refused without the form token, from a course link, and to a student', async () => {
    const page = await picker();
    expect((await h.post({ ...page, csrf: 'wrong' }, '/picker/cancel')).status).toBe(403);
    const course = await h.page(h.lms.users.instructor.id);
    expect((await h.post(course, '/picker/cancel')).status).toBe(400);
    const student = await h.page(h.lms.users.learner.id);
    expect((await h.post(student, '/picker/cancel')).status).toBe(403);
  });

  describe('a placed series, opened from the LMS', () => {
    let resourceLinkId: string;
    beforeAll(async () => {
      const page = await picker();
      const answer = await h.post(page, `/meetings/${seriesId}/pick`);
      expect(answer.status).toBe(200);
      const { page: closed, returned } = await returnToLms(answer.text);
      expect(returned?.contentItems).toEqual([
        { type: 'ltiResourceLink', title: 'Weekly lab', custom: { meeting_id: seriesId } },
      ]);
      const [activity] = returned?.activities ?? [];
      expect(activity).toMatchObject({ title: 'Weekly lab', custom: { meeting_id: seriesId } });
      resourceLinkId = activity?.resourceLinkId ?? '';
      const course = await lmsCoursePage(closed);
      expect(course).toContain('Content added to the course');
      expect(course).toContain('Added: Weekly lab');
    });

    const open = (user: 'learner' | 'instructor', locale?: string) =>
      h.page(h.lms.users[user].id, undefined, '', { resourceLinkId, locale });

    it('the course’s own link still lists every meeting', async () => {
      const list = await h.page(h.lms.users.learner.id);
      expect(list.text).toContain('Weekly lab');
      expect(list.text).toContain('Other seminar');
    });

    it.each(['learner', 'instructor'] as const)(
      'the %s sees that series alone, with its dates',
      async (user) => {
        const page = await open(user);
        expect(page.text).toContain('Weekly lab');
        expect(page.text).not.toContain('Other seminar');
        expect(page.text).toContain('Every week on Monday');
        expect(page.text).toMatch(/<time datetime="2030-03-11T/);
        if (user === 'instructor') expect(page.text).toContain(`/meetings/${seriesId}/start`);
        else
          expect(page.text).toMatch(
            /class="button join" href="[^"]*\/lti\/meetings\/[0-9a-f-]{36}\/join\?ltik=/,
          );
      },
    );

    it.each(['learner', 'instructor'] as const)('in Spanish, the %s sees it in Spanish', async (user) => {
      const page = await open(user, 'es');
      expect(page.text).toContain('<html lang="es">');
      expect(page.text).toContain('Weekly lab');
      expect(page.text).not.toContain('Other seminar');
      expect(page.text).toContain('Cada semana');
    });
  });
});
