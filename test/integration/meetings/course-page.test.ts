import request from 'supertest';
import { sql } from 'drizzle-orm';
import type { LaunchOptions } from '../../../src/sandbox/lms';
import { databaseKinds } from '../../support/db';
import { coursePage, meetingRow, plain, rows } from '../../support/meetings-fixtures';
import { createMeetingsHarness, meetingForm, type MeetingsHarness } from '../../support/meetings-harness';

const CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';

/**
 * Issue 18: the instructor's course page. The list comes first and "Schedule a meeting" opens the
 * form (a link without JavaScript); the form is open while the course has no meeting and when it
 * comes back refused. Upcoming, past and recordings are tabs (headed sections without JavaScript),
 * each meeting shows Zoom's meeting ID. A placed link whose meeting is not in the course says what
 * happened and what to do.
 */
describe.each(databaseKinds('one'))('the course page’s class meetings (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
  });
  afterAll(() => h.close());

  /** The schedule panel's opening tag (undefined when the page has none). */
  const panel = (html: string) => /<div id="schedule" class="schedule-panel"[^>]*>/.exec(html)?.[0];

  it('with no meeting yet, the instructor sees the form open and no button (scheduling comes first)', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    expect(panel(page.text)).toBe('<div id="schedule" class="schedule-panel">');
    expect(page.text).toContain('No class meetings are scheduled yet.');
    expect(page.text).not.toContain('id="schedule-button"');
    expect(page.text).not.toContain('role="tablist"');
  });

  let first: string;
  it('with meetings, the list comes first and the form opens from "Schedule a meeting" (a link keeping the launch)', async () => {
    first = (await h.schedule(await h.page(h.lms.users.instructor.id), { topic: 'Genetics lecture' })).id;
    const page = await h.page(h.lms.users.instructor.id);
    expect(panel(page.text)).toBe('<div id="schedule" class="schedule-panel" hidden>');
    const button =
      /<a class="button primary" id="schedule-button" href="([^"]+)"[^>]*>Schedule a meeting<\/a>/.exec(
        page.text,
      );
    expect(button).not.toBeNull();
    const href = new URL((button?.[1] ?? '').replace(/&amp;/g, '&'), 'http://tool');
    expect(href.pathname).toBe('/lti/course');
    expect(href.searchParams.get('ltik')).toBe(page.ltik);
    expect(href.searchParams.get('schedule')).toBe('1');
    expect(href.hash).toBe('#schedule');
    expect(page.text.indexOf('id="schedule-button"')).toBeLessThan(page.text.indexOf('role="tablist"'));

    // Without JavaScript the button's link shows the page with the form open.
    const opened = await coursePage(h, page, '&schedule=1');
    expect(panel(opened)).toBe('<div id="schedule" class="schedule-panel">');
    expect(opened).toContain('>Close the form</a>');
  });

  it('a refused submit brings the form back open, with what was typed and its errors', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const refused = await h.post(
      page,
      '/meetings',
      meetingForm({ intent: page.intent, topic: '', passcode: 'zz9' }),
    );
    expect(refused.status).toBe(400);
    expect(panel(refused.text)).toBe('<div id="schedule" class="schedule-panel">');
    expect(refused.text).toContain('class="error-summary" role="alert" tabindex="-1"');
    expect(refused.text).toContain('Enter a topic.');
    expect(refused.text).toMatch(/id="f-passcode"[^>]*value="zz9"/);
  });

  it('upcoming, past and recordings are tabs over headed sections; recordings are listed across meetings', async () => {
    const instructor = await h.page(h.lms.users.instructor.id);
    // Each from a fresh page: a form's intent schedules once.
    const second = (await h.schedule(await h.page(h.lms.users.instructor.id), { topic: 'Ecology seminar' }))
      .id;
    const past = (await h.schedule(await h.page(h.lms.users.instructor.id), { topic: 'Cells, last week' }))
      .id;
    await rows(h, sql`update meetings set state = 'ended' where id = ${past}`);
    await rows(
      h,
      sql`insert into meeting_recordings (meeting_id, zoom_uuid, start_time, play_url)
          values (${past}, 'uuid-a', '2029-01-08T15:00:00Z', 'https://zoom.example/rec/a'),
                 (${second}, 'uuid-b', '2029-01-15T15:00:00Z', 'https://zoom.example/rec/b')`,
    );
    const html = await coursePage(h, instructor);
    expect(html).toMatch(/<div class="tablist" role="tablist" aria-label="Class meetings" hidden>/);
    for (const [tab, label] of [
      ['upcoming', 'Upcoming \\(2\\)'],
      ['past', 'Past \\(1\\)'],
      ['recordings', 'Recordings \\(2\\)'],
    ]) {
      expect(html).toMatch(
        new RegExp(
          `role="tab" id="tab-${tab}" aria-controls="panel-${tab}" aria-selected="(true|false)"[^>]*>${label}<`,
        ),
      );
      expect(html).toMatch(
        new RegExp(`<section class="tab-panel" id="panel-${tab}" aria-labelledby="${tab}-heading">`),
      );
    }
    const panelOf = (name: string) =>
      html.slice(
        html.indexOf(`id="panel-${name}"`),
        html.indexOf('</section>', html.indexOf(`id="panel-${name}"`)),
      );
    expect(panelOf('upcoming')).toContain(`data-meeting="${first}"`);
    expect(panelOf('upcoming')).not.toContain(`data-meeting="${past}"`);
    expect(panelOf('past')).toContain(`data-meeting="${past}"`);
    const recordings = panelOf('recordings');
    // Newest first, each with its meeting's topic; staff see whether students do.
    expect(recordings.indexOf('Ecology seminar')).toBeLessThan(recordings.indexOf('Cells, last week'));
    // Our watch link (a 303 to Zoom's link), never Zoom's URL on the page.
    expect(recordings).toContain(`href="/lti/recordings/${past}/dXVpZC1h/watch?ltik=`);
    expect(recordings).not.toContain('https://zoom.example/rec/');
    expect(recordings).toContain('Students do not see it');

    // Students see only the recordings the instructor shows them.
    const student = await h.page(h.lms.users.learner.id);
    expect((await h.post(instructor, `/meetings/${past}/recordings`, { show: 'on' })).status).toBe(303);
    const theirs = await coursePage(h, student);
    const theirRecordings = theirs.slice(theirs.indexOf('id="panel-recordings"'));
    expect(theirRecordings).toContain(`href="/lti/recordings/${past}/dXVpZC1h/watch?ltik=`);
    expect(theirRecordings).not.toContain('dXVpZC1i');
    expect(theirRecordings).not.toContain('https://zoom.example/rec/');
    expect(theirRecordings).not.toContain('Students do not see it');
    expect(theirs).toContain('Recordings (1)');
  });

  it('each meeting shows Zoom’s meeting ID grouped as Zoom writes it, to staff and students', async () => {
    const zoomId = String((await meetingRow(h, first)).zoom_meeting_id);
    expect(zoomId).toMatch(/^\d{11}$/);
    const grouped = `${zoomId.slice(0, 3)} ${zoomId.slice(3, 7)} ${zoomId.slice(7)}`;
    for (const user of [h.lms.users.instructor.id, h.lms.users.learner.id]) {
      const html = plain((await h.page(user)).text);
      expect(html).toContain(`<p class="meeting-id">Meeting ID: ${grouped}</p>`);
    }
    const spanish = plain((await h.page(h.lms.users.learner.id, undefined, '', { locale: 'es' })).text);
    expect(spanish).toContain(`ID de reunión: ${grouped}`);
  });

  /** Opens a placed link (deep linking's custom meeting_id), in this course or in a copy of it. */
  async function placedLink(
    userId: string,
    meetingId: string,
    options: { copied?: boolean; launch?: LaunchOptions } = {},
  ) {
    const { login, idToken, state } = await h.authorize(userId, options.launch, {
      claims: (claims) => {
        claims[`${CLAIM}custom`] = { meeting_id: meetingId };
        if (options.copied) {
          const context = claims[`${CLAIM}context`] as Record<string, unknown>;
          claims[`${CLAIM}context`] = { ...context, id: `${String(context.id)}-copy-2027` };
        }
      },
    });
    const posted = await h.postLaunch({ id_token: idToken, state }, login.cookie);
    expect(posted.status).toBe(303);
    const page = await request(h.app).get(String(posted.headers.location)).accept('html');
    expect(page.status).toBe(200);
    return {
      html: plain(page.text),
      ltik: new URL(String(posted.headers.location), 'http://tool').searchParams.get('ltik') ?? '',
    };
  }

  it('a placed link that opens its meeting offers staff the course’s whole list (students only the meeting)', async () => {
    const staff = await placedLink(h.lms.users.instructor.id, first);
    expect(staff.html).toContain(`data-meeting="${first}"`);
    expect(staff.html).toMatch(
      /<a href="\/lti\/course\?ltik=[^"]*list=all">All class meetings of this course<\/a>/,
    );
    const student = await placedLink(h.lms.users.learner.id, first);
    expect(student.html).toContain(`data-meeting="${first}"`);
    expect(student.html).not.toContain('list=all');
    // Alone under the list's heading (h2), the card's topic is h3: no heading level skipped.
    for (const { html } of [staff, student])
      expect(html).toMatch(new RegExp(`<h3 class="topic" id="topic-${first}">`));
  });

  describe('a placed link whose meeting is not here', () => {
    let deleted: string;
    beforeAll(async () => {
      const instructor = await h.page(h.lms.users.instructor.id);
      deleted = (await h.schedule(instructor, { topic: 'Removed review' })).id;
      expect((await h.post(instructor, `/meetings/${deleted}/delete`, { scope: 'all' })).status).toBe(303);
    });

    it.each([
      ['en', 'This class meeting is no longer available here; ask your instructor.'],
      ['es', 'Esta clase ya no está disponible aquí; pregunta a tu profesor.'],
    ])(
      '%s: a student is told it is no longer available and to ask the instructor (deleted, or a copied course)',
      async (locale, text) => {
        for (const [id, copied] of [
          [deleted, false],
          [first, true],
        ] as const) {
          const { html } = await placedLink(h.lms.users.learner.id, id, { copied, launch: { locale } });
          expect(html).toContain(text);
          expect(html).not.toContain('data-meeting=');
          expect(html).not.toContain('Removed review');
        }
      },
    );

    it.each([
      [
        'en',
        'The meeting “Removed review” that this link opens was deleted.',
        'Schedule a meeting',
        'Open this course’s class meetings',
      ],
      [
        'es',
        'La clase «Removed review» que abre este enlace se eliminó.',
        'Programar una clase',
        'Abrir las clases de este curso',
      ],
    ])(
      '%s: staff are told it was deleted, and offered Schedule and the course’s list',
      async (locale, said, schedule, list) => {
        const { html, ltik } = await placedLink(h.lms.users.instructor.id, deleted, { launch: { locale } });
        expect(html).toContain('data-missing="deleted"');
        expect(html).toContain(said);
        const links = [...html.matchAll(/<a class="button[^"]*" href="([^"]+)">([^<]+)<\/a>/g)].map((m) => [
          new URL((m[1] ?? '').replace(/&amp;/g, '&'), 'http://tool'),
          m[2],
        ]) as Array<[URL, string]>;
        const scheduleLink = links.find(([, text]) => text === schedule)?.[0];
        const listLink = links.find(([, text]) => text === list)?.[0];
        expect(scheduleLink?.searchParams.get('list')).toBe('all');
        expect(scheduleLink?.searchParams.get('schedule')).toBe('1');
        expect(listLink?.searchParams.get('list')).toBe('all');

        // The course's whole list, from the same launch: every meeting, and the form, whose links keep to it.
        const full = plain(
          (await request(h.app).get(`${listLink?.pathname}${listLink?.search}`).accept('html')).text,
        );
        expect(full).toContain(`data-meeting="${first}"`);
        expect(full).toContain('id="schedule-button"');
        expect(full).toMatch(/<form method="post" action="\/lti\/meetings\?ltik=[^"]*list=all/);
        expect(ltik).toBeTruthy();
      },
    );

    it.each([
      [
        'en',
        'it belongs to the course where the link was placed (for example, this course was copied from another one)',
      ],
      ['es', 'pertenece al curso donde se colocó el enlace (por ejemplo, este curso se copió de otro)'],
    ])(
      '%s: staff of a copied course are told the meeting belongs to the course it was placed in, and what to do',
      async (locale, said) => {
        const { html } = await placedLink(h.lms.users.instructor.id, first, {
          copied: true,
          launch: { locale },
        });
        expect(html).toContain('data-missing="elsewhere"');
        expect(html).toContain(said);
        expect(html).not.toContain('Genetics lecture'); // nothing of the other course's meeting
        expect(html).toContain(locale === 'en' ? 'content picker' : 'selector de contenido');
      },
    );
  });
});
