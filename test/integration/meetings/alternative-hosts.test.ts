import { createMeetingsHarness, meetingForm, type MeetingsHarness } from '../../support/meetings-harness';

const INSTRUCTOR = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor';

/**
 * Alternative hosts are offered from the course's instructors (Names and Roles), limited to
 * licensed, active users of the school's Zoom account as Zoom requires; anyone else is shown
 * disabled with the reason.
 */
describe('alternative hosts', () => {
  let h: MeetingsHarness;
  beforeAll(async () => {
    h = await createMeetingsHarness();
    const people = [
      { id: 'co1', email: 'licensed.colleague@school.example.edu', type: 2, active: true },
      { id: 'co2', email: 'basic.colleague@school.example.edu', type: 1, active: true },
      { id: 'co3', email: 'pending.colleague@school.example.edu', type: 2, active: false },
      { id: 'co4', email: 'outsider@elsewhere.example.org', type: 0, active: false },
    ];
    const s2s = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
    const token = h.zoom.issueTokens(s2s.client_id, h.account.account_id).access_token;
    for (const person of people) {
      h.lms.addUser({
        id: person.id,
        givenName: 'Co',
        familyName: person.id,
        name: `Co ${person.id}`,
        email: person.email,
        roles: [INSTRUCTOR],
      });
      if (person.type === 0) continue;
      const created = await fetch(`${h.zoom.baseUrl}/v2/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'create', user_info: { email: person.email, type: person.type } }),
      });
      expect(created.status).toBe(201);
      if (person.active) h.zoom.activateUser(person.email);
    }
    h.lms.addUser({
      id: 'noemail',
      givenName: 'No',
      familyName: 'Email',
      name: 'No Email',
      roles: [INSTRUCTOR],
    });
  });
  afterAll(() => h.close());

  function hostOption(text: string, email: string) {
    const at = text.indexOf(`value="${email}"`);
    return at < 0 ? undefined : text.slice(text.lastIndexOf('<p>', at), text.indexOf('</p>', at));
  }

  it('offers a licensed, active instructor of the course', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const option = hostOption(page.text, 'licensed.colleague@school.example.edu');
    expect(option).toBeDefined();
    expect(option).not.toContain('disabled');
  });

  it.each([
    ['a Basic (unlicensed) user', 'basic.colleague@school.example.edu', 'Not a licensed Zoom user'],
    ['a user who has not activated', 'pending.colleague@school.example.edu', 'not active yet'],
    [
      'someone outside the school’s Zoom account',
      'outsider@elsewhere.example.org',
      'Not a user of your school’s Zoom account',
    ],
  ])('shows %s disabled, with the reason', async (_who, email, reason) => {
    const page = await h.page(h.lms.users.instructor.id);
    const option = hostOption(page.text, email);
    expect(option).toContain('disabled');
    expect(option).toContain(reason);
  });

  it('shows an instructor whose email the LMS did not share disabled, with the reason', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    expect(page.text).toMatch(
      /No Email<\/label>\s*<span id="f-host-\d+-why" class="hint">The LMS did not share this person’s email/,
    );
  });

  it('does not offer students', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    expect(page.text).not.toContain(String(h.lms.users.learner.email));
  });

  it('schedules with an allowed alternative host, who is set in Zoom', async () => {
    const page = await h.page(h.lms.users.instructor.id);
    const { response } = await h.schedule(page, {
      topic: 'With a colleague',
      alternativeHosts: ['licensed.colleague@school.example.edu'],
    });
    expect(response.status).toBe(303);
    const meeting = h.zoom.meetings(h.account.account_id).find((m) => m.topic === 'With a colleague');
    expect(meeting?.settings.alternative_hosts).toBe('licensed.colleague@school.example.edu');
  });

  it('refuses (400) an alternative host Zoom would not accept, and creates nothing: the form comes back with what was typed', async () => {
    const before = h.zoom.meetings(h.account.account_id).length;
    const page = await h.page(h.lms.users.instructor.id);
    const response = await h.post(
      page,
      '/meetings',
      meetingForm({
        intent: page.intent,
        topic: 'Refused host',
        alternativeHosts: ['basic.colleague@school.example.edu'],
      }),
    );
    expect(response.status).toBe(400);
    expect(response.text).toContain('Alternative hosts must be licensed, active users');
    expect(response.text).toContain('<span class="field-error" id="e-alternativeHosts">');
    expect(response.text).toContain('name="topic" required value="Refused host"');
    expect(h.zoom.meetings(h.account.account_id)).toHaveLength(before);
  });
});
