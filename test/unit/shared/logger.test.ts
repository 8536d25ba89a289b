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
});
