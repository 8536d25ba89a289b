import { sql } from 'drizzle-orm';
import { queryRows } from '../../../src/storage';
import {
  createConsoleHarness,
  get,
  post,
  signIn,
  type ConsoleHarness,
  type Session,
} from './console.harness';

/** The console's "Add a school": operator-only, form-token protected, clear refusals that change nothing. */
describe('adding a school from the operator console', () => {
  let h: ConsoleHarness;
  let session: Session;
  beforeAll(async () => {
    h = await createConsoleHarness();
    session = await signIn(h.app);
  });
  afterAll(() => h.close());

  const schoolsNamed = (name: string) =>
    queryRows<{ id: string; time_zone: string }>(
      h.database.db,
      sql`select id, time_zone from schools where name = ${name}`,
    );
  const invitesOf = async (schoolId: string) =>
    Number(
      (
        await queryRows<{ n: string }>(
          h.database.db,
          sql`select count(*) as n from registration_invites where school_id = ${schoolId}`,
        )
      )[0]?.n ?? NaN,
    );
  const add = (form: Record<string, string>) =>
    post(h.app, session, '/admin/schools', { _csrf: session.csrf, ...form });

  it('the schools list offers "Add a school", and its form is labelled', async () => {
    const list = await get(h.app, session, '/admin/schools');
    expect(list.text).toContain('<a class="button-link" href="/admin/schools/new">Add a school</a>');
    const form = await get(h.app, session, '/admin/schools/new');
    expect(form.status).toBe(200);
    expect(form.text).toMatch(/<label for="name">School name<\/label>/);
    expect(form.text).toMatch(/name="link" value="yes" checked/);
    expect(form.text).toContain(`name="_csrf" value="${session.csrf}"`);
  });

  it('when a name is given, the school is added with a registration link, and its page says what to do next', async () => {
    const res = await add({
      name: 'Riverside University',
      timeZone: 'Europe/Madrid',
      link: 'yes',
      days: '14',
    });
    expect(res.status).toBe(201);
    const [school] = await schoolsNamed('Riverside University');
    expect(school).toMatchObject({ time_zone: 'Europe/Madrid' });
    expect(await invitesOf(school?.id ?? '')).toBe(1);
    expect(res.text).toContain('School added');
    expect(res.text).toMatch(/Next:<\/strong> send the registration link below/);
    expect(res.text).toMatch(
      /<code class="link">http:\/\/localhost:3000\/lti\/register\?invite=[A-Za-z0-9_-]+<\/code>/,
    );
    const page = await get(h.app, session, `/admin/schools/${school?.id}`);
    expect(page.status).toBe(200);
    expect(page.text).not.toContain('School added');
  });

  it('when no link is asked for, the school is added with none, in UTC, and its page says to make one', async () => {
    const res = await add({ name: 'Hillside College', timeZone: '', days: '7' });
    expect(res.status).toBe(201);
    const [school] = await schoolsNamed('Hillside College');
    expect(school).toMatchObject({ time_zone: 'UTC' });
    expect(await invitesOf(school?.id ?? '')).toBe(0);
    expect(res.text).toMatch(/Next:<\/strong> make a registration link below/);
  });

  it.each([
    { what: 'an empty name', form: { name: '   ' }, message: 'Give the school a name.' },
    { what: 'no name at all', form: {}, message: 'Give the school a name.' },
    {
      what: 'an unknown time zone',
      form: { name: 'Zoneless School', timeZone: 'Mars/Olympus' },
      message: 'Give a time zone as its IANA name',
    },
    {
      what: 'a link valid for 91 days',
      form: { name: 'Long Link School', link: 'yes', days: '91' },
      message: 'Give a number of days from 1 to 90.',
    },
  ])(
    'when the form has $what, it is refused with 400, says so by the field, and adds nothing',
    async ({ form, message }) => {
      const [before] = await queryRows<{ n: string }>(h.database.db, sql`select count(*) as n from schools`);
      const res = await add(form as Record<string, string>);
      expect(res.status).toBe(400);
      expect(res.text).toContain('The school was not added');
      expect(res.text).toContain(message);
      expect(res.text).toMatch(/aria-invalid="true"/);
      const [after] = await queryRows<{ n: string }>(h.database.db, sql`select count(*) as n from schools`);
      expect(after?.n).toBe(before?.n);
    },
  );

  it.each([
    { what: 'a real school', sandbox: false },
    { what: 'a sandbox school', sandbox: true },
  ])(
    'when $what already has the name, it is refused with 409, links to it, and changes nothing',
    async ({ sandbox }) => {
      const name = sandbox ? 'Sandbox Academy' : 'Lakeside School';
      await h.database.db.execute(
        sql`insert into schools (name, sandbox, time_zone) values (${name}, ${sandbox}, 'Asia/Tokyo')`,
      );
      const [existing] = await schoolsNamed(name);
      const res = await add({ name: `  ${name} `, timeZone: 'Europe/Madrid', link: 'yes', days: '7' });
      expect(res.status).toBe(409);
      expect(res.text).toContain(`There is already a school named “${name}”`);
      expect(res.text).toContain(`<a href="/admin/schools/${existing?.id}">Open that school</a>`);
      expect(res.text).toContain(`value="  ${name} "`);
      expect(await schoolsNamed(name)).toEqual([{ id: existing?.id, time_zone: 'Asia/Tokyo' }]);
      expect(await invitesOf(existing?.id ?? '')).toBe(0);
    },
  );

  it('when the form token is missing or another session’s, it is refused with 403 and nothing is added', async () => {
    const other = await signIn(h.app);
    for (const csrf of [undefined, other.csrf]) {
      const res = await post(h.app, session, '/admin/schools', {
        ...(csrf ? { _csrf: csrf } : {}),
        name: 'Forged School',
      });
      expect(res.status).toBe(403);
      expect(res.text).toContain('This form has expired');
    }
    expect(await schoolsNamed('Forged School')).toEqual([]);
  });

  it('when nobody is signed in, the form leads to the sign-in page and a post is refused with 401', async () => {
    const form = await get(h.app, undefined, '/admin/schools/new');
    expect(form.status).toBe(303);
    expect(form.headers.location).toBe('/admin/login');
    const res = await post(h.app, undefined, '/admin/schools', {
      _csrf: session.csrf,
      name: 'Anonymous School',
    });
    expect(res.status).toBe(401);
    expect(await schoolsNamed('Anonymous School')).toEqual([]);
  });
});
