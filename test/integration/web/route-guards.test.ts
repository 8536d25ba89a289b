import { sql } from 'drizzle-orm';
import type { Router } from 'express';
import request from 'supertest';
import { queryRows } from '../../../src/storage';
import { createZoomHarness, type ZoomHarness } from '../../support/zoom-harness';

/**
 * Every school-admin route under /lti/zoom refuses anyone but a school administrator, before it
 * changes anything or asks Zoom: no ltik or a bad one → 401 launch_required; a learner's, an
 * instructor's or a teaching assistant's valid ltik → 403 forbidden. The routes are listed here by
 * hand; the last test fails when the app serves a /lti/zoom route this list does not name.
 */
interface GuardedRoute {
  route: string;
  /** A form an administrator could send with success, so that a missing guard would change something. */
  form?: (h: Fixture) => Record<string, string>;
}

interface Fixture {
  s2s: { accountId: string; clientId: string; clientSecret: string };
  instructor: { issuer: string; userId: string };
}

const ROUTES: GuardedRoute[] = [
  { route: 'GET /lti/zoom' },
  { route: 'GET /lti/zoom/status' },
  { route: 'POST /lti/zoom/oauth' },
  { route: 'POST /lti/zoom/s2s', form: (f) => f.s2s },
  { route: 'GET /lti/zoom/disconnect' },
  { route: 'POST /lti/zoom/disconnect', form: () => ({ confirm: 'yes' }) },
  // Behind a form token too (bound to the admin's ltik): a missing guard would answer csrf_invalid, not forbidden.
  { route: 'POST /lti/zoom/self-check' },
  { route: 'POST /lti/zoom/connect-link', form: () => ({ days: '7' }) },
  { route: 'POST /lti/zoom/connect-link/withdraw' },
  { route: 'GET /lti/zoom/people' },
  { route: 'POST /lti/zoom/people/check', form: (f) => f.instructor },
  {
    route: 'POST /lti/zoom/settings',
    form: () => ({ action: 'autoCreate', licence: 'basic', whenNoSeat: 'refuse' }),
  },
];

type Caller = 'none' | 'garbage' | 'tampered' | 'learner' | 'instructor' | 'ta';

const CALLERS: Array<{ caller: string; ltik: Caller; status: number; error: string }> = [
  { caller: 'without an ltik', ltik: 'none', status: 401, error: 'launch_required' },
  { caller: 'with a garbage ltik', ltik: 'garbage', status: 401, error: 'launch_required' },
  {
    caller: 'with an administrator’s ltik whose signature was altered',
    ltik: 'tampered',
    status: 401,
    error: 'launch_required',
  },
  { caller: 'with a learner’s ltik', ltik: 'learner', status: 403, error: 'forbidden' },
  { caller: 'with an instructor’s ltik', ltik: 'instructor', status: 403, error: 'forbidden' },
  { caller: 'with a teaching assistant’s ltik', ltik: 'ta', status: 403, error: 'forbidden' },
];

/** What a school-admin route could change: the school's Zoom connection, attempts, settings, people. */
const STATE_TABLES = [
  'zoom_connections',
  'zoom_oauth_states',
  'zoom_connect_links',
  'provisioning_settings',
  'zoom_users',
];

/** Changes one character of the signature's first (fully significant) base64url digit. */
function alterSignature(ltik: string): string {
  const [header, payload, signature] = ltik.split('.');
  if (!header || !payload || !signature) throw new Error('an ltik is expected to be a JWT');
  return `${header}.${payload}.${signature.startsWith('A') ? 'B' : 'A'}${signature.slice(1)}`;
}

interface RouterLayer {
  route?: { path: string; methods: Record<string, boolean> };
  handle: unknown;
  regexp: RegExp & { fast_slash?: boolean };
}

/** `METHOD /lti<path>` of every route reachable through the protected router (which is mounted at /lti). */
function servedRoutes(router: Router): string[] {
  const found: string[] = [];
  for (const layer of router.stack as RouterLayer[]) {
    if (layer.route) {
      const { path, methods } = layer.route;
      for (const method of Object.keys(methods)) found.push(`${method.toUpperCase()} /lti${path}`);
      continue;
    }
    const nested = layer.handle as Partial<Router>;
    if (!Array.isArray(nested.stack)) continue;
    if (!layer.regexp.fast_slash) {
      throw new Error(
        `a router is mounted under a path (${String(layer.regexp)}): teach servedRoutes its prefix`,
      );
    }
    found.push(...servedRoutes(nested as Router));
  }
  return found;
}

describe('the school-admin routes under /lti/zoom refuse everyone but a school administrator', () => {
  let h: ZoomHarness;
  let fixture: Fixture;
  const ltiks = new Map<Caller, string | undefined>();

  beforeAll(async () => {
    h = await createZoomHarness();
    // Connected, with a provisioned instructor: disconnect and "check again" would have work to do.
    expect((await h.connectOAuth()).status).toBe(200);
    const { users } = h.lms;
    ltiks.set('none', undefined);
    ltiks.set('garbage', 'not-an-ltik');
    ltiks.set('tampered', alterSignature(await h.adminLtik()));
    ltiks.set('learner', (await h.launch(users.learner.id)).ltik);
    ltiks.set('instructor', (await h.launch(users.instructor.id)).ltik);
    ltiks.set('ta', (await h.launch(users.ta.id)).ltik);
    const other = await h.zoom.createAccount({ plan: 'pro' });
    const s2s = await h.zoom.createApp({ kind: 's2s', account_id: other.account_id });
    fixture = {
      s2s: { accountId: other.account_id, clientId: s2s.client_id, clientSecret: s2s.client_secret },
      instructor: { issuer: h.lms.issuer, userId: users.instructor.id },
    };
  });
  afterAll(() => h.close());

  async function state() {
    const tables: Record<string, unknown[]> = {};
    for (const table of STATE_TABLES) {
      tables[table] = await queryRows(h.database.db, sql.raw(`select * from ${table} order by 1`));
    }
    return tables;
  }

  function send(route: GuardedRoute, ltik: string | undefined) {
    const [method, path] = route.route.split(' ') as ['GET' | 'POST', string];
    const withLtik = ltik === undefined ? {} : { ltik };
    if (method === 'GET') return request(h.app).get(path).query(withLtik).accept('json');
    return request(h.app)
      .post(path)
      .type('form')
      .accept('json')
      .send({ ...route.form?.(fixture), ...withLtik });
  }

  it('starts from a connected school with a provisioned instructor', async () => {
    const before = await state();
    expect(before.zoom_connections).toEqual([expect.objectContaining({ status: 'connected' })]);
    expect(before.zoom_users).toEqual(
      expect.arrayContaining([expect.objectContaining({ lms_user_id: h.lms.users.instructor.id })]),
    );
  });

  it.each(ROUTES.flatMap((route) => CALLERS.map((caller) => ({ ...route, ...caller }))))(
    'when $route is requested $caller, it answers $status $error and changes nothing',
    async ({ status, error, ltik, ...route }) => {
      const before = await state();
      h.zoom.clearRequests();
      const res = await send(route, ltiks.get(ltik));
      expect(res.status).toBe(status);
      expect(res.body).toEqual({ error: expect.objectContaining({ id: error, status }) });
      expect(await state()).toEqual(before);
      expect(h.zoom.requests()).toEqual([]);
    },
  );

  it('lists every /lti/zoom route the app serves', () => {
    const served = servedRoutes(h.built.lti.protectedRouter).filter((route) =>
      /^[A-Z]+ \/lti\/zoom(\/|$)/.test(route),
    );
    expect(served.sort()).toEqual(ROUTES.map((r) => r.route).sort());
  });
});
