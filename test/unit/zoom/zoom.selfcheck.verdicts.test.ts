import { errors } from '../../../src/shared/errors';
import { translatorFor } from '../../../src/shared/i18n';
import { ZoomApiError } from '../../../src/zoom/zoom.client.errors';
import type { ConnectionView } from '../../../src/zoom/zoom.connect.service';
import { selfCheckModel } from '../../../src/zoom/zoom.selfcheck.presenter';
import {
  browserVerdict,
  clockDriftMs,
  clockVerdict,
  connectionVerdict,
  emailVerdict,
  lookupFailure,
  scopesVerdict,
  tokenFailure,
} from '../../../src/zoom/zoom.selfcheck.verdicts';

const view = (over: Partial<ConnectionView>): ConnectionView => ({
  status: 'connected',
  kind: 'oauth',
  zoomAccountId: 'acct-1',
  scopes: [],
  lastError: undefined,
  connectedAt: undefined,
  webhookUrl: undefined,
  ...over,
});

const apiError = (kind: ZoomApiError['kind'], status = 400) =>
  new ZoomApiError({ status, kind, zoomMessage: 'x' });

describe('self-check verdicts', () => {
  it('the connection: present passes; absent, disconnected or needing a reconnect fails with the way to connect', () => {
    expect(connectionVerdict(view({}))).toMatchObject({ status: 'pass', says: 'connectedOauth' });
    expect(connectionVerdict(view({ kind: 's2s' }))).toMatchObject({ status: 'pass', says: 'connectedS2s' });
    expect(connectionVerdict(view({ status: 'none' }))).toMatchObject({ status: 'fail', fix: 'connect' });
    expect(connectionVerdict(view({ status: 'disconnected' }))).toMatchObject({
      status: 'fail',
      fix: 'connect',
    });
    expect(connectionVerdict(view({ status: 'reconnect_required' }))).toMatchObject({
      status: 'fail',
      fix: 'reconnect',
    });
  });

  it('scopes: classic or granular names count; each missing one is named, with where to add it for the app kind', () => {
    const classic = ['user:read:admin', 'user:write:admin', 'meeting:read:admin', 'meeting:write:admin'];
    expect(scopesVerdict(classic, 'oauth').status).toBe('pass');
    expect(
      scopesVerdict(
        [
          'user:read:user:admin',
          'user:write:user:admin',
          'meeting:read:meeting:admin',
          'meeting:write:meeting:admin',
        ],
        's2s',
      ).status,
    ).toBe('pass');
    expect(scopesVerdict(['user:read:admin', 'meeting:read:admin'], 's2s')).toEqual({
      id: 'scopes',
      status: 'fail',
      says: 'scopesMissing',
      fix: 'scopesS2s',
      params: { missing: 'user:write:admin, meeting:write:admin' },
    });
    expect(scopesVerdict([], 'oauth').fix).toBe('scopesOauth');
  });

  it('the token: a dead grant says reconnect; no connection says connect; anything else says Zoom did not answer', () => {
    expect(tokenFailure(errors.zoomReconnectRequired())).toMatchObject({ status: 'fail', fix: 'reconnect' });
    expect(tokenFailure(apiError('unauthorized', 401))).toMatchObject({ fix: 'reconnect' });
    expect(tokenFailure(errors.zoomNotConnected())).toMatchObject({ fix: 'connect' });
    expect(tokenFailure(errors.zoomUnavailable())).toMatchObject({
      says: 'tokenUnavailable',
      fix: 'zoomDown',
    });
  });

  it('the lookup: missing scopes fail, limits and no privilege warn, other errors fail', () => {
    expect(lookupFailure(apiError('missing_scopes'), 's2s')).toMatchObject({
      status: 'fail',
      fix: 'scopesS2sReconnect',
      params: { missing: 'user:read:admin' },
    });
    expect(lookupFailure(apiError('rate_limited', 429), 'oauth')).toMatchObject({
      status: 'warn',
      fix: 'later',
    });
    expect(lookupFailure(apiError('daily_limit', 429), 'oauth')).toMatchObject({ status: 'warn' });
    expect(lookupFailure(apiError('account_daily_limit', 429), 'oauth')).toMatchObject({
      status: 'warn',
      fix: 'later',
    });
    expect(lookupFailure(apiError('forbidden', 403), 'oauth')).toMatchObject({
      status: 'warn',
      fix: 'zoomRole',
    });
    expect(lookupFailure(apiError('server', 502), 'oauth')).toMatchObject({
      status: 'fail',
      fix: 'zoomDown',
    });
    expect(lookupFailure(new Error('boom'), 'oauth')).toMatchObject({ status: 'fail' });
  });

  it('the clock: Date has whole seconds, so half a second is added; compared with the middle of the round trip', () => {
    const sent = Date.parse('2030-01-07T09:00:00.000Z');
    expect(clockDriftMs('Mon, 07 Jan 2030 09:00:00 GMT', sent, sent + 1000)).toBe(0);
    expect(clockDriftMs('Mon, 07 Jan 2030 09:10:00 GMT', sent, sent)).toBe(600_500);
    expect(clockDriftMs('not a date', sent, sent)).toBeUndefined();
  });

  it('the clock: within 30 s passes, beyond warns, beyond 2 minutes fails; each off verdict says NTP', () => {
    expect(clockVerdict(29_000).status).toBe('pass');
    expect(clockVerdict(-29_000).status).toBe('pass');
    expect(clockVerdict(45_000)).toMatchObject({ status: 'warn', says: 'clockBehindSeconds', fix: 'ntp' });
    expect(clockVerdict(-45_000)).toMatchObject({ status: 'warn', says: 'clockAheadSeconds', fix: 'ntp' });
    expect(clockVerdict(120_000).status).toBe('warn');
    expect(clockVerdict(600_500)).toMatchObject({
      status: 'fail',
      says: 'clockBehindMinutes',
      fix: 'ntp',
      params: { minutes: 10 },
    });
    expect(clockVerdict(-600_000)).toMatchObject({ status: 'fail', says: 'clockAheadMinutes' });
    expect(clockVerdict(undefined)).toMatchObject({ status: 'skipped' });
  });

  it('the email: present passes; absent fails with the setting of the LMS the launch came from', () => {
    expect(emailVerdict('a@b.edu', 'moodle')).toMatchObject({ status: 'pass' });
    expect(emailVerdict(undefined, 'moodle')).toMatchObject({ status: 'fail', fix: 'emailMoodle' });
    expect(emailVerdict(undefined, 'canvas')).toMatchObject({ status: 'fail', fix: 'emailCanvas' });
    expect(emailVerdict('', undefined)).toMatchObject({ status: 'fail', fix: 'emailAny' });
  });

  it('the browser: the test cookie coming back passes; otherwise a warning; how the launch was verified is said', () => {
    expect(browserVerdict(undefined, { cameBack: true, anyOfOurs: true })).toMatchObject({
      status: 'pass',
      params: { launch: 'cookie' },
    });
    expect(browserVerdict(undefined, { cameBack: false, anyOfOurs: false })).toMatchObject({
      status: 'warn',
      fix: 'browserNothing',
      params: { launch: 'unknown' },
    });
    expect(browserVerdict('platform-storage', { cameBack: false, anyOfOurs: false })).toMatchObject({
      status: 'warn',
      params: { launch: 'platform-storage' },
    });
    expect(browserVerdict('window-storage', { cameBack: true, anyOfOurs: true }).params).toEqual({
      launch: 'window-storage',
    });
  });

  it('every verdict has words and every fix a text, in English and Spanish', () => {
    const verdicts = [
      connectionVerdict(view({})),
      connectionVerdict(view({ status: 'reconnect_required' })),
      scopesVerdict([], 's2s'),
      scopesVerdict([], 'oauth'),
      tokenFailure(errors.zoomReconnectRequired()),
      tokenFailure(errors.zoomNotConnected()),
      lookupFailure(apiError('missing_scopes'), 's2s'),
      lookupFailure(apiError('forbidden', 403), 'oauth'),
      lookupFailure(apiError('rate_limited', 429), 'oauth'),
      clockVerdict(45_000),
      clockVerdict(-600_000),
      emailVerdict(undefined, 'moodle'),
      emailVerdict(undefined, 'canvas'),
      emailVerdict(undefined, undefined),
      browserVerdict(undefined, { cameBack: false, anyOfOurs: false }),
    ];
    for (const locale of ['en', 'es']) {
      const translator = translatorFor(locale);
      const model = selfCheckModel(verdicts, translator, new Date(0), 'America/Chicago');
      for (const [index, item] of model.items.entries()) {
        const verdict = verdicts[index];
        expect(translator.has(`admin.selfCheck.says.${verdict?.says}`)).toBe(true);
        expect(item.detail).not.toMatch(/{{|admin\.selfCheck/);
        // Every failure and warning says what to do.
        expect(item.fix === undefined).toBe(item.status === 'pass');
        if (verdict?.fix) expect(translator.has(`admin.selfCheck.fixes.${verdict.fix}`)).toBe(true);
        expect(item.fix ?? '').not.toMatch(/{{|admin\.selfCheck/);
      }
      expect(model.overall).toBe('fail');
    }
  });
});
