import { sql } from 'drizzle-orm';
import {
  createConsoleHarness,
  get,
  loginForm,
  postLogin,
  signIn,
  type ConsoleHarness,
} from './console.harness';

/** What the operator reads: code as code (never Markdown backticks), and which schools are the sandbox's. */
describe('the operator console’s text', () => {
  let h: ConsoleHarness;
  beforeAll(async () => {
    h = await createConsoleHarness();
  });
  afterAll(() => h.close());

  it('when the password is wrong, the command to set one reads as code, with no backtick', async () => {
    const res = await postLogin(h.app, await loginForm(h.app), { password: 'not the password at all' });
    expect(res.status).toBe(401);
    const alert = /<div class="alert" role="alert"[\s\S]*?<\/div>/.exec(res.text)?.[0] ?? '';
    expect(alert).toContain('Wrong operator name or password');
    expect(alert).toContain('<code>npm run cli -- operator password</code>');
    expect(alert).not.toContain('`');
  });

  it('the schools list marks the sandbox’s schools "Sandbox", and only them', async () => {
    await h.database.db.execute(
      sql`insert into schools (name, sandbox) values ('Sandbox school', true), ('Real school', false)`,
    );
    const page = await get(h.app, await signIn(h.app), '/admin/schools');
    expect(page.status).toBe(200);
    const rowOf = (name: string) =>
      [...page.text.matchAll(/<tr>[\s\S]*?<\/tr>/g)].map(([row]) => row).find((row) => row.includes(name)) ??
      '';
    expect(rowOf('Sandbox school')).toMatch(/<span class="tag sandbox">Sandbox<\/span>/);
    expect(rowOf('Real school')).not.toContain('Sandbox</span>');
  });
});
