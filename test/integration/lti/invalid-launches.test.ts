import crypto from 'node:crypto';
import { sql } from 'drizzle-orm';
import request from 'supertest';
import { createLtiHarness, type LtiHarness } from '../../support/lti-harness';
import type { Tamper } from '../../../src/sandbox/lms';

const CLAIM = 'https://purl.imsglobal.org/spec/lti/claim/';

type Claims = Record<string, unknown>;
const now = () => Math.floor(Date.now() / 1000);

/**
 * Each forged or broken launch is refused with a 4xx page that says why, and none creates a
 * session (no ltijs id/context token, no ltik).
 */
describe.each(['moodle', 'canvas'] as const)('refused launches (%s)', (profile) => {
  let lti: LtiHarness;
  beforeAll(async () => {
    lti = await createLtiHarness({ profile });
  });
  afterAll(() => lti.close());

  async function expectRefused(response: request.Response, status: number | RegExp, reason: RegExp) {
    if (typeof status === 'number') expect(response.status).toBe(status);
    else expect(String(response.status)).toMatch(status);
    expect(response.status).toBeGreaterThanOrEqual(400);
    expect(response.status).toBeLessThan(500);
    expect(response.headers['content-type']).toMatch(/html/);
    expect(response.text).toMatch(reason);
    expect(response.text).toContain('What to do');
    expect(response.headers.location).toBeUndefined();
    expect(await lti.sessionCount()).toBe(0);
  }

  async function tamperedLaunch(tamper: Tamper) {
    const { login, idToken, state } = await lti.authorize(lti.lms.users.instructor.id, undefined, tamper);
    return lti.postLaunch({ id_token: idToken, state }, login.cookie);
  }

  const claimCases: [string, (claims: Claims) => void, number, RegExp][] = [
    [
      'wrong iss',
      (c) => void (c.iss = 'https://evil.example'),
      401,
      /issuer \(iss\) is https:\/\/evil\.example/,
    ],
    ['wrong aud', (c) => void (c.aud = 'someone-else'), 401, /not addressed to this tool/],
    [
      'azp mismatch',
      (c) => {
        c.aud = [String(lti.lms.clientId), 'another-client'];
        c.azp = 'another-client';
      },
      401,
      /authorized party \(azp\) is not this tool/,
    ],
    [
      'expired',
      (c) => {
        c.iat = now() - 30;
        c.exp = now() - 5;
      },
      401,
      /has expired/,
    ],
    [
      'iat too old',
      (c) => {
        c.iat = now() - 3600;
        c.exp = now() + 600;
      },
      401,
      /issued too long ago/,
    ],
    [
      'nonce not the one sent',
      (c) => void (c.nonce = crypto.randomBytes(16).toString('hex')),
      401,
      /does not carry the nonce this tool sent/,
    ],
    ['missing deployment', (c) => void delete c[`${CLAIM}deployment_id`], 401, /names no deployment/],
    [
      'unknown deployment',
      (c) => void (c[`${CLAIM}deployment_id`] = 'not-registered'),
      403,
      /Deployment not-registered is not registered/,
    ],
    ['wrong version', (c) => void (c[`${CLAIM}version`] = '1.1.0'), 401, /not LTI version 1\.3\.0/],
    ['missing message type', (c) => void delete c[`${CLAIM}message_type`], 401, /no supported message type/],
    ['missing sub', (c) => void delete c.sub, 401, /names no user \(sub\)/],
    [
      'target_link_uri not ours (in the token)',
      (c) => void (c[`${CLAIM}target_link_uri`] = 'https://evil.example/launch'),
      400,
      /target_link_uri \(https:\/\/evil\.example\/launch\) is not this tool/,
    ],
    [
      'missing resource link',
      (c) => void delete c[`${CLAIM}resource_link`],
      400,
      /must name the link it came from/,
    ],
  ];

  it.each(claimCases)('%s', async (_name, mutate, status, reason) => {
    await expectRefused(await tamperedLaunch({ claims: (claims) => void mutate(claims) }), status, reason);
  });

  const signatureCases: [string, Tamper, RegExp][] = [
    ['bad signature', { sign: 'foreign-key' }, /signature does not verify/],
    ['unknown kid', { sign: 'unknown-kid' }, /key \(kid\) the LMS does not publish/],
    ['alg none', { sign: 'none' }, /signed with none; only RS256/],
    ['HS256 signed with the public key', { sign: 'hs256-with-public-key' }, /signed with HS256; only RS256/],
  ];

  it.each(signatureCases)('%s', async (_name, tamper, reason) => {
    await expectRefused(await tamperedLaunch(tamper), 401, reason);
  });

  it('a payload altered after signing fails the signature check', async () => {
    const { login, idToken, state } = await lti.authorize(lti.lms.users.learner.id);
    const [header, payload, signature] = idToken.split('.');
    const claims = JSON.parse(Buffer.from(payload ?? '', 'base64url').toString()) as Claims;
    claims[`${CLAIM}roles`] = ['http://purl.imsglobal.org/vocab/lis/v2/membership#Instructor'];
    const forged = [header, Buffer.from(JSON.stringify(claims)).toString('base64url'), signature].join('.');
    await expectRefused(
      await lti.postLaunch({ id_token: forged, state }, login.cookie),
      401,
      /signature does not verify/,
    );
  });

  it('a replayed id token is refused (its state was used)', async () => {
    const { login, idToken, state } = await lti.authorize(lti.lms.users.learner.id);
    const first = await lti.postLaunch({ id_token: idToken, state }, login.cookie);
    expect(first.status).toBe(303);
    const before = await lti.sessionCount();
    const replay = await lti.postLaunch({ id_token: idToken, state }, login.cookie);
    expect(replay.status).toBe(400);
    expect(replay.text).toMatch(/state is unknown, already used or expired/);
    expect(await lti.sessionCount()).toBe(before);
    // Clean slate for the other cases, which assert that no session exists.
    await lti.database.db.execute(
      sql`delete from ltijs_documents where collection in ('idtoken', 'contexttoken')`,
    );
  });

  it('a reused nonce (from an earlier login) is refused', async () => {
    const earlier = await lti.login(lti.lms.users.learner.id);
    await expectRefused(
      await tamperedLaunch({ claims: (claims) => void (claims.nonce = earlier.nonce) }),
      401,
      /does not carry the nonce this tool sent/,
    );
  });

  it('a launch without state is refused', async () => {
    const { login, idToken } = await lti.authorize(lti.lms.users.learner.id);
    await expectRefused(await lti.postLaunch({ id_token: idToken }, login.cookie), 400, /carries no state/);
  });

  it('a launch whose login expired is refused', async () => {
    const { login, idToken, state } = await lti.authorize(lti.lms.users.learner.id);
    await lti.database.db.execute(
      sql`update lti_login_states set expires_at = now() - interval '1 second' where state = ${state}`,
    );
    await expectRefused(
      await lti.postLaunch({ id_token: idToken, state }, login.cookie),
      400,
      /already used or expired/,
    );
  });

  it('a launch with a state this tool never issued is refused', async () => {
    const { login, idToken } = await lti.authorize(lti.lms.users.learner.id);
    await expectRefused(
      await lti.postLaunch({ id_token: idToken, state: 'made-up-state' }, login.cookie),
      400,
      /state is unknown/,
    );
  });

  /**
   * A login that keeps its state only in the cookie (Canvas's platform storage is refused here; a
   * login that keeps it there is confirmed in the browser: client-state.test.ts).
   */
  async function authorizeWithCookieOnly() {
    const login = await lti.login(lti.lms.users.learner.id, undefined, { lti_storage_target: '' });
    const answer = await lti.lms.authorize(login.location);
    return { login, idToken: answer.fields.id_token, state: answer.fields.state };
  }

  it('a launch whose state cookie belongs to another login (mismatched state) is refused', async () => {
    const other = await lti.login(lti.lms.users.learner.id);
    const { idToken, state } = await authorizeWithCookieOnly();
    await expectRefused(
      await lti.postLaunch({ id_token: idToken, state }, other.cookie),
      401,
      /state cookie did not come back/,
    );
  });

  it('a launch without the state cookie is refused', async () => {
    const { idToken, state } = await authorizeWithCookieOnly();
    await expectRefused(
      await lti.postLaunch({ id_token: idToken, state }),
      401,
      /state cookie did not come back/,
    );
  });

  it('a launch with no id token is refused', async () => {
    const { login, state } = await lti.authorize(lti.lms.users.learner.id);
    await expectRefused(await lti.postLaunch({ state }, login.cookie), 401, /carries no id token/);
  });

  it('an unknown client at login is refused', async () => {
    const login = await lti.login(lti.lms.users.learner.id, undefined, { client_id: 'unknown-client' });
    expect(login.status).toBe(400);
    expect(login.setCookie).toBe('');
    const page = await request(lti.app)
      .post('/lti/login')
      .type('form')
      .accept('html')
      .send({ ...lti.lms.loginInitiation(lti.lms.users.learner.id), client_id: 'unknown-client' });
    await expectRefused(page, 400, /No registration matches issuer .* and client id unknown-client/);
  });

  it('a login whose target_link_uri is not ours is refused', async () => {
    const page = await request(lti.app)
      .post('/lti/login')
      .type('form')
      .accept('html')
      .send({
        ...lti.lms.loginInitiation(lti.lms.users.learner.id),
        target_link_uri: 'https://evil.example/lti/launch',
      });
    await expectRefused(page, 400, /launches only at http:\/\/localhost:3000\/lti\/launch/);
  });

  it('a login without login_hint is refused', async () => {
    const params = lti.lms.loginInitiation(lti.lms.users.learner.id);
    delete params.login_hint;
    const page = await request(lti.app).post('/lti/login').type('form').accept('html').send(params);
    await expectRefused(page, 400, /login_hint is missing/);
  });

  it('an API client gets the refusal as JSON with a stable id', async () => {
    const response = await request(lti.app)
      .post('/lti/launch')
      .type('form')
      .accept('json')
      .send({ id_token: 'x.y.z' });
    expect(response.status).toBe(400);
    expect(response.body.error).toMatchObject({ id: 'lti_state_invalid', status: 400 });
  });
});
