import { sql } from 'drizzle-orm';
import type { Router } from 'express';
import request from 'supertest';
import { adminRoutes, consoleCookies } from '../../../src/admin';
import type { Tamper } from '../../../src/sandbox/lms';
import { queryRows } from '../../../src/storage';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';
import { get, post, setPassword, signIn, PASSWORD, type Session } from './console.harness';

/**
 * Issue 11, item 2: the console's pages. Every page and form needs a signed-in operator; the
 * school's page shows its registrations, deployments, Zoom health and latest errors, and its
 * approve / deactivate forms change what launches are accepted.
 */

interface Fixture {
  schoolId: string;
  registrationId: string;
  deploymentId: string;
}

/** Every route of the console but the sign-in page and form, and what a request to it would send. */
const ROUTES: Array<{
  route: string;
  path: (f: Fixture) => string;
  form?: (f: Fixture) => Record<string, string>;
}> = [
  { route: 'GET /', path: () => '/admin/' },
  { route: 'GET /schools', path: () => '/admin/schools' },
  { route: 'GET /schools/:schoolId', path: (f) => `/admin/schools/${f.schoolId}` },
  { route: 'GET /schools/new', path: () => '/admin/schools/new' },
  {
    route: 'POST /schools',
    path: () => '/admin/schools',
    form: () => ({ name: 'A school nobody may add', link: 'yes', days: '7' }),
  },
  { route: 'POST /logout', path: () => '/admin/logout' },
  {
    route: 'POST /schools/:schoolId/invites',
    path: (f) => `/admin/schools/${f.schoolId}/invites`,
    form: () => ({ days: '7' }),
  },
  {
    route: 'POST /schools/:schoolId/retention',
    path: (f) => `/admin/schools/${f.schoolId}/retention`,
    form: () => ({ meetings: '', attendance: '30', logs: '' }),
  },
  {
    route: 'POST /schools/:schoolId/registrations/:registrationId/deployments',
    path: (f) => `/admin/schools/${f.schoolId}/registrations/${f.registrationId}/deployments`,
    form: (f) => ({ deploymentId: f.deploymentId, action: 'deactivate' }),
  },
  {
    route: 'POST /schools/:schoolId/registrations/:registrationId/:action',
    path: (f) => `/admin/schools/${f.schoolId}/registrations/${f.registrationId}/deactivate`,
  },
];
const PUBLIC_ROUTES = ['GET /login', 'POST /login'];

/** What a console form could change. */
const STATE = [
  'schools',
  'registrations',
  'deployments',
  'registration_invites',
  'school_retention',
  'operator_sessions',
  'operator_accounts',
];

function servedRoutes(router: Router): string[] {
  return (router.stack as Array<{ route?: { path: string; methods: Record<string, boolean> } }>).flatMap(
    (layer) =>
      layer.route
        ? Object.keys(layer.route.methods).map((m) => `${m.toUpperCase()} ${layer.route?.path}`)
        : [],
  );
}

describe('the operator console’s pages', () => {
  let h: ZoomHarness;
  let fixture: Fixture;
  let session: Session;

  beforeAll(async () => {
    h = await createZoomHarness();
    await setPassword(h.built, PASSWORD);
    const [registration] = await h.built.tenants.listPlatforms();
    if (!registration) throw new Error('the harness registers an LMS');
    fixture = {
      schoolId: registration.school.id,
      registrationId: registration.id,
      deploymentId: registration.deployments[0] ?? '',
    };
    session = await signIn(h.app);
  });
  afterAll(() => h.close());

  async function state(names = STATE) {
    const tables: Record<string, unknown[]> = {};
    for (const table of names)
      tables[table] = await queryRows(h.database.db, sql.raw(`select * from ${table} order by 1`));
    return tables;
  }

  it('lists every route the console serves', () => {
    const router = adminRoutes({
      admin: h.built.admin,
      cookies: consoleCookies('http://localhost'),
      formsKey: Buffer.alloc(32),
      now: Date.now,
    });
    expect(servedRoutes(router).sort()).toEqual([...ROUTES.map((r) => r.route), ...PUBLIC_ROUTES].sort());
  });

  it.each(ROUTES)(
    '$route without a session: a browser is sent to sign in, anything else gets 401, nothing changes',
    async (route) => {
      const before = await state();
      const [method] = route.route.split(' ');
      const path = route.path(fixture);
      if (method === 'GET') {
        const page = await get(h.app, undefined, path);
        expect(page.status).toBe(303);
        expect(page.headers.location).toBe('/admin/login');
        const api = await get(h.app, undefined, path).accept('json');
        expect(api.status).toBe(401);
        expect(api.body.error).toMatchObject({ id: 'operator_login_required' });
        const forged = await get(
          h.app,
          { ...session, cookie: 'zoom_admin=AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA' },
          path,
        );
        expect(forged.status).toBe(303);
      } else {
        // Even with a form token of a real session: no session cookie, no change.
        const res = await post(h.app, undefined, path, {
          ...route.form?.(fixture),
          _csrf: session.csrf,
        }).accept('json');
        expect(res.status).toBe(401);
        expect(res.body.error).toMatchObject({ id: 'operator_login_required' });
      }
      expect(await state()).toEqual(before);
    },
  );

  it('the schools page lists each school with its time zone, registrations and Zoom status', async () => {
    expect((await h.connectOAuth()).status).toBe(200);
    const page = await get(h.app, session, '/admin/schools');
    expect(page.status).toBe(200);
    expect(page.text).toContain(`href="/admin/schools/${fixture.schoolId}"`);
    expect(page.text).toMatch(
      /moodle school<\/a><\/th>\s*<td>UTC<\/td>\s*<td>1<\/td>\s*<td><span class="status status-connected">Connected/,
    );
  });

  it('a school’s page shows its registration, deployment and Zoom health, and no secret', async () => {
    const page = await get(h.app, session, `/admin/schools/${fixture.schoolId}`);
    expect(page.status).toBe(200);
    expect(page.text).toContain(h.lms.issuer);
    expect(page.text).toContain(`<code>${fixture.deploymentId}</code>`);
    expect(page.text).toContain('Zoom Marketplace app (OAuth)');
    expect(page.text).toMatch(/Access token<\/dt><dd>Expires \S+ \(in \d+ min\)/);
    const row = await h.connectionRow();
    expect(page.text).toContain(String(row?.zoom_account_id));
    for (const column of [
      'access_token_sealed',
      'refresh_token_sealed',
      'webhook_secret_sealed',
      'webhook_id',
    ]) {
      if (typeof row?.[column] === 'string') expect(page.text).not.toContain(row[column]);
    }
    expect(page.text).not.toContain(h.app_.client_secret);
  });

  it('an unknown school, or a registration of another school, is not found and nothing changes', async () => {
    const other = await h.built.invites.create({ school: 'Other school', expiresInMs: 3_600_000 });
    expect(other.school).toBe('Other school');
    const otherId = (await h.built.admin.schools()).find((s) => s.name === 'Other school')?.id ?? '';
    expect(
      (await get(h.app, session, '/admin/schools/00000000-0000-4000-8000-000000000000').accept('json'))
        .status,
    ).toBe(404);
    expect((await get(h.app, session, '/admin/schools/not-a-uuid').accept('json')).status).toBe(400);
    // The operator's own session moves on with each request: the rest must not.
    const changeable = STATE.filter((table) => table !== 'operator_sessions');
    const before = await state(changeable);
    const path = `/admin/schools/${otherId}/registrations/${fixture.registrationId}`;
    expect(
      (await post(h.app, session, `${path}/deactivate`, { _csrf: session.csrf }).accept('json')).status,
    ).toBe(404);
    const deployment = { _csrf: session.csrf, deploymentId: fixture.deploymentId, action: 'deactivate' };
    expect((await post(h.app, session, `${path}/deployments`, deployment).accept('json')).status).toBe(404);
    expect(
      (
        await post(
          h.app,
          session,
          `/admin/schools/${fixture.schoolId}/registrations/${fixture.registrationId}/delete`,
          { _csrf: session.csrf },
        ).accept('json')
      ).status,
    ).toBe(400);
    expect(await state(changeable)).toEqual(before);
  });

  it('a deactivated registration refuses launches (on the school’s error list), and launches again once activated', async () => {
    const path = `/admin/schools/${fixture.schoolId}/registrations/${fixture.registrationId}`;
    const off = await post(h.app, session, `${path}/deactivate`, { _csrf: session.csrf });
    expect(off.status).toBe(303);
    expect(off.headers.location).toBe(`/admin/schools/${fixture.schoolId}`);
    const login = await h.login(h.lms.users.instructor.id);
    expect(login.status).toBe(403);
    const refusal = await request(h.app)
      .post('/lti/login')
      .type('form')
      .accept('json')
      .set('X-Request-Id', 'refused-launch-1')
      .send(h.lms.loginInitiation(h.lms.users.instructor.id));
    expect(refusal.body.error).toMatchObject({ id: 'registration_inactive' });

    const page = await get(h.app, session, `/admin/schools/${fixture.schoolId}`);
    expect(page.text).toContain('Deactivated: launches are refused');
    expect(page.text).toContain('Activate registration');
    // The error list: the refusal's id, request id and path (without its query).
    await new Promise((resolve) => setTimeout(resolve, 100));
    const listed = await get(h.app, session, `/admin/schools/${fixture.schoolId}`);
    expect(listed.text).toMatch(
      /<th scope="row"><code>registration_inactive<\/code><\/th>\s*<td>403<\/td>\s*<td><code>\/lti\/login<\/code><\/td>\s*<td><code>refused-launch-1<\/code>/,
    );

    expect((await post(h.app, session, `${path}/activate`, { _csrf: session.csrf })).status).toBe(303);
    const { course } = await h.launch(h.lms.users.instructor.id);
    expect(course.status).toBe(200);
  });

  it('a deactivated deployment refuses launches, even while new deployments are accepted, until approved again', async () => {
    const path = `/admin/schools/${fixture.schoolId}/registrations/${fixture.registrationId}`;
    const form = (action: string) => ({ _csrf: session.csrf, deploymentId: fixture.deploymentId, action });
    expect((await post(h.app, session, `${path}/deployments`, form('deactivate'))).status).toBe(303);
    await expect(h.launch(h.lms.users.instructor.id)).rejects.toThrow(/launch answered 403/);

    expect((await post(h.app, session, `${path}/accept-new`, { _csrf: session.csrf })).status).toBe(303);
    expect((await h.built.tenants.listPlatforms())[0]?.acceptNewDeployments).toBe(true);
    await expect(h.launch(h.lms.users.instructor.id)).rejects.toThrow(/launch answered 403/);
    expect((await get(h.app, session, `/admin/schools/${fixture.schoolId}`)).text).toContain(
      'unknown_deployment',
    );

    expect((await post(h.app, session, `${path}/deployments`, form('approve'))).status).toBe(303);
    expect((await h.launch(h.lms.users.instructor.id)).course.status).toBe(200);
    expect((await post(h.app, session, `${path}/refuse-new`, { _csrf: session.csrf })).status).toBe(303);
    expect((await h.built.tenants.listPlatforms())[0]?.acceptNewDeployments).toBe(false);
  });

  it('the launch checks’ refusals of a known registration are on its school’s error list, with their request ids', async () => {
    const refused = async (requestId: string, tamper: Tamper) => {
      const { login, idToken, state } = await h.authorize(h.lms.users.learner.id, undefined, tamper);
      const answer = await h
        .postLaunch({ id_token: idToken, state }, login.cookie)
        .accept('json')
        .set('X-Request-Id', requestId);
      return { status: answer.status, id: (answer.body.error as { id: string }).id };
    };
    const unknownDeployment = await refused('refused-deployment-1', {
      claims: (claims) => {
        claims['https://purl.imsglobal.org/spec/lti/claim/deployment_id'] = 'not-registered';
      },
    });
    expect(unknownDeployment).toEqual({ status: 403, id: 'lti_unknown_deployment' });
    const notForUs = await refused('refused-audience-1', {
      claims: (claims) => {
        claims.aud = 'another-tool';
      },
    });
    expect(notForUs).toEqual({ status: 401, id: 'lti_launch_invalid' });

    await new Promise((resolve) => setTimeout(resolve, 100));
    const listed = (await get(h.app, session, `/admin/schools/${fixture.schoolId}`)).text;
    for (const [errorId, status, requestId] of [
      ['lti_unknown_deployment', 403, 'refused-deployment-1'],
      ['lti_launch_invalid', 401, 'refused-audience-1'],
    ])
      expect(listed).toMatch(
        new RegExp(
          `<th scope="row"><code>${errorId}</code></th>\\s*<td>${status}</td>\\s*<td><code>/lti/launch</code></td>\\s*<td><code>${requestId}</code>`,
        ),
      );
  });

  it('makes a one-time registration link for the school, shown once', async () => {
    const res = await post(h.app, session, `/admin/schools/${fixture.schoolId}/invites`, {
      _csrf: session.csrf,
      days: '2',
    });
    expect(res.status).toBe(200);
    const link = /<code class="link">([^<]+)<\/code>/.exec(res.text)?.[1]?.replace(/&amp;/g, '&') ?? '';
    const code = new URL(link).searchParams.get('invite') ?? '';
    expect(await h.built.invites.check(code)).toMatchObject({ schoolId: fixture.schoolId });
    expect((await get(h.app, session, `/admin/schools/${fixture.schoolId}`)).text).not.toContain(code);
    expect(
      (
        await post(h.app, session, `/admin/schools/${fixture.schoolId}/invites`, {
          _csrf: session.csrf,
          days: '0',
        }).accept('json')
      ).status,
    ).toBe(400);
  });
});
