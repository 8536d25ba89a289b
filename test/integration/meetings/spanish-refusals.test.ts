import { databaseKinds } from '../../support/db';
import { createMeetingsHarness, type MeetingsHarness, type Page } from '../../support/meetings-harness';

/** A refusal on a Spanish launch's page is in Spanish, with nothing changed. */
describe.each(databaseKinds('one'))('meetings refusals for a Spanish launch (%s)', (databaseKind) => {
  let h: MeetingsHarness;
  let instructor: Page;
  let weeklyId: string;

  beforeAll(async () => {
    h = await createMeetingsHarness({ databaseKind });
    instructor = await h.page(h.lms.users.instructor.id, undefined, '', { locale: 'es-MX' });
    weeklyId = (
      await h.schedule(instructor, {
        topic: 'Clase semanal',
        repeats: 'weekly',
        on: ['2'],
        ends: 'after',
        endAfter: '4',
      })
    ).id;
    instructor = await h.page(h.lms.users.instructor.id, undefined, '', { locale: 'es-MX' });
  });
  afterAll(() => h.close());

  it('deleting one occurrence without choosing which is refused in Spanish (400) and the series stays', async () => {
    const response = await h.post(instructor, `/meetings/${weeklyId}/delete`, { scope: 'occurrence' });

    expect(response.status).toBe(400);
    expect(response.text).toContain('<html lang="es">');
    expect(response.text).toContain('Elige la sesión que quieres eliminar');
    expect(response.text).not.toContain('choose the occurrence');
    expect(response.text).not.toContain('The request was not understood');
    expect((await h.meetingRows()).find((row) => row.id === weeklyId)?.state).toBe('scheduled');
    const series = h.zoom.meetings(h.account.account_id).find((m) => m.topic === 'Clase semanal');
    expect(series?.occurrences?.filter((o) => o.status === 'available')).toHaveLength(4);
  });
});
