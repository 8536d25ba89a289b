import { Writable } from 'node:stream';
import { createLogger, redactUrl } from '../../../src/shared/logger';

function capture() {
  const lines: string[] = [];
  const destination = new Writable({
    write(chunk, _encoding, callback) {
      lines.push(String(chunk));
      callback();
    },
  });
  return { lines, logger: createLogger({ level: 'info', destination }) };
}

describe('logger', () => {
  it('redacts tokens, secrets, keys, ltiks and cookies wherever they sit', () => {
    const { lines, logger } = capture();
    logger.info(
      {
        access_token: 'AT-123',
        nested: { refresh_token: 'RT-456', client_secret: 'CS-789' },
        deep: { inner: { id_token: 'eyJ.id.token', ltik: 'LTIK-1' } },
        req: { headers: { authorization: 'Bearer AT-123', cookie: 'state=abc' } },
        privateKey: '-----BEGIN PRIVATE KEY-----',
      },
      'something happened',
    );
    const text = lines.join('');
    for (const secret of [
      'AT-123',
      'RT-456',
      'CS-789',
      'eyJ.id.token',
      'LTIK-1',
      'state=abc',
      'BEGIN PRIVATE KEY',
    ]) {
      expect(text).not.toContain(secret);
    }
    expect(text).toContain('[Redacted]');
    expect(text).toContain('something happened');
  });

  it('strips secret query parameters from URLs', () => {
    expect(redactUrl('/lti/course?ltik=abc.def&x=1')).toBe('/lti/course?ltik=%5BRedacted%5D&x=1');
    expect(redactUrl('/zoom/callback?code=C&state=S')).not.toMatch(/=C|=S/);
    expect(redactUrl('/healthz')).toBe('/healthz');
  });

  it.each([
    [
      'a registration link',
      '/lti/register?invite=INV-SECRET-1&x=1',
      '/lti/register?invite=%5BRedacted%5D&x=1',
    ],
    [
      'dynamic registration',
      '/lti/register?invite=INV-SECRET-1&openid_configuration=https%3A%2F%2Flms.example%2Fcfg&registration_token=REG-SECRET-2',
      '/lti/register?invite=%5BRedacted%5D&openid_configuration=https%3A%2F%2Flms.example%2Fcfg&registration_token=%5BRedacted%5D',
    ],
    ['a calendar feed', '/calendar/course-ref/SIG-SECRET-3.ics', '/calendar/course-ref/[Redacted].ics'],
    [
      'a calendar feed with a query',
      '/calendar/course-ref/SIG-SECRET-3.ics?x=1',
      '/calendar/course-ref/[Redacted].ics?x=1',
    ],
    [
      'a calendar feed in capitals',
      '/CALENDAR/course-ref/SIG-SECRET-3.ics',
      '/CALENDAR/course-ref/[Redacted].ics',
    ],
    ['a connect link', '/zoom/connect/TOKEN-SECRET-4', '/zoom/connect/[Redacted]'],
    ['a connect link’s OAuth step', '/zoom/connect/TOKEN-SECRET-4/oauth', '/zoom/connect/[Redacted]/oauth'],
    ['a connect link in capitals', '/Zoom/Connect/TOKEN-SECRET-4/s2s', '/Zoom/Connect/[Redacted]/s2s'],
    ['the connect link’s done page', '/zoom/connect/done', '/zoom/connect/done'],
    ['an ltik', '/lti/course?ltik=LTIK-SECRET-5', '/lti/course?ltik=%5BRedacted%5D'],
    [
      'an ltik as an array',
      '/lti/course?ltik[]=LTIK-SECRET-5&ltik[1]=LTIK-SECRET-5',
      '/lti/course?ltik%5B%5D=%5BRedacted%5D&ltik%5B1%5D=%5BRedacted%5D',
    ],
    [
      'OAuth’s answer',
      '/zoom/oauth/callback?code=CODE-SECRET-6&state=STATE-SECRET-7',
      '/zoom/oauth/callback?code=%5BRedacted%5D&state=%5BRedacted%5D',
    ],
    ['a join link’s passcode', '/j/123?pwd=PWD-SECRET-8', '/j/123?pwd=%5BRedacted%5D'],
  ])('redacts %s', (_what, url, redacted) => {
    expect(redactUrl(url)).toBe(redacted);
    expect(redactUrl(url)).not.toMatch(/SECRET/);
  });
});
