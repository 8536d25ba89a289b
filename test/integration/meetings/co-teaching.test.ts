import request from 'supertest';
import { databaseKinds } from '../../support/db';
import { coursePage, meetingItem, newIntent, plain } from '../../support/meetings-fixtures';
import { createMeetingsHarness, meetingForm, type MeetingsHarness } from '../../support/meetings-harness';

const LIS = 'http://purl.imsglobal.org/vocab/lis/v2';
const M = `${LIS}/membership#`;
const INST = `${LIS}/institution/person#`;
const SYS = `${LIS}/system/person#`;

interface Row {
  name: string;
  roles: string[];
  /** Edits, deletes and sees the attendance of a meeting another instructor scheduled. */
  manages: boolean;
}

/**
 * Co-teaching (meetings.policy.ts, meetingRights): what each role the LMSs send may do with a meeting
 * another instructor scheduled. Starting it is the host's (and an alternative host's, by joining).
 */
const canvas: Row[] = [
  {
    name: 'a co-teacher (TeacherEnrollment)',
    roles: [`${INST}Instructor`, `${M}Instructor`, `${SYS}User`],
    manages: true,
  },
  {
    name: 'a TA (TaEnrollment: Instructor#TeachingAssistant)',
    roles: [
      `${INST}Instructor`,
      `${M}Instructor`,
      `${LIS}/membership/instructor#TeachingAssistant`,
      `${SYS}User`,
    ],
    manages: true,
  },
  { name: 'a TA sent as membership#TeachingAssistant only', roles: [`${M}TeachingAssistant`], manages: true },
  {
    name: 'a designer (DesignerEnrollment: ContentDeveloper)',
    roles: [`${M}ContentDeveloper`, `${SYS}User`],
    manages: true,
  },
  {
    name: 'an account admin (institution Administrator)',
    roles: [`${INST}Administrator`, `${SYS}User`],
    manages: true,
  },
  { name: 'a student', roles: [`${INST}Student`, `${M}Learner`, `${SYS}User`], manages: false },
  { name: 'an observer (Mentor)', roles: [`${M}Mentor`, `${SYS}User`], manages: false },
  {
    name: 'a teacher elsewhere who studies here',
    roles: [`${INST}Instructor`, `${M}Learner`],
    manages: false,
  },
];

const moodle: Row[] = [
  { name: 'an editing teacher (Instructor)', roles: [`${M}Instructor`], manages: true },
  {
    name: 'a site admin',
    roles: [`${INST}Administrator`, `${M}Instructor`, `${SYS}Administrator`],
    manages: true,
  },
  // Moodle sends Instructor only to who may manage the activity (mod/lti:manage): a non-editing teacher is a Learner.
  { name: 'a non-editing teacher (sent as Learner)', roles: [`${M}Learner`], manages: false },
  { name: 'a student', roles: [`${M}Learner`], manages: false },
  { name: 'older Moodle short names (Instructor)', roles: ['Instructor'], manages: true },
];

describe.each(
  databaseKinds('one').flatMap(
    (kind) =>
      [
        ['canvas', kind, canvas],
        ['moodle', kind, moodle],
      ] as const,
  ),
)('co-teaching in %s (%s)', (profile, databaseKind, table) => {
  let h: MeetingsHarness;
  let n = 0;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind, profile });
  });
  afterAll(() => h.close());

  async function meetingOfTheInstructor(fields: Record<string, string | string[]> = {}) {
    const instructor = await h.page(h.lms.users.instructor.id);
    const { response, id } = await h.schedule(instructor, {
      intent: newIntent(),
      topic: 'Shared class',
      ...fields,
    });
    if (response.status !== 303)
      throw new Error(
        plain(response.text)
          .match(/field-error[^<]*<?[^<]*/g)
          ?.join(' ') ?? response.text.slice(0, 500),
      );
    return id;
  }

  it.each(table)(
    '$name: manages it = $manages; starts it = never (not its host)',
    async ({ roles, manages }) => {
      n += 1;
      const id = await meetingOfTheInstructor();
      const userId = `co-${profile}-${n}`;
      h.lms.addUser({
        id: userId,
        givenName: 'Co',
        familyName: String(n),
        name: `Co ${n}`,
        email: `${userId}@school.example.edu`,
        roles,
      });
      const page = await h.page(userId);
      const status = manages ? 200 : 403;
      const changed = manages ? 303 : 403;
      const attendanceStatus = manages ? 200 : 303;

      const card = meetingItem(plain(page.text), id);
      if (manages) {
        expect(card).toContain(`/meetings/${id}/edit`);
        expect(card).not.toContain(`/meetings/${id}/start`);
        expect(card).toContain('Only its host and alternative hosts can start it.');
        expect(plain(page.text)).toContain(
          'Every instructor of this course can edit and delete its meetings',
        );
      } else {
        expect(card).not.toContain(`/meetings/${id}/edit`);
        expect(plain(page.text)).not.toContain('Every instructor of this course');
      }

      const edit = await request(h.app)
        .get(`/lti/meetings/${id}/edit?ltik=${encodeURIComponent(page.ltik)}`)
        .accept('html');
      expect(edit.status).toBe(status);
      const save = await h.post(
        page,
        `/meetings/${id}`,
        meetingForm({ intent: newIntent(), topic: `Renamed ${n}` }),
      );
      expect(save.status).toBe(changed);
      const attendance = await request(h.app)
        .get(`/lti/attendance?ltik=${encodeURIComponent(page.ltik)}`)
        .accept('html');
      // The course's attendance is staff's; anyone else is sent to their own (or told they have none).
      expect(attendance.status).toBe(attendanceStatus);
      if (!manages) expect(String(attendance.headers.location)).toContain('/lti/attendance/mine');
      // Zoom's start_url starts the meeting as its host: nobody else gets it.
      const start = await h.post(page, `/meetings/${id}/start`);
      expect(start.status).toBe(403);
      const remove = await h.post(page, `/meetings/${id}/delete`, { scope: 'all' });
      expect(remove.status).toBe(changed);
      const rows = await h.meetingRows();
      const row = rows.find((r) => r.id === id);
      expect(row?.state === 'deleted').toBe(manages);
      expect(row?.topic).toBe(manages ? `Renamed ${n}` : 'Shared class');
    },
  );

  if (profile === 'canvas')
    it('a co-teacher who is an alternative host is offered to start it by joining signed in to Zoom (the host’s start link stays the host’s)', async () => {
      // A licensed, active user of the school's Zoom account (Zoom accepts only those as alternative hosts).
      const ta = {
        id: 'alt-ta',
        givenName: 'Alt',
        familyName: 'Ta',
        name: 'Alt Ta',
        email: 'alt.ta@school.example.edu',
      };
      h.lms.addUser({ ...ta, roles: [`${LIS}/membership/instructor#TeachingAssistant`, `${M}Instructor`] });
      const s2s = await h.zoom.createApp({ kind: 's2s', account_id: h.account.account_id });
      const token = h.zoom.issueTokens(s2s.client_id, h.account.account_id).access_token;
      const created = await fetch(`${h.zoom.baseUrl}/v2/users`, {
        method: 'POST',
        headers: { authorization: `Bearer ${token}`, 'content-type': 'application/json' },
        body: JSON.stringify({ action: 'create', user_info: { email: ta.email, type: 2 } }),
      });
      expect(created.status).toBe(201);
      h.zoom.activateUser(ta.email);
      await h.activate(ta.id);
      const id = await meetingOfTheInstructor({ alternativeHosts: [ta.email] });
      const page = await h.page(ta.id);
      const card = meetingItem(plain(page.text), id);
      expect(card).toContain(`data-start-alternative="${id}"`);
      expect(card).toContain('Start as alternative host');
      expect(card).toContain('Zoom makes an alternative host the host');
      expect(card).toMatch(new RegExp(`data-start-alternative="${id}" href="${h.zoom.baseUrl}/j/`));
      expect((await h.post(page, `/meetings/${id}/start`)).status).toBe(403);
      const es = meetingItem(plain((await h.page(ta.id, h.lms, '', { locale: 'es' })).text), id);
      expect(es).toContain('Iniciar como anfitrión alternativo');
      // The host still starts it with Zoom's start link.
      const host = await h.page(h.lms.users.instructor.id);
      expect(meetingItem(await coursePage(h, host), id)).toContain(`/meetings/${id}/start`);
      expect((await h.post(host, `/meetings/${id}/start`)).status).toBe(303);
    });
});
