import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/storage';
import {
  createConsoleHarness,
  get,
  post,
  signIn,
  type ConsoleHarness,
  type Session,
} from '../admin/console.harness';

/**
 * The operator console's school page shows the school's retention and its form sets it: an empty
 * field keeps that kind with no limit; a bad number is refused with nothing changed; another
 * school's id is not found; a post without the console's form token is refused.
 */
describe('retention on the operator console’s school page', () => {
  let h: ConsoleHarness;
  let session: Session;
  let schoolId: string;

  beforeAll(async () => {
    h = await createConsoleHarness();
    const [school] = await queryRows<{ id: string }>(
      h.database.db,
      sql`insert into schools (name) values ('Console Retention U') returning id`,
    );
    schoolId = school!.id;
    session = await signIn(h.app);
  }, 60_000);
  afterAll(() => h.close());

  const retention = async () =>
    (
      await queryRows<Record<string, unknown>>(
        h.database.db,
        sql`select meetings_days, attendance_days, logs_days, updated_by from school_retention`,
      )
    )[0];
  const page = async () => (await get(h.app, session, `/admin/schools/${schoolId}`)).text;

  it('shows a school that set nothing keeping everything', async () => {
    const html = await page();
    expect(html).toContain('<h2 id="retention-heading">Retention</h2>');
    expect(html).toContain('Never changed: everything is kept.');
    expect(html).toMatch(/id="retention-attendance" name="attendance"[^>]*value=""/);
  });

  it('sets days from the form, an empty field kept, and shows them and who changed them', async () => {
    const saved = await post(h.app, session, `/admin/schools/${schoolId}/retention`, {
      _csrf: session.csrf,
      meetings: '',
      attendance: '30',
      logs: '14',
    });
    expect(saved.status).toBe(303);
    expect(saved.headers.location).toBe(`/admin/schools/${schoolId}#retention-heading`);
    expect(await retention()).toEqual({
      meetings_days: null,
      attendance_days: 30,
      logs_days: 14,
      updated_by: 'operator:operator',
    });
    const html = await page();
    expect(html).toMatch(/id="retention-attendance" name="attendance"[^>]*value="30"/);
    expect(html).toMatch(/id="retention-meetings" name="meetings"[^>]*value=""/);
    expect(html).toContain('Last changed by operator:operator');
  });

  it.each([
    [{ attendance: '0' }, 400],
    [{ logs: 'soon' }, 400],
    [{ meetings: '99999999' }, 400],
  ])('refuses %j with %i and changes nothing', async (fields, status) => {
    const before = await retention();
    const refused = await post(h.app, session, `/admin/schools/${schoolId}/retention`, {
      _csrf: session.csrf,
      meetings: '',
      attendance: '30',
      logs: '14',
      ...fields,
    });
    expect(refused.status).toBe(status);
    expect(await retention()).toEqual(before);
  });

  it('answers 404 for a school that does not exist, and refuses a post without the form token', async () => {
    const missing = await post(h.app, session, `/admin/schools/${crypto.randomUUID()}/retention`, {
      _csrf: session.csrf,
      attendance: '5',
    });
    expect(missing.status).toBe(404);
    const before = await retention();
    const forged = await post(h.app, session, `/admin/schools/${schoolId}/retention`, { attendance: '5' });
    expect(forged.status).toBe(403);
    expect(await retention()).toEqual(before);
  });
});
