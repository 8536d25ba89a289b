import request from 'supertest';
import { plain } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness, type Page } from '../../support/meetings-harness';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

/**
 * What the instructor reads around a change: the topic's limit (said, never a silent cut), which
 * occurrence a series' Delete asks about, and whose count a usage warning gives.
 */
describe('the instructor pages say what happens', () => {
  let h: MeetingsHarness;
  let instructor: Page;
  let weeklyId: string;

  beforeAll(async () => {
    h = await createMeetingsHarness();
    h.lms.addUser({
      id: 'co-teacher',
      givenName: 'Cora',
      familyName: 'Colleague',
      name: 'Cora Colleague',
      email: 'cora.colleague@school.example.edu',
      roles: [INSTRUCTOR],
    });
    instructor = await h.page(h.lms.users.instructor.id);
    weeklyId = (
      await h.schedule(instructor, { topic: 'Weekly class', repeats: 'weekly', on: ['2'], endAfter: '4' })
    ).id;
    instructor = await h.page(h.lms.users.instructor.id);
  });
  afterAll(() => h.close());

  describe('the topic', () => {
    it('states its 200-character limit beside the field, which does not cut a paste short', () => {
      const field = /<input id="f-topic"[^>]*>/.exec(instructor.text)?.[0] ?? '';
      expect(field).toContain('aria-describedby="topic-hint"');
      expect(field).not.toContain('maxlength');
      expect(instructor.text).toMatch(/<span id="topic-hint" class="hint">At most 200 characters\.<\/span>/);
    });

    it('in Spanish too', async () => {
      const page = await h.page(h.lms.users.instructor.id, h.lms, '', { locale: 'es' });
      expect(page.text).toContain('Como máximo 200 caracteres.');
    });

    it('when a 2,000-character topic is posted, it is refused with the field error and nothing is made', async () => {
      const before = (await h.meetingRows()).length;
      const page = await h.page(h.lms.users.instructor.id);
      const { response } = await h.schedule(page, { topic: 'x'.repeat(2000) });
      expect(response.status).toBe(400);
      expect(plain(response.text)).toContain('The topic has 2000 characters; it can have at most 200.');
      expect((await h.meetingRows()).length).toBe(before);
    });
  });

  describe("a series' Delete", () => {
    const deletePage = (query: string) =>
      request(h.app).get(
        `/lti/meetings/${weeklyId}/delete?ltik=${encodeURIComponent(instructor.ltik)}${query}`,
      );
    const checked = (html: string) => /<input type="radio" id="(scope-[a-z]+)"[^>]* checked>/.exec(html)?.[1];
    const selected = (html: string) => /<option value="([^"]+)" selected>/.exec(html)?.[1];

    it("from the card, carries the card's occurrence, and the page defaults to it", async () => {
      const link = new RegExp(`/lti/meetings/${weeklyId}/delete\\?[^"]*occurrence=([0-9]+)`).exec(
        instructor.text,
      );
      const first = h.zoom.meetings(h.account.account_id).find((m) => m.topic === 'Weekly class')
        ?.occurrences?.[0]?.occurrence_id;
      expect(link?.[1]).toBe(String(first));
      const page = await deletePage(`&occurrence=${first}`);
      expect([checked(page.text), selected(page.text)]).toEqual(['scope-one', String(first)]);
    });

    it('from a later occurrence of the list, defaults to that occurrence', async () => {
      const third = h.zoom.meetings(h.account.account_id).find((m) => m.topic === 'Weekly class')
        ?.occurrences?.[2]?.occurrence_id;
      expect(instructor.text).toContain(
        `delete?ltik=${encodeURIComponent(instructor.ltik)}&amp;occurrence=${third}`,
      );
      const page = await deletePage(`&occurrence=${third}`);
      expect([checked(page.text), selected(page.text)]).toEqual(['scope-one', String(third)]);
    });

    it('with no occurrence named (or an unknown one), still defaults to one occurrence, never to all', async () => {
      for (const query of ['', '&occurrence=999']) {
        const page = await deletePage(query);
        expect(page.status).toBe(200);
        expect(checked(page.text)).toBe('scope-one');
      }
    });
  });

  describe('the usage warning', () => {
    it.each([
      ['the host', 'instructor', 'You have made 81 of the 100 meeting changes Zoom allows you per day.'],
      [
        'a co-instructor',
        'co-teacher',
        'Terry Teacher has made 81 of the 100 meeting changes Zoom allows them per day.',
      ],
    ])("speaks to %s about the host's count", async (_who, user, text) => {
      const userId = user === 'instructor' ? h.lms.users.instructor.id : user;
      const page = await h.page(userId, h.lms, `&notice=updated&m=${weeklyId}&usage=81`);
      expect(plain(page.text)).toContain(text);
    });
  });
});
