import { databaseKinds } from '../../support/db';
import { plain } from '../../support/meetings-fixtures';
import { createMeetingsHarness, type MeetingsHarness } from '../../support/meetings-harness';
import { enAttendance } from '../../../src/shared/locales/en.attendance';
import { esAttendance } from '../../../src/shared/locales/es.attendance';
import {
  courseOf,
  get,
  launchInto,
  seedInstance,
  seedMeeting,
  seedPeople,
  seedResult,
  seedSession,
  type Course,
} from './pages-seed';

const text = (html: string) =>
  plain(html)
    .replace(/<[^>]+>/g, ' ')
    .replace(/&#39;/g, "'")
    .replace(/&quot;|&#34;/g, '"')
    .replace(/&amp;/g, '&')
    .replace(/\s+/g, ' ');

/** Every English sentence of the attendance texts that Spanish says otherwise (the part before any {{value}}). */
function englishSentences(): string[] {
  const found: string[] = [];
  const walk = (en: unknown, es: unknown) => {
    if (typeof en === 'string') {
      const head = en.split('{{')[0]!.trim();
      if (en !== es && head.length >= 12 && head.includes(' ')) found.push(head);
      return;
    }
    for (const [key, value] of Object.entries(en as Record<string, unknown>))
      walk(value, (es as Record<string, unknown>)[key]);
  };
  walk(enAttendance, esAttendance);
  return found;
}

/**
 * Issue 19, the student's page: their own attendance in the course (each held meeting's status and
 * minutes, their rate), nobody else's; and every attendance page in Spanish on a Spanish launch.
 */
describe.each(databaseKinds('one'))('attendance: the student’s page, and Spanish (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let course: Course;
  let instances: { lab: string; hours: string };
  const learnerId = () => h.lms.users.learner.id;

  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    await h.built.jobs.stop();
    course = await courseOf(h);
    await seedPeople(h, course, [
      { id: learnerId(), name: h.lms.findUser(learnerId())?.name ?? '' },
      { id: 'stu-zed', name: 'Zed Secret' },
    ]);
    const lab = await seedMeeting(h, course, 'Biology lab', '2026-11-02T14:00:00Z');
    const hours = await seedMeeting(h, course, 'Office hours', '2026-11-04T14:00:00Z');
    instances = {
      lab: await seedInstance(h, course, lab, '2026-11-02T14:00:00Z'),
      hours: await seedInstance(h, course, hours, '2026-11-04T14:00:00Z', 'waiting'),
    };
    const later = await seedInstance(h, course, lab, '2026-11-09T14:00:00Z');
    await seedResult(h, course, instances.lab, learnerId(), {
      status: 'late',
      seconds: 2460,
      intervals: [{ from: '2026-11-02T14:19:00Z', to: '2026-11-02T15:00:00Z' }],
      flags: ['name:Lena L'],
    });
    await seedResult(h, course, instances.hours, learnerId(), {
      status: 'absent',
      override: { status: 'excused', reason: 'Private: family matter' },
    });
    await seedResult(h, course, later, learnerId(), { status: 'absent' });
    await seedResult(h, course, instances.lab, 'stu-zed', { status: 'present', seconds: 3600 });
    await seedSession(h, course, lab, instances.lab, {
      name: 'A Guest',
      email: 'guest@example.org',
      from: '2026-11-02T14:05:00Z',
      to: '2026-11-02T14:25:00Z',
    });
  });
  afterAll(() => h.close());

  it('a student sees their own meetings (status, minutes) and rate, nobody else’s', async () => {
    const learner = await launchInto(h, learnerId());
    const response = await get(learner.ltik, '/attendance/mine', h, 'tz=America/New_York');
    expect(response.status).toBe(200);
    const page = text(response.text);
    expect(page).toContain('You attended 2 of 3 counted meetings (67%).');
    expect(page).toContain('Biology lab Mon, Nov 2, 2026, 9:00 AM EST Late 41');
    expect(page).toContain(
      'Office hours Wed, Nov 4, 2026, 9:00 AM EST Excused (Waiting for Zoom’s report) 0',
    );
    expect(page).toContain('Biology lab Mon, Nov 9, 2026, 9:00 AM EST Absent 0');
    for (const hidden of [
      'Zed Secret',
      'stu-zed',
      'A Guest',
      'guest@example.org',
      'Lena L',
      'Private: family matter',
    ])
      expect([hidden, page.includes(hidden)]).toEqual([hidden, false]);
  });

  it('a student with no held meeting is told so; an instructor asking for it lands on the course’s page', async () => {
    const other = await launchInto(h, learnerId(), { courseId: 'history-9' });
    expect(text((await get(other.ltik, '/attendance/mine', h)).text)).toContain(
      'No class meeting has been held yet. Your attendance appears here after each one.',
    );
    const teacher = await launchInto(h, h.lms.users.instructor.id);
    const mine = await get(teacher.ltik, '/attendance/mine', h);
    expect(mine.status).toBe(303);
    expect(mine.headers.location).toMatch(/^\/lti\/attendance\?ltik=/);
  });

  it('on a Spanish launch every attendance page speaks Spanish, with no English sentence', async () => {
    const english = englishSentences();
    expect(english.length).toBeGreaterThan(40);
    const teacher = await launchInto(h, h.lms.users.instructor.id, { locale: 'es-MX' });
    const learner = await launchInto(h, learnerId(), { locale: 'es' });
    const pages: Array<[{ ltik: string }, string, string]> = [
      [teacher, '/attendance', 'Clases celebradas'],
      [teacher, `/attendance/instances/${instances.lab}`, 'Invitados (no son estudiantes del curso)'],
      [teacher, '/attendance/settings', 'Reglas de asistencia y calificaciones'],
      [learner, '/attendance/mine', 'Asististe a 2 de 3 clases que cuentan (67 %).'],
    ];
    for (const [session, path, spanish] of pages) {
      const response = await get(session.ltik, path, h, 'tz=America/Mexico_City');
      expect([path, response.status]).toEqual([path, 200]);
      const page = text(response.text);
      expect(page).toContain(spanish);
      expect(response.text).toContain('<html lang="es">');
      const leaks = english.filter((sentence) => page.includes(sentence));
      expect([path, leaks]).toEqual([path, []]);
    }
    const csv = await get(
      teacher.ltik,
      `/attendance/instances/${instances.lab}.csv`,
      h,
      'tz=America/Mexico_City',
    );
    expect(csv.text.split('\r\n')[0]).toBe(
      'Estudiante,Id de usuario del LMS,Estado,Motivo de la marca,Primera entrada (America/Mexico_City),Entró y salió (America/Mexico_City),Minutos,Notas',
    );
    expect(csv.text).toContain(
      `${h.lms.findUser(learnerId())?.name},${learnerId()},Tarde,,2026-11-02 08:19,`,
    );
    const instance = text((await get(teacher.ltik, `/attendance/instances/${instances.lab}`, h)).text);
    expect(instance).toContain(
      'Entró como «Lena L» con el enlace propio de este estudiante (cambió de nombre o le reenviaron el enlace).',
    );
  });
});
