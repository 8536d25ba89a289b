import {
  clientStoreEntries,
  LoginChecks,
  planLogin,
  relaunchQuery,
  stateCheckOf,
} from '../../../src/lti/lti.client-state';
import { loginParams } from '../../../src/lti/lti.schema';

const AUTH_URL = 'https://sso.canvaslms.example/api/lti/authorize_redirect';
const login = (extra: Record<string, string> = {}) =>
  loginParams.parse({
    iss: 'https://canvas.instructure.com',
    login_hint: 'user-1',
    target_link_uri: 'https://tool.example/lti/launch',
    client_id: '10000000000001',
    lti_message_hint: 'hint',
    lti_deployment_id: 'dep-1',
    ...extra,
  });

describe('planning how a login’s state comes back', () => {
  it('with a storage target, keeps it in the LMS’s frame, posting to the origin of the LMS’s auth endpoint', () => {
    expect(
      planLogin(login({ lti_storage_target: 'post_message_forwarding' }), AUTH_URL, {
        destination: 'iframe',
        cookiesKept: true,
      }),
    ).toEqual({
      kind: 'client',
      store: { kind: 'platform', target: 'post_message_forwarding', origin: 'https://sso.canvaslms.example' },
    });
  });

  it('ignores a storage target that cannot be a frame name', () => {
    const params = login({ lti_storage_target: 'x"><script>' });
    expect(params.lti_storage_target).toBeUndefined();
    expect(planLogin(params, AUTH_URL, { destination: undefined, cookiesKept: false })).toEqual({
      kind: 'redirect',
    });
  });

  it.each([
    [
      'a top-level window keeps it in the window',
      'document',
      false,
      { kind: 'client', store: { kind: 'window' } },
    ],
    ['a frame not known to keep cookies checks its cookie first', 'iframe', false, { kind: 'probe' }],
    ['a frame known to keep cookies goes straight on', 'iframe', true, { kind: 'redirect' }],
    ['a client that does not say where it is goes straight on', undefined, false, { kind: 'redirect' }],
  ])('without a storage target, %s', (_name, destination, cookiesKept, plan) => {
    expect(planLogin(login(), AUTH_URL, { destination, cookiesKept })).toEqual(plan);
  });

  it('names how the state came back, and what the browser keeps', () => {
    expect(stateCheckOf({ kind: 'platform', target: '_parent', origin: 'https://lms.example' })).toBe(
      'platform-storage',
    );
    expect(stateCheckOf({ kind: 'window' })).toBe('window-storage');
    expect(clientStoreEntries('S', 'N')).toEqual([
      { key: 'lti_state_S', value: 'S' },
      { key: 'lti_nonce_N', value: 'N' },
    ]);
  });

  it('logs in again with exactly the LMS’s login parameters', () => {
    expect(relaunchQuery(login({ lti_storage_target: '_parent' }))).toEqual({
      iss: 'https://canvas.instructure.com',
      login_hint: 'user-1',
      target_link_uri: 'https://tool.example/lti/launch',
      client_id: '10000000000001',
      lti_message_hint: 'hint',
      lti_deployment_id: 'dep-1',
    });
  });
});

describe('the probe’s signed hop', () => {
  const checks = new LoginChecks('a-key-of-the-tool');
  const check = {
    state: 'S',
    redirectUrl: AUTH_URL,
    relaunch: { iss: 'https://lms.example', login_hint: '2' },
    expiresAt: 2_000,
  };

  it('opens what it sealed until it expires', () => {
    const sealed = checks.seal(check);
    expect(checks.open(sealed, 1_999)).toEqual(check);
    expect(checks.open(sealed, 2_000)).toBeUndefined();
  });

  it('refuses a changed destination, another key’s seal, and garbage', () => {
    const sealed = checks.seal(check);
    const [, signature] = sealed.split('.');
    const forged = Buffer.from(JSON.stringify({ ...check, redirectUrl: 'https://evil.example' })).toString(
      'base64url',
    );
    expect(checks.open(`${forged}.${signature}`, 0)).toBeUndefined();
    expect(new LoginChecks('another-key').open(sealed, 0)).toBeUndefined();
    for (const garbage of [undefined, '', 'a', 'a.b.c', ['x'], `${sealed}x`]) {
      expect(checks.open(garbage, 0)).toBeUndefined();
    }
  });
});
