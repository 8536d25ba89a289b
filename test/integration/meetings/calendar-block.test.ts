import { databaseKinds } from '../../support/db';
import { coursePage } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';

/**
 * The course page's calendar block, as a student sees it: a webcal: link that subscribes (an https
 * link only downloads a file), the address in a field to copy, and one line each for Google
 * Calendar, Outlook and Apple Calendar, whose links leave the LMS frame in a new window.
 */
describe.each(databaseKinds('one'))("the course page's calendar block (%s)", (databaseKind) => {
  let h: MeetingsHarness;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    await h.schedule(await h.page(h.lms.users.instructor.id), { topic: 'Seminar' });
  });
  afterAll(() => h.close());

  const block = async (locale: string | undefined) => {
    const page = await h.page(h.lms.users.learner.id, undefined, '', locale ? { locale } : undefined);
    const html = await coursePage(h, page);
    const section = /<section class="card calendar"[\s\S]*?<\/section>/.exec(html)?.[0];
    if (!section) throw new Error('no calendar block on the page');
    return section.replace(/&amp;/g, '&');
  };
  const attribute = (html: string, pattern: RegExp) => pattern.exec(html)?.[1] ?? '';

  it.each([
    {
      locale: undefined,
      subscribe: 'Subscribe in your calendar app',
      field: 'Calendar address',
      copy: 'Copy',
      lines: [
        'Google Calendar</strong>: under Other calendars',
        'Outlook</strong>: choose Add calendar',
        'Apple Calendar</strong>: the Subscribe link above opens it',
      ],
    },
    {
      locale: 'es-MX',
      subscribe: 'Suscribirse en tu aplicación de calendario',
      field: 'Dirección del calendario',
      copy: 'Copiar',
      lines: [
        'Google Calendar</strong>: en Otros calendarios',
        'Outlook</strong>: elige Agregar calendario',
        'Calendario de Apple</strong>: el enlace Suscribirse',
      ],
    },
  ])('in $field: a webcal: subscribe link, the address to copy and a line per calendar app', async (want) => {
    const html = await block(want.locale);
    const feed = attribute(html, /<input id="calendar-address" type="text" readonly value="([^"]+)"/);
    expect(feed).toMatch(/^https?:\/\/[^/]+\/calendar\/[^/]+\/[A-Za-z0-9_-]+\.ics$/);
    const webcal = feed.replace(/^https?:/, 'webcal:');

    expect(html).toContain(
      `<a class="button primary" href="${webcal}" target="_blank" rel="noopener">${want.subscribe}`,
    );
    expect(html).toContain(`<label for="calendar-address">${want.field}</label>`);
    expect(html).toMatch(new RegExp(`<button type="button" id="calendar-copy" hidden [^>]*>${want.copy}<`));
    for (const line of want.lines) expect(html).toContain(line);
    expect(html).toContain(
      `href="https://calendar.google.com/calendar/r?cid=${encodeURIComponent(webcal)}" target="_blank" rel="noopener"`,
    );
    expect(html).toContain(
      `href="https://outlook.office.com/calendar/addfromweb?url=${encodeURIComponent(feed)}&name=`,
    );
    // Every link out of the frame opens a new window, and says so to a screen reader.
    const links = html.match(/<a [^>]*>/g) ?? [];
    expect(links).toHaveLength(3);
    for (const link of links) expect(link).toMatch(/target="_blank" rel="noopener"/);
    // No link downloads the file; a student has no "new link" form.
    expect(html).not.toMatch(/<a [^>]*href="https?:[^"?]*\.ics"/);
    expect(html).not.toContain('/meetings/feed');
  });
});
