import pino from 'pino';
import { LeaseLost, resolveWithZoom, type Launcher } from '../../../src/provisioning/provisioning.zoom';
import type { ZoomAccountApi } from '../../../src/zoom';
import { ZoomApiError } from '../../../src/zoom/zoom.client.errors';

/**
 * Someone never linked to a Zoom user is created straight away (one request on a first day of
 * term); any refusal of that create is followed by a lookup, so the outcome is what looking up
 * first would have given. Someone linked before is looked up first.
 */
const EMAIL = 'ada@school.example.edu';
const LAUNCHER: Launcher = {
  schoolId: 'school-1',
  issuer: 'https://lms.example.edu',
  userId: 'ada',
  role: 'instructor',
  email: EMAIL,
  givenName: 'Ada',
  familyName: 'Lovelace',
  name: 'Ada Lovelace',
};
const SETTINGS = {
  schoolId: 'school-1',
  action: 'create',
  licence: 'licensed',
  whenNoSeat: 'basic',
  provisionAdministrators: false,
} as const;

const zoomError = (status: number, code: number, message: string, kind: ZoomApiError['kind']) =>
  new ZoomApiError({ status, code, zoomMessage: message, kind });
const notFound = () => zoomError(404, 1001, `User does not exist: ${EMAIL}`, 'not_found');

/** A scripted account: each call takes the next answer for its method and is recorded. */
function fakeApi(script: { getUser?: Array<() => unknown>; createUser?: Array<() => unknown> }) {
  const calls: string[] = [];
  const next = async (name: 'getUser' | 'createUser') => {
    calls.push(name);
    const answer = script[name]?.shift();
    if (!answer) throw new Error(`unexpected ${name}`);
    return answer();
  };
  const api = {
    getUser: () => next('getUser'),
    createUser: () => next('createUser'),
  } as unknown as ZoomAccountApi;
  return { api, calls };
}

const resolve = (api: ZoomAccountApi, lookupFirst: boolean, stillHolding = async () => true) =>
  resolveWithZoom({
    api,
    settings: SETTINGS,
    launcher: LAUNCHER,
    email: EMAIL,
    lookupFirst,
    stillHolding,
    logger: pino({ level: 'silent' }),
  });

describe('resolving a person with Zoom', () => {
  it('a person never linked is created with one request, no lookup', async () => {
    const { api, calls } = fakeApi({ createUser: [() => ({ id: 'z1', type: 2 })] });
    expect(await resolve(api, false)).toEqual({
      outcome: 'pending',
      status: 'pending',
      zoomUserId: 'z1',
      licenceType: 2,
    });
    expect(calls).toEqual(['createUser']);
  });

  it('a person already in the account is linked after the create is refused', async () => {
    const { api, calls } = fakeApi({
      createUser: [
        () => {
          throw zoomError(409, 1005, `User already in the account: ${EMAIL}`, 'conflict');
        },
      ],
      getUser: [() => ({ id: 'z2', type: 1, status: 'active' })],
    });
    expect(await resolve(api, false)).toMatchObject({ outcome: 'active', zoomUserId: 'z2' });
    expect(calls).toEqual(['createUser', 'getUser']);
  });

  it('any other refusal of a first create is checked with a lookup before it is the outcome', async () => {
    const blocked = () => {
      throw zoomError(
        400,
        1107,
        'The email domain school.example.edu is blocked for this account.',
        'invalid_request',
      );
    };
    const linked = fakeApi({ createUser: [blocked], getUser: [() => ({ id: 'z3', status: 'pending' })] });
    expect(await resolve(linked.api, false)).toMatchObject({ outcome: 'pending', zoomUserId: 'z3' });
    expect(linked.calls).toEqual(['createUser', 'getUser']);

    const absent = fakeApi({
      createUser: [blocked],
      getUser: [
        () => {
          throw notFound();
        },
      ],
    });
    expect(await resolve(absent.api, false)).toEqual({ outcome: 'domain_not_allowed', status: 'failed' });

    const elsewhere = fakeApi({
      createUser: [
        () => {
          throw zoomError(409, 1005, `Email ${EMAIL} has already been used.`, 'conflict');
        },
      ],
      getUser: [
        () => {
          throw zoomError(400, 1010, 'User not belong to this account', 'invalid_request');
        },
      ],
    });
    expect(await resolve(elsewhere.api, false)).toEqual({ outcome: 'email_taken', status: 'failed' });
  });

  it('a person linked before is looked up first, and created only when Zoom no longer has them', async () => {
    const found = fakeApi({ getUser: [() => ({ id: 'z4', status: 'active' })] });
    expect(await resolve(found.api, true)).toMatchObject({ outcome: 'active', zoomUserId: 'z4' });
    expect(found.calls).toEqual(['getUser']);

    const gone = fakeApi({
      getUser: [
        () => {
          throw notFound();
        },
      ],
      createUser: [() => ({ id: 'z5', type: 2 })],
    });
    expect(await resolve(gone.api, true)).toMatchObject({ outcome: 'pending', zoomUserId: 'z5' });
    expect(gone.calls).toEqual(['getUser', 'createUser']);
  });

  it('nothing is created once the lease is lost', async () => {
    const { api, calls } = fakeApi({});
    await expect(resolve(api, false, async () => false)).rejects.toBeInstanceOf(LeaseLost);
    expect(calls).toEqual([]);
  });
});
