import { sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows } from '../../../src/storage';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';

/**
 * `GET /lti/register`: only a one-time link made by `school invite` registers. Without a code, or
 * with an unknown (tampered), expired or used one, the page says whom to ask and nothing is stored;
 * a registration that fails after the code was taken gives the code back.
 */
describe('dynamic registration refusals', () => {
  let h: LtiHarness;
  const LMS_CONFIG = 'https://moodle.school.example/mod/lti/openid-configuration.php';

  beforeAll(async () => {
    h = await createLtiHarness({ profile: 'moodle' });
  });
  afterAll(() => h.close());

  const invite = async () => {
    const made = await h.built.invites.create({ school: 'Invited High', expiresInMs: 3600_000 });
    return new URL(made.registrationUrl).searchParams.get('invite') ?? '';
  };
  const register = (query: Record<string, string>) =>
    request(h.app).get('/lti/register').query(query).accept('html');
  const counts = async () => {
    const [row] = await queryRows<{ registrations: number | string; used: number | string }>(
      h.database.db,
      sql`select (select count(*) from registrations) as registrations,
                 (select count(*) from registration_invites where used_at is not null) as used`,
    );
    return { registrations: Number(row?.registrations), used: Number(row?.used) };
  };

  it.each([
    ['no code', async () => ({ openid_configuration: LMS_CONFIG })],
    ['a tampered code', async () => ({ invite: `${await invite()}x`, openid_configuration: LMS_CONFIG })],
    [
      'an expired code',
      async () => {
        const code = await invite();
        await h.database.db.execute(
          sql`update registration_invites set expires_at = now() - interval '1 minute'`,
        );
        return { invite: code, openid_configuration: LMS_CONFIG };
      },
    ],
    [
      'a used code',
      async () => {
        const code = await invite();
        await h.database.db.execute(sql`update registration_invites set used_at = now()`);
        return { invite: code, openid_configuration: LMS_CONFIG };
      },
    ],
  ])('with %s: refused with a page saying whom to ask, nothing stored', async (_name, query) => {
    const before = await counts();
    const refused = await register(await query());
    expect(refused.status).toBe(403);
    expect(refused.text).toContain('registration_invite_invalid');
    expect(refused.text).toContain('Ask the operator of this Zoom tool');
    expect((await counts()).registrations).toBe(before.registrations);
    // The LMS that opened the page may frame the refusal, so its admin sees it.
    expect(String(refused.headers['content-security-policy'])).toMatch(
      /frame-ancestors [^;]*https:\/\/moodle\.school\.example/,
    );
  });

  it('opened without the LMS’s parameters: says where to paste it, and the code still works', async () => {
    const code = await invite();
    const page = await register({ invite: code });
    expect(page.status).toBe(400);
    expect(page.text).toMatch(/paste it there/);
    await expect(h.built.invites.check(code)).resolves.toMatchObject({ schoolName: 'Invited High' });
  });

  it('when the LMS cannot be reached: registration_failed, nothing stored, and the code works again', async () => {
    const code = await invite();
    const before = await counts();
    const failed = await register({
      invite: code,
      openid_configuration: 'http://127.0.0.1:9/mod/lti/openid-configuration.php',
      registration_token: 'token',
    });
    expect(failed.status).toBe(502);
    expect(failed.text).toContain('registration_failed');
    expect(await counts()).toEqual(before);
    await expect(h.built.invites.check(code)).resolves.toMatchObject({ schoolName: 'Invited High' });
  });
});
