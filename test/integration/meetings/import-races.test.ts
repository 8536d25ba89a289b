import { sql } from 'drizzle-orm';
import { databaseKinds } from '../../support/db';
import { rows } from '../../support/meetings-fixtures';
import { afterImport, importPage, importSetup, zoomMeeting, type ImportSetup } from './import-fixture';

interface Row {
  id: string;
  state: string;
  zoom_meeting_id: string | null;
  intent_key: string;
  origin: string;
}

/**
 * Issue 20 item 1, the data layer (both databases): two Adds of one meeting at once write one row
 * (the unique index on school and Zoom id), and a meeting whose row was deleted can be brought in
 * again as a new row (the deleted one keeps its history and gives the Zoom id up).
 */
describe.each(databaseKinds('both'))(
  'importing meetings from Zoom: one row per meeting (%s)',
  (databaseKind) => {
    let s: ImportSetup;
    beforeAll(async () => {
      s = await importSetup('moodle', databaseKind);
    }, 60_000);
    afterAll(() => s.h.close());

    const post = (meeting: string) => s.h.post(s.staff, '/import', { meeting });
    const rowsOf = (zoomId: string, ids: string[] = []) =>
      rows<Row>(
        s.h,
        sql`select id, state, zoom_meeting_id, intent_key, origin from meetings
          where zoom_meeting_id = ${zoomId} or id = any(${`{${ids.join(',')}}`}::uuid[]) order by created_at`,
      );

    it('two Adds of the same meeting at once make one row, and both say it is in the course', async () => {
      const made = await zoomMeeting(s.zoom, s.host, { topic: 'Clicked twice' });
      const answers = await Promise.all([post(made.id), post(made.id), post(made.id)]);
      const added = await Promise.all(answers.map((answer) => afterImport(s.h, answer)));
      const found = await rowsOf(made.id);
      expect(found).toHaveLength(1);
      expect(found[0]).toMatchObject({ state: 'scheduled', origin: 'imported' });
      expect(found[0]?.intent_key).toMatch(new RegExp(`^import:[0-9a-f-]{36}:${made.id}$`));
      expect(new Set(added.map((a) => a.id))).toEqual(new Set([found[0]?.id]));
    });

    it('a meeting whose row was deleted is listed again and comes back as a new row', async () => {
      const made = await zoomMeeting(s.zoom, s.host, { topic: 'Back again' });
      const first = await afterImport(s.h, await post(made.id));
      expect((await importPage(s.h, s.staff)).text).not.toContain(`data-zoom-meeting="${made.id}"`);
      await rows(s.h, sql`update meetings set state = 'deleted' where id = ${first.id}`);
      expect((await importPage(s.h, s.staff)).text).toContain(`data-zoom-meeting="${made.id}"`);

      const second = await afterImport(s.h, await post(made.id));
      expect(second.id).not.toBe(first.id);
      const found = await rowsOf(made.id, [first.id]);
      expect(found).toEqual([
        expect.objectContaining({ id: first.id, state: 'deleted', zoom_meeting_id: null }),
        expect.objectContaining({
          id: second.id,
          state: 'scheduled',
          zoom_meeting_id: made.id,
          intent_key: expect.stringMatching(new RegExp(`:${made.id}:${first.id}$`)),
        }),
      ]);

      // And once more: each deleted row keeps its own key.
      await rows(s.h, sql`update meetings set state = 'deleted' where id = ${second.id}`);
      const third = await afterImport(s.h, await post(made.id));
      const after = await rowsOf(made.id, [first.id, second.id]);
      expect(after.map((r) => [r.id, r.state, r.zoom_meeting_id])).toEqual([
        [first.id, 'deleted', null],
        [second.id, 'deleted', null],
        [third.id, 'scheduled', made.id],
      ]);
    });
  },
);
