import { sql } from 'drizzle-orm';
import request from 'supertest';
import { queryRows } from '../../../src/storage';
import { databaseKinds } from '../../support/db';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';
import { startRegistrationLms, type RegistrationLms } from '../../support/registration-lms';

/**
 * `GET /lti/register`: only a one-time link made by `school invite` registers. Without a code, or
 * with an unknown (tampered), expired or used one, the page says whom to ask and nothing is stored;
 * a registration that fails after the code was taken gives the code back, four times: the fifth
 * failure spends it. A failure shows the LMS's status, never its answer. An LMS that claims another
 * school's issuer is refused.
 */
describe.each(databaseKinds('one'))('dynamic registration refusals (%s)', (databaseKind) => {
  let h: LtiHarness;
  let lms: RegistrationLms;
  const LMS_CONFIG = 'https://moodle.school.example/mod/lti/openid-configuration.php';

  beforeAll(async () => {
    h = await createLtiHarness({ profile: 'moodle', databaseKind });
    lms = await startRegistrationLms();
  });
  afterAll(async () => {
    await lms.close();
    await h.close();
  });
  afterEach(() => lms.reset());

  const invite = async () => {
    const made = await h.built.invites.create({ school: 'Invited High', expiresInMs: 3600_000 });
    return new URL(made.registrationUrl).searchParams.get('invite') ?? '';
  };
  const register = (query: Record<string, string>) =>
    request(h.app).get('/lti/register').query(query).accept('html');
  const failuresOf = async (code: string) => {
    const [row] = await queryRows<{ failures: number | string }>(
      h.database.db,
      sql`select failed_attempts as failures from registration_invites
          where code_hash = encode(sha256(convert_to(${code}, 'UTF8')), 'hex')`,
    );
    return Number(row?.failures);
  };
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

  it('when the LMS cannot be reached: registration_failed, nothing stored, the failure counted, and the code works again', async () => {
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
    expect(await failuresOf(code)).toBe(1);
    await expect(h.built.invites.check(code)).resolves.toMatchObject({ schoolName: 'Invited High' });
  });

  it('when the LMS answers an error: the page shows its status only, never its body', async () => {
    lms.answer('/openid-configuration', (res) => {
      res.writeHead(500, { 'content-type': 'text/html' });
      res.end('<h1>Fatal</h1> SQLSTATE[28000] password for user moodle: hunter2');
    });
    const failed = await register({ invite: await invite(), openid_configuration: lms.configurationUrl });
    expect(failed.status).toBe(502);
    expect(failed.text).toContain('registration_failed');
    expect(failed.text).toContain('answered HTTP 500');
    expect(failed.text).not.toMatch(/hunter2|SQLSTATE|Fatal/);
  });

  it('the fifth failure spends the link: its page says so, and the link is refused after it', async () => {
    lms.answer('/openid-configuration', (res) => {
      res.writeHead(503);
      res.end();
    });
    const code = await invite();
    const before = await counts();
    const hitsBefore = lms.hits.length;
    const statuses: number[] = [];
    for (let attempt = 1; attempt <= 4; attempt++) {
      const failed = await register({ invite: code, openid_configuration: lms.configurationUrl });
      statuses.push(failed.status);
      expect(failed.text).toContain('registration_failed');
    }
    expect(statuses).toEqual([502, 502, 502, 502]);
    const fifth = await register({ invite: code, openid_configuration: lms.configurationUrl });
    expect(fifth.status).toBe(403);
    expect(fifth.text).toContain('registration_invite_spent');
    expect(fifth.text).toContain('answered HTTP 503');
    expect(fifth.text).toMatch(/used up/);
    expect(fifth.text).toContain('for a new registration link');

    // The LMS is now fine, but the link is spent: nothing is fetched and nothing is registered.
    lms.reset();
    const sixth = await register({ invite: code, openid_configuration: lms.configurationUrl });
    expect(sixth.status).toBe(403);
    expect(sixth.text).toContain('registration_invite_spent');
    expect(lms.hits.length - hitsBefore).toBe(5);
    expect(await failuresOf(code)).toBe(5);
    expect((await counts()).registrations).toBe(before.registrations);
    await expect(h.built.invites.check(code)).rejects.toMatchObject({ id: 'registration_invite_spent' });
  });

  it('an LMS claiming the issuer of another school’s registration: 409, nothing registered, nothing posted to it', async () => {
    // The harness's Moodle is registered for “moodle school”; this LMS claims its issuer for “Invited High”.
    lms.configure({ issuer: h.lms.issuer });
    {
      const before = await counts();
      const hitsBefore = lms.hits.length;
      const refused = await register({ invite: await invite(), openid_configuration: lms.configurationUrl });
      expect(refused.status).toBe(409);
      expect(refused.text).toContain('registration_issuer_taken');
      expect(refused.text).toContain('platform remove');
      expect((await counts()).registrations).toBe(before.registrations);
      expect(lms.hits.slice(hitsBefore).map((hit) => hit.path)).toEqual(['/openid-configuration']);
      const schools = await queryRows<{ name: string }>(
        h.database.db,
        sql`select s.name from registrations r join schools s on s.id = r.school_id where r.issuer = ${h.lms.issuer}`,
      );
      expect(schools).toEqual([{ name: 'moodle school' }]);
    }
  });

  it('one LMS serving several schools under one issuer (Canvas Cloud) registers for each, with a client id each', async () => {
    lms.configure({ issuer: 'https://canvas.shared-cloud.example' });
    {
      const first = await register({ invite: await invite(), openid_configuration: lms.configurationUrl });
      expect(first.status).toBe(200);
      const other = await h.built.invites.create({ school: 'Other College', expiresInMs: 3600_000 });
      const code = new URL(other.registrationUrl).searchParams.get('invite') ?? '';
      const second = await register({ invite: code, openid_configuration: lms.configurationUrl });
      expect(second.status).toBe(200);
      const rows = await queryRows<{ name: string; client_id: string }>(
        h.database.db,
        sql`select s.name, r.client_id from registrations r join schools s on s.id = r.school_id
            where r.issuer = 'https://canvas.shared-cloud.example' order by s.name`,
      );
      expect(rows.map((row) => row.name)).toEqual(['Invited High', 'Other College']);
      expect(new Set(rows.map((row) => row.client_id)).size).toBe(2);
    }
  });

  it.each([
    [
      'grants Names and Roles only (grades off)',
      { scope: 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly' },
    ],
    ['grants nothing', { scope: '' }],
    ['answers a scope that is not a string', { scope: ['odd'] }],
  ])(
    'an LMS that %s still registers: the tool does without what it was not given',
    async (_name, granted) => {
      lms.answer('/register', (res) => {
        res.setHeader('content-type', 'application/json');
        res.end(
          JSON.stringify({
            client_id: `client-${granted.scope.length}-${lms.hits.length}`,
            ...granted,
            'https://purl.imsglobal.org/spec/lti-tool-configuration': { deployment_id: '1' },
          }),
        );
      });
      const before = await counts();
      const page = await register({ invite: await invite(), openid_configuration: lms.configurationUrl });
      expect(page.status).toBe(200);
      expect(await counts()).toEqual({
        registrations: before.registrations + 1,
        used: before.used + 1,
      });
    },
  );

  it('the same school may add a second registration of its own issuer', async () => {
    lms.configure({ issuer: 'https://moodle.invited-high.example' });
    {
      const first = await register({ invite: await invite(), openid_configuration: lms.configurationUrl });
      expect(first.status).toBe(200);
      const second = await register({ invite: await invite(), openid_configuration: lms.configurationUrl });
      expect(second.status).toBe(200);
      const rows = await queryRows<{ name: string }>(
        h.database.db,
        sql`select s.name from registrations r join schools s on s.id = r.school_id
            where r.issuer = 'https://moodle.invited-high.example'`,
      );
      expect(rows).toEqual([{ name: 'Invited High' }, { name: 'Invited High' }]);
    }
  });
});

/**
 * With a public PUBLIC_URL, a registration reaches only public addresses: every spelling of a
 * loopback or private address is refused before any request, the page says so (and how the
 * operator allows an LMS on a private network), nothing is stored and the failure is counted.
 */
describe('dynamic registration with a public PUBLIC_URL', () => {
  let h: LtiHarness;
  let lms: RegistrationLms;

  beforeAll(async () => {
    h = await createLtiHarness({ profile: 'moodle', env: { PUBLIC_URL: 'https://tool.example.edu' } });
    lms = await startRegistrationLms();
  });
  afterAll(async () => {
    await lms.close();
    await h.close();
  });

  const invite = async () => {
    const made = await h.built.invites.create({ school: 'Public High', expiresInMs: 3600_000 });
    return new URL(made.registrationUrl).searchParams.get('invite') ?? '';
  };

  it.each([
    'localhost',
    '[::1]',
    '127.0.0.1',
    '127.1',
    '2130706433',
    '0x7f000001',
    '0177.0.0.1',
    '[::ffff:127.0.0.1]',
    '10.0.0.8',
    '192.168.1.20',
    '172.20.0.3',
    '100.64.1.1',
    '169.254.169.254',
    '[fe80::1]',
    '[fd00::1]',
    '0.0.0.0',
  ])('a configuration URL on %s is refused, nothing reached or stored', async (host) => {
    const port = new URL(lms.url).port;
    const code = await invite();
    const hitsBefore = lms.hits.length;
    const refused = await request(h.app)
      .get('/lti/register')
      .query({ invite: code, openid_configuration: `http://${host}:${port}/openid-configuration` })
      .accept('html');
    expect(refused.status).toBe(502);
    expect(refused.text).toContain('registration_failed');
    expect(refused.text).toContain('does not reach');
    expect(refused.text).toContain('REGISTRATION_ALLOWED_HOSTS');
    expect(lms.hits.length).toBe(hitsBefore);
    const [row] = await queryRows<{ registrations: number | string; failures: number | string }>(
      h.database.db,
      sql`select (select count(*) from registrations where school_id = i.school_id) as registrations,
                 i.failed_attempts as failures
          from registration_invites i
          where i.code_hash = encode(sha256(convert_to(${code}, 'UTF8')), 'hex')`,
    );
    expect({ registrations: Number(row?.registrations), failures: Number(row?.failures) }).toEqual({
      registrations: 0,
      failures: 1,
    });
  });

  it('a configuration that names a registration endpoint on a private address: nothing is posted there', async () => {
    const inner = await startRegistrationLms();
    try {
      // The operator allowed this LMS's host; the endpoint its configuration names is another host.
      const allowed = await createLtiHarness({
        profile: 'moodle',
        env: { PUBLIC_URL: 'https://tool.example.edu', REGISTRATION_ALLOWED_HOSTS: '127.0.0.1' },
      });
      try {
        inner.answer('/openid-configuration', (res) => {
          res.setHeader('content-type', 'application/json');
          res.end(
            JSON.stringify({
              issuer: 'https://lms.allowed.example',
              authorization_endpoint: `${inner.url}/auth`,
              token_endpoint: `${inner.url}/token`,
              jwks_uri: `${inner.url}/jwks`,
              registration_endpoint: `http://[::ffff:7f00:1]:${new URL(lms.url).port}/register`,
            }),
          );
        });
        const made = await allowed.built.invites.create({ school: 'Allowed High', expiresInMs: 3600_000 });
        const code = new URL(made.registrationUrl).searchParams.get('invite') ?? '';
        const hitsBefore = lms.hits.length;
        const refused = await request(allowed.app)
          .get('/lti/register')
          .query({ invite: code, openid_configuration: inner.configurationUrl })
          .accept('html');
        expect(refused.status).toBe(502);
        expect(refused.text).toContain('registration service');
        expect(refused.text).toContain('does not reach');
        expect(inner.hits.map((hit) => hit.path)).toEqual(['/openid-configuration']);
        expect(lms.hits.length).toBe(hitsBefore);
      } finally {
        await allowed.close();
      }
    } finally {
      await inner.close();
    }
  });
});
