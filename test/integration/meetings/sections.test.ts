import request from 'supertest';
import { sql } from 'drizzle-orm';
import { databaseKinds } from '../../support/db';
import { rosterOf } from '../../../src/attendance/attendance.results.repo';
import { watchPath } from '../../../src/meetings/meetings.recordings';
import {
  coursePage,
  drainJobs,
  listedMeetings,
  meetingItem,
  newIntent,
  plain,
  rows,
  soonDate,
} from '../../support/meetings-fixtures';
import { createMeetingsHarness, meetingForm, type MeetingsHarness } from '../../support/meetings-harness';

const LEARNER = 'http://purl.imsglobal.org/vocab/lis/v2/membership#Learner';

/** Sections (issue 20, item 3): Canvas names them through custom variables; Moodle sends none. */
describe.each(databaseKinds('both'))('sections of a Canvas course (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let sectionA: { id: string; name: string };
  let sectionB: { id: string; name: string };
  const studentB = {
    id: '201',
    givenName: 'Bea',
    familyName: 'Other',
    name: 'Bea Other',
    email: 'bea.other@school.example.edu',
    roles: [LEARNER],
  };

  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind, profile: 'canvas' });
    sectionA = h.lms.addSection('Section A, Mornings');
    sectionB = h.lms.addSection('Section B');
    h.lms.addUser(studentB);
    h.lms.enrolInSection(sectionA.id, h.lms.users.learner.id);
    h.lms.enrolInSection(sectionB.id, studentB.id);
    // The course learns its sections from launches: each student opens it once.
    await h.page(h.lms.users.learner.id);
    await h.page(studentB.id);
  });
  afterAll(() => h.close());

  const joinOf = (ltik: string, id: string) =>
    request(h.app)
      .get(`/lti/meetings/${id}/join?ltik=${encodeURIComponent(ltik)}`)
      .accept('html');

  it('records the sections each launch names, and the person’s own', async () => {
    const sections = await rows<{ section_id: string; name: string }>(
      h,
      sql`select section_id, name from course_sections order by section_id`,
    );
    expect(sections).toEqual([
      { section_id: sectionA.id, name: 'Section A, Mornings' },
      { section_id: sectionB.id, name: 'Section B' },
    ]);
    const people = await rows<{ lms_user_id: string; section_ids: string[]; is_student: boolean }>(
      h,
      sql`select lms_user_id, section_ids, is_student from course_people where section_ids <> '[]'::jsonb order by lms_user_id`,
    );
    expect(people.map((p) => [p.section_ids, p.is_student])).toEqual(
      expect.arrayContaining([
        [[sectionA.id], true],
        [[sectionB.id], true],
      ]),
    );
  });

  it('offers the known sections on the form, Whole course chosen; the default path schedules for the whole course', async () => {
    const instructor = await h.page(h.lms.users.instructor.id);
    const html = plain(instructor.text);
    expect(html).toContain('Who is it for?');
    expect(html).toMatch(/id="f-audience-course" name="audience" value="course" checked/);
    expect(html).toContain('Section A, Mornings');
    // What the form posted before sections existed: no audience, no sections.
    const { response, id } = await h.schedule(instructor, { topic: 'Whole class' });
    expect(response.status).toBe(303);
    const [row] = await rows<{ section_ids: string[] }>(
      h,
      sql`select section_ids from meetings where id = ${id}`,
    );
    expect(row?.section_ids).toEqual([]);
    // Both students see it, and staff see no section label on it.
    for (const user of [h.lms.users.learner.id, studentB.id])
      expect(listedMeetings((await h.page(user)).text)).toContain(id);
    expect(meetingItem(await coursePage(h, instructor), id)).not.toContain('data-sections');
  });

  it('a meeting for section A: its students see and join it, section B’s neither see it nor join it', async () => {
    const instructor = await h.page(h.lms.users.instructor.id);
    const { response, id } = await h.schedule(instructor, {
      intent: newIntent(),
      topic: 'Section A lab',
      audience: 'sections',
      sections: [sectionA.id],
    });
    expect(response.status).toBe(303);
    const [row] = await rows<{ section_ids: string[] }>(
      h,
      sql`select section_ids from meetings where id = ${id}`,
    );
    expect(row?.section_ids).toEqual([sectionA.id]);

    const a = await h.page(h.lms.users.learner.id);
    expect(listedMeetings(a.text)).toContain(id);
    expect((await joinOf(a.ltik, id)).status).not.toBe(403);

    const b = await h.page(studentB.id);
    expect(listedMeetings(b.text)).not.toContain(id);
    const refused = await joinOf(b.ltik, id);
    expect(refused.status).toBe(403);
    expect(plain(refused.text)).toContain('This meeting is for another section');
    expect(plain(refused.text)).toContain('Section A, Mornings');

    // Staff see it, named by its section.
    expect(meetingItem(await coursePage(h, instructor), id)).toContain('Section: Section A, Mornings');

    // Its recording, shown to students, is section A's too: B's watch link is refused in words.
    await rows(h, sql`update meetings set show_recordings = true where id = ${id}`);
    await rows(
      h,
      sql`insert into meeting_recordings (meeting_id, zoom_uuid, play_url, file_count)
          values (${id}, 'sectionRecording==', 'https://zoom.example/rec/share/section', 1)`,
    );
    const watch = (ltik: string) =>
      request(h.app)
        .get(`/lti${watchPath(id, 'sectionRecording==')}?ltik=${encodeURIComponent(ltik)}`)
        .accept('html');
    const seen = await watch(a.ltik);
    expect(seen.status).toBe(303);
    expect(seen.headers.location).toBe('https://zoom.example/rec/share/section');
    const notTheirs = await watch(b.ltik);
    expect(notTheirs.status).toBe(403);
    expect(notTheirs.headers.location).toBeUndefined();
    expect(plain(notTheirs.text)).toContain('This meeting is for another section');
  });

  it('attendance of a section meeting: links are made and students counted for its sections only', async () => {
    const instructor = await h.page(h.lms.users.instructor.id);
    const { response, id } = await h.schedule(instructor, {
      intent: newIntent(),
      topic: 'Counted for A',
      date: soonDate(2),
      audience: 'sections',
      sections: [sectionA.id],
    });
    expect(response.status).toBe(303);
    await drainJobs(h);
    const linked = await rows<{ section_ids: string[] }>(
      h,
      sql`select p.section_ids from meeting_registrants r join course_people p
            on p.school_id = r.school_id and p.lms_user_id = r.lms_user_id
          where r.meeting_id = ${id}`,
    );
    expect(linked.length).toBeGreaterThan(0);
    for (const person of linked) expect(person.section_ids).toContain(sectionA.id);
    // The results count the roster of its sections (and the whole roster for a whole-course meeting).
    const [course] = await rows<{ school_id: string; lms_issuer: string; context_id: string }>(
      h,
      sql`select school_id, lms_issuer, context_id from meetings where id = ${id}`,
    );
    const key = { schoolId: course!.school_id, lmsIssuer: course!.lms_issuer, contextId: course!.context_id };
    const ofA = await rosterOf(h.database.db, key, [sectionA.id]);
    const all = await rosterOf(h.database.db, key);
    expect(ofA.length).toBe(1);
    expect(all.length).toBeGreaterThan(ofA.length);
    expect(await rosterOf(h.database.db, key, [])).toEqual(all);
  });

  it('a deep-linked meeting of another section tells the student so in words (and its own student sees it)', async () => {
    const instructor = await h.page(h.lms.users.instructor.id);
    const { id } = await h.schedule(instructor, {
      intent: newIntent(),
      topic: 'Placed for A',
      audience: 'sections',
      sections: [sectionA.id],
    });
    // Placed through the LMS's content picker: a link whose custom parameters name the meeting.
    const picker = await h.page(h.lms.users.instructor.id, undefined, '', {
      messageType: 'LtiDeepLinkingRequest',
    });
    const answer = await h.post(picker, `/meetings/${id}/pick`);
    expect(answer.status).toBe(200);
    const action = /<form method="post" action="([^"]+)"/.exec(answer.text)?.[1] ?? '';
    const jwt = /name="JWT" value="([^"]+)"/.exec(answer.text)?.[1] ?? '';
    const returned = await fetch(action.replace(/&amp;/g, '&'), {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ JWT: jwt }).toString(),
    });
    expect(returned.status).toBe(200);
    const resourceLinkId = h.lms.deepLinkingReturns.at(-1)?.activities[0]?.resourceLinkId ?? '';
    expect(resourceLinkId).not.toBe('');

    const b = plain((await h.page(studentB.id, undefined, '', { resourceLinkId })).text);
    expect(b).toContain('data-missing="other-section"');
    expect(b).toContain('This meeting is for another section');
    expect(b).toContain('“Placed for A” is meant for Section A, Mornings');
    expect(listedMeetings(b)).toEqual([]);
    const bEs = plain((await h.page(studentB.id, undefined, '', { resourceLinkId, locale: 'es' })).text);
    expect(bEs).toContain('Esta reunión es para otra sección');

    const a = await h.page(h.lms.users.learner.id, undefined, '', { resourceLinkId });
    expect(listedMeetings(a.text)).toEqual([id]);
  });

  it('an edit changes the sections (and back to the whole course), and an unknown section is refused with no change', async () => {
    const instructor = await h.page(h.lms.users.instructor.id);
    const { id } = await h.schedule(instructor, {
      intent: newIntent(),
      topic: 'Moving lab',
      audience: 'sections',
      sections: [sectionA.id],
    });
    const edit = (fields: Record<string, string | string[]>) =>
      h.post(
        instructor,
        `/meetings/${id}`,
        meetingForm({ intent: newIntent(), topic: 'Moving lab', ...fields }),
      );
    const sectionsOf = async () =>
      (await rows<{ section_ids: string[] }>(h, sql`select section_ids from meetings where id = ${id}`))[0]
        ?.section_ids;

    const form = await request(h.app)
      .get(`/lti/meetings/${id}/edit?ltik=${encodeURIComponent(instructor.ltik)}`)
      .accept('html');
    expect(form.text).toMatch(/id="f-audience-sections" name="audience" value="sections" checked/);
    expect(form.text).toMatch(new RegExp(`name="sections" value="${sectionA.id}" checked`));

    expect((await edit({ audience: 'sections', sections: [sectionB.id] })).status).toBe(303);
    expect(await sectionsOf()).toEqual([sectionB.id]);
    expect(listedMeetings((await h.page(studentB.id)).text)).toContain(id);
    expect(listedMeetings((await h.page(h.lms.users.learner.id)).text)).not.toContain(id);

    const unknown = await edit({ audience: 'sections', sections: ['99999'] });
    expect(unknown.status).toBe(400);
    expect(plain(unknown.text)).toContain('Choose sections from the list.');
    expect(await sectionsOf()).toEqual([sectionB.id]);

    const none = await edit({ audience: 'sections' });
    expect(none.status).toBe(400);
    expect(plain(none.text)).toContain('Choose at least one section, or choose Whole course.');
    expect(await sectionsOf()).toEqual([sectionB.id]);

    expect((await edit({ audience: 'course', sections: [sectionA.id] })).status).toBe(303);
    expect(await sectionsOf()).toEqual([]);
  });

  it('a schedule with an unknown section is refused in words and nothing is scheduled', async () => {
    const instructor = await h.page(h.lms.users.instructor.id);
    const before = (await h.meetingRows()).length;
    const { response } = await h.schedule(instructor, {
      intent: newIntent(),
      topic: 'Nowhere',
      audience: 'sections',
      sections: ['424242'],
    });
    expect(response.status).toBe(400);
    expect(plain(response.text)).toContain('Choose sections from the list.');
    expect(await h.meetingRows()).toHaveLength(before);
  });

  it('shows the co-teaching rule to staff, in Spanish too, and not to students', async () => {
    const instructor = await h.page(h.lms.users.instructor.id);
    expect(plain(instructor.text)).toContain(
      'Every instructor of this course can edit and delete its meetings and see their attendance',
    );
    const es = await h.page(h.lms.users.instructor.id, h.lms, '', { locale: 'es' });
    expect(plain(es.text)).toContain(
      'Todo el profesorado de este curso puede editar y eliminar sus reuniones',
    );
    expect(plain(es.text)).toContain('Todo el curso');
    const student = await h.page(h.lms.users.learner.id);
    expect(plain(student.text)).not.toContain('Every instructor of this course');
  });
});

describe.each(databaseKinds('one'))('sections of a Moodle course (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind, profile: 'moodle' });
  });
  afterAll(() => h.close());

  it('Moodle names no sections: the form offers no choice, and a posted section is refused', async () => {
    expect(() => h.lms.addSection('A')).toThrow();
    const instructor = await h.page(h.lms.users.instructor.id);
    expect(instructor.text).not.toContain('Who is it for?');
    expect(instructor.text).not.toContain('name="audience"');
    const { response } = await h.schedule(instructor, { audience: 'sections', sections: ['1'] });
    expect(response.status).toBe(400);
    expect(await h.meetingRows()).toHaveLength(0);
    const fine = await h.schedule(instructor, { intent: newIntent() });
    expect(fine.response.status).toBe(303);
    expect(await rows(h, sql`select * from course_sections`)).toEqual([]);
  });
});
