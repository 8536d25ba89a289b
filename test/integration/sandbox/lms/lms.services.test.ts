import crypto from 'node:crypto';
import request from 'supertest';
import { createLmsEmulator, type LmsEmulator, type LmsProfileName } from '../../../../src/sandbox/lms';
import { startToolKeys, type ToolKeys } from './lms.helpers';

const NRPS_SCOPE = 'https://purl.imsglobal.org/spec/lti-nrps/scope/contextmembership.readonly';
const SCORE_SCOPE = 'https://purl.imsglobal.org/spec/lti-ags/scope/score';
const NRPS_CLAIM = 'https://purl.imsglobal.org/spec/lti-nrps/claim/namesroleservice';
const JWT_BEARER = 'urn:ietf:params:oauth:client-assertion-type:jwt-bearer';
const LIS = 'http://purl.imsglobal.org/vocab/lis/v2';
const profiles: LmsProfileName[] = ['moodle', 'canvas'];

describe.each(profiles)('%s emulator: LTI Advantage services', (profile) => {
  let toolKeys: ToolKeys;
  let lms: LmsEmulator;
  let tokenPath: string;

  const assertion = (overrides: Record<string, unknown> = {}, options?: Parameters<ToolKeys['sign']>[1]) =>
    toolKeys.sign(
      {
        iss: lms.clientId,
        sub: lms.clientId,
        aud: lms.tokenUrl,
        iat: Math.floor(Date.now() / 1000),
        exp: Math.floor(Date.now() / 1000) + 300,
        jti: crypto.randomUUID(),
        ...overrides,
      },
      options,
    );
  const tokenRequest = (fields: Record<string, string>) =>
    request(lms.app)
      .post(tokenPath)
      .type('form')
      .send({
        grant_type: 'client_credentials',
        client_assertion_type: JWT_BEARER,
        client_assertion: assertion(),
        scope: NRPS_SCOPE,
        ...fields,
      });
  const accessToken = async (scope = NRPS_SCOPE) => {
    const response = await tokenRequest({ scope }).expect(200);
    return response.body.access_token as string;
  };
  const membershipsUrl = () => {
    const claims = lms.claimsFor(lms.users.instructor.id, { nonce: 'n' });
    return (claims[NRPS_CLAIM] as { context_memberships_url: string }).context_memberships_url;
  };
  const membershipsPath = () => {
    const url = new URL(membershipsUrl());
    return url.pathname + url.search;
  };

  beforeAll(async () => {
    toolKeys = await startToolKeys();
    lms = createLmsEmulator({
      profile,
      tool: {
        loginUrl: `${toolKeys.baseUrl}/lti/login`,
        launchUrl: `${toolKeys.baseUrl}/lti/launch`,
        jwksUrl: toolKeys.jwksUrl,
      },
    });
    await lms.start();
    tokenPath = new URL(lms.tokenUrl).pathname;
  });
  afterAll(async () => {
    await lms.stop();
    await toolKeys.close();
  });

  it('grants an access token for a client assertion signed with a key from the tool JWKS', async () => {
    expect(tokenPath).toBe(profile === 'moodle' ? '/mod/lti/token.php' : '/login/oauth2/token');
    const response = await tokenRequest({ scope: `${NRPS_SCOPE} ${SCORE_SCOPE}` })
      .expect(200)
      .expect('content-type', /json/);
    expect(response.body).toEqual({
      access_token: expect.any(String),
      token_type: 'Bearer',
      expires_in: 3600,
      scope: `${NRPS_SCOPE} ${SCORE_SCOPE}`,
    });
  });

  it('accepts an assertion whose aud is an array holding the token URL', async () => {
    await tokenRequest({
      client_assertion: assertion({ aud: [lms.tokenUrl, 'https://other.example'] }),
    }).expect(200);
  });

  const refusals: [string, () => Record<string, string>, number, string][] = [
    ['a wrong grant_type', () => ({ grant_type: 'authorization_code' }), 400, 'invalid_request'],
    ['a wrong client_assertion_type', () => ({ client_assertion_type: 'urn:other' }), 400, 'invalid_request'],
    ['no scope', () => ({ scope: '' }), 400, 'invalid_request'],
    ['a malformed assertion', () => ({ client_assertion: 'not-a-jwt' }), 401, 'invalid_client'],
    [
      'an assertion for another client',
      () => ({ client_assertion: assertion({ iss: 'x', sub: 'x' }) }),
      401,
      'invalid_client',
    ],
    [
      'a bad signature',
      () => ({
        client_assertion: assertion(
          {},
          { key: crypto.generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey },
        ),
      }),
      401,
      'invalid_client',
    ],
    [
      'a kid not in the tool JWKS',
      () => ({ client_assertion: assertion({}, { kid: 'nope' }) }),
      401,
      'invalid_client',
    ],
    [
      'a wrong aud',
      () => ({ client_assertion: assertion({ aud: 'https://elsewhere.example/token' }) }),
      400,
      'invalid_grant',
    ],
    [
      'an expired assertion',
      () => ({ client_assertion: assertion({ exp: Math.floor(Date.now() / 1000) - 5 }) }),
      400,
      'invalid_grant',
    ],
    ['only scopes outside LTI Advantage', () => ({ scope: 'url:GET|/api/v1/courses' }), 400, 'invalid_scope'],
  ];
  it.each(refusals)('refuses a token request with %s', async (_name, fields, status, error) => {
    const response = await tokenRequest(fields()).expect(status);
    expect(response.body).toEqual({ error, error_description: expect.any(String) });
  });

  it('refuses a client assertion whose jti was already used', async () => {
    const reused = assertion();
    await tokenRequest({ client_assertion: reused }).expect(200);
    const response = await tokenRequest({ client_assertion: reused }).expect(400);
    expect(response.body).toMatchObject({
      error: 'invalid_grant',
      error_description: expect.stringMatching(/jti/),
    });
  });

  it(
    profile === 'moodle'
      ? 'grants the LTI Advantage subset of mixed scopes (Moodle)'
      : 'refuses mixed scopes when one is not allowed (Canvas)',
    async () => {
      const response = await tokenRequest({ scope: `${NRPS_SCOPE} https://example.com/other` });
      if (profile === 'moodle') expect(response.body).toMatchObject({ scope: NRPS_SCOPE });
      else expect(response.status).toBe(400);
    },
  );

  it('lists the course roster from Names and Roles with a valid access token', async () => {
    const path = membershipsPath();
    expect(path).toBe(
      profile === 'moodle'
        ? '/mod/lti/services.php/CourseSection/2/bindings/1/memberships'
        : `/api/lti/courses/${lms.course.id}/names_and_roles`,
    );
    const response = await request(lms.app)
      .get(path)
      .set('Authorization', `Bearer ${await accessToken()}`)
      .expect(200)
      .expect('content-type', /application\/vnd\.ims\.lti-nrps\.v2\.membershipcontainer\+json/);
    const body = JSON.parse(response.text);
    expect(body.id).toBe(membershipsUrl());
    expect(body.context).toEqual({
      id: lms.course.contextId,
      label: lms.course.label,
      title: lms.course.title,
    });
    const launchSubs = [lms.users.instructor, lms.users.learner, lms.users.ta].map(
      (user) => lms.claimsFor(user.id, { nonce: 'n' }).sub,
    );
    expect(body.members.map((member: { user_id: string }) => member.user_id)).toEqual(launchSubs);
    expect(body.members[1]).toMatchObject({
      status: 'Active',
      name: 'Sam Student',
      given_name: 'Sam',
      family_name: 'Student',
      email: lms.users.learner.email,
      roles: [`${LIS}/membership#Learner`],
    });
    for (const member of body.members) {
      for (const role of member.roles) expect(role).not.toMatch(/\/(institution|system)\//);
    }
  });

  it('lists users added with addUser', async () => {
    lms.addUser({
      id: '900',
      givenName: 'Nia',
      familyName: 'New',
      name: 'Nia New',
      roles: [`${LIS}/membership#Learner`],
    });
    const response = await request(lms.app)
      .get(membershipsPath())
      .set('Authorization', `Bearer ${await accessToken()}`);
    const body = JSON.parse(response.text);
    expect(body.members).toHaveLength(4);
    expect(body.members[3]).toMatchObject({ name: 'Nia New', roles: [`${LIS}/membership#Learner`] });
    expect(body.members[3]).not.toHaveProperty('email');
  });

  it('pages Names and Roles with limit and a Link rel="next" header', async () => {
    const token = await accessToken();
    const seen: string[] = [];
    let next: string | undefined = `${membershipsPath()}?limit=2`;
    let pages = 0;
    while (next) {
      const response = await request(lms.app).get(next).set('Authorization', `Bearer ${token}`).expect(200);
      const body = JSON.parse(response.text);
      expect(body.members.length).toBeLessThanOrEqual(2);
      seen.push(...body.members.map((member: { name: string }) => member.name));
      const link = response.headers.link as string | undefined;
      const match = link ? /^<([^>]+)>; rel="next"$/.exec(link) : null;
      if (link) expect(match).not.toBeNull();
      next = match ? new URL(match[1]!).pathname + new URL(match[1]!).search : undefined;
      if (match) expect(match[1]!.startsWith(lms.baseUrl)).toBe(true);
      pages += 1;
    }
    expect(pages).toBe(2);
    expect(seen).toEqual(['Terry Teacher', 'Sam Student', 'Tina Assistant', 'Nia New']);
  });

  it('filters Names and Roles by role', async () => {
    const response = await request(lms.app)
      .get(`${membershipsPath()}?role=${encodeURIComponent(`${LIS}/membership#Learner`)}`)
      .set('Authorization', `Bearer ${await accessToken()}`)
      .expect(200);
    expect(JSON.parse(response.text).members.map((member: { name: string }) => member.name)).toEqual([
      'Sam Student',
      'Nia New',
    ]);
  });

  it('refuses Names and Roles without a token, with an unknown token, and with a token lacking the scope', async () => {
    const path = membershipsPath();
    const none = await request(lms.app).get(path).expect(401);
    expect(none.headers['www-authenticate']).toMatch(/^Bearer/);
    await request(lms.app).get(path).set('Authorization', 'Bearer forged').expect(401);
    const scoreOnly = await accessToken(SCORE_SCOPE);
    await request(lms.app).get(path).set('Authorization', `Bearer ${scoreOnly}`).expect(403);
  });

  it('answers 404 for the memberships of a course it does not have', async () => {
    const path =
      profile === 'moodle'
        ? '/mod/lti/services.php/CourseSection/999/bindings/1/memberships'
        : '/api/lti/courses/999/names_and_roles';
    await request(lms.app)
      .get(path)
      .set('Authorization', `Bearer ${await accessToken()}`)
      .expect(404);
  });
});

describe.each(profiles)('%s emulator with shareEmail false: Names and Roles', (profile) => {
  it('withholds member emails', async () => {
    const toolKeys = await startToolKeys();
    const lms = createLmsEmulator({
      profile,
      shareEmail: false,
      tool: {
        loginUrl: `${toolKeys.baseUrl}/l`,
        launchUrl: `${toolKeys.baseUrl}/r`,
        jwksUrl: toolKeys.jwksUrl,
      },
    });
    await lms.start();
    try {
      const now = Math.floor(Date.now() / 1000);
      const token = await request(lms.app)
        .post(new URL(lms.tokenUrl).pathname)
        .type('form')
        .send({
          grant_type: 'client_credentials',
          client_assertion_type: JWT_BEARER,
          client_assertion: toolKeys.sign({
            iss: lms.clientId,
            sub: lms.clientId,
            aud: lms.tokenUrl,
            iat: now,
            exp: now + 60,
            jti: crypto.randomUUID(),
          }),
          scope: NRPS_SCOPE,
        })
        .expect(200);
      const url = new URL(
        (
          lms.claimsFor(lms.users.learner.id, { nonce: 'n' })[NRPS_CLAIM] as {
            context_memberships_url: string;
          }
        ).context_memberships_url,
      );
      const response = await request(lms.app)
        .get(url.pathname)
        .set('Authorization', `Bearer ${token.body.access_token}`)
        .expect(200);
      const members = JSON.parse(response.text).members as Record<string, unknown>[];
      expect(members).toHaveLength(3);
      for (const member of members) {
        expect(member).not.toHaveProperty('email');
        expect(member.name).toEqual(expect.any(String));
      }
    } finally {
      await lms.stop();
      await toolKeys.close();
    }
  });
});
