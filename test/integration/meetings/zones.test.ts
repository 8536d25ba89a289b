import request from 'supertest';
import { sql } from 'drizzle-orm';
import { createMeetingsHarness, meetingForm, type MeetingsHarness } from '../../support/meetings-harness';

/**
 * The form's "Time zone": canonical zones with their offset and a readable name in the page's
 * language, the viewer's zone (or the school's) chosen for a new meeting, and a meeting saved under
 * an old alias (`Asia/Calcutta`) shown and saved under its current name.
 */
describe('the time zone of the meeting form', () => {
  let h: MeetingsHarness;

  beforeAll(async () => {
    h = await createMeetingsHarness();
  });
  afterAll(() => h.close());

  const selected = (html: string) => /<option value="([^"]+)" selected>([^<]*)</.exec(html)?.slice(1);
  const options = (html: string) =>
    [...html.matchAll(/<option value="([^"]+)"[^>]*>([^<]*)</g)].map((m) => m[1] ?? '');

  it('lists readable, canonical zones with their offsets, and a search that the script shows', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const zones = options(page.text);
    expect(zones).toContain('Asia/Kolkata');
    expect(zones).not.toContain('Asia/Calcutta');
    expect(zones).not.toContain('America/Godthab');
    expect(page.text).toContain(
      '<option value="Asia/Kolkata">UTC+05:30 · Kolkata, India · India Standard Time</option>',
    );
    expect(page.text).toMatch(/<label for="f-timeZone">Time zone<\/label>/);
    expect(page.text).toMatch(
      /<p class="zone-search" hidden><label for="f-timeZone-search">Find a zone<\/label>/,
    );
    expect(page.text).toContain('data-many="# time zones match"');
    expect(page.text).toContain('<script src="/assets/zones.js"></script>');
  });

  it('in Spanish, the names and the search are Spanish', async () => {
    const page = await h.page(h.lms.users.instructor.id, h.lms, '', { locale: 'es' });
    expect(page.text).toContain(
      '<option value="Asia/Kolkata">UTC+05:30 · Kolkata, India · hora estándar de la India</option>',
    );
    expect(page.text).toContain('Buscar una zona');
    expect(page.text).toContain('data-many="# zonas horarias coinciden"');
  });

  it("a new meeting defaults to the viewer's zone, sent by the browser under an alias", async () => {
    const page = await h.page(h.lms.users.instructor.id, h.lms, '&tz=Asia%2FCalcutta');
    expect(selected(page.text)?.[0]).toBe('Asia/Kolkata');
    expect(page.text).toContain('data-default-zone="browser"');
  });

  it("without the browser's zone, a new meeting defaults to the school's", async () => {
    const page = await h.page(h.lms.users.instructor.id);
    expect(selected(page.text)?.[0]).toBe('UTC');
  });

  it('a meeting saved under an old alias is shown under its current name, and saves again', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const { response, id } = await h.schedule(page, { topic: 'Alias zoned', timeZone: 'Asia/Calcutta' });
    expect(response.status).toBe(303);
    expect((await h.meetingRows()).find((r) => r.id === id)).toMatchObject({ time_zone: 'Asia/Kolkata' });
    // As a meeting saved before: its zone is the alias.
    await h.database.db.execute(sql`update meetings set time_zone = 'Asia/Calcutta' where id = ${id}`);

    const edit = await request(h.app).get(`/lti/meetings/${id}/edit?ltik=${encodeURIComponent(page.ltik)}`);
    expect(edit.status).toBe(200);
    expect(selected(edit.text)).toEqual(['Asia/Kolkata', 'UTC+05:30 · Kolkata, India · India Standard Time']);
    expect(edit.text).toContain('data-default-zone=""');
    expect(edit.text).toContain('value="09:00"');

    const saved = await h.post(
      page,
      `/meetings/${id}`,
      meetingForm({ intent: 'y'.repeat(24), topic: 'Alias zoned, renamed', timeZone: 'Asia/Kolkata' }),
    );
    expect(saved.status).toBe(303);
    expect((await h.meetingRows()).find((r) => r.id === id)).toMatchObject({
      topic: 'Alias zoned, renamed',
      time_zone: 'Asia/Kolkata',
    });
    expect(
      h.zoom.meetings(h.account.account_id).find((m) => m.topic === 'Alias zoned, renamed')?.timezone,
    ).toBe('Asia/Kolkata');
  });

  it('a form sent back with an error keeps the zone chosen and lets no script replace it', async () => {
    const page = await h.page(h.lms.users.instructor.id, h.lms, '&tz=Europe%2FMadrid');
    const { response } = await h.schedule(page, { duration: '0', timeZone: 'America/Godthab' });
    expect(response.status).toBe(400);
    expect(selected(response.text)?.[0]).toBe('America/Nuuk');
    expect(response.text).toContain('data-default-zone=""');
  });

  it('a zone that is none is refused with the field named, and nothing is made', async () => {
    const before = (await h.meetingRows()).length;
    const page = await h.page(h.lms.users.instructor.id);
    const { response } = await h.schedule(page, { topic: 'Nowhere', timeZone: 'Mars/Olympus_Mons' });
    expect(response.status).toBe(400);
    expect(response.text).toContain('href="#f-timeZone"');
    expect((await h.meetingRows()).length).toBe(before);
  });
});
