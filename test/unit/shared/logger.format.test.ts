import { Writable } from 'node:stream';
import { createLogger, logFormatFor } from '../../../src/shared/logger';
import { sandboxAnnouncement } from '../../../src/server';

/** `npm start` at a terminal reads as lines for a person; anywhere else, and in production, JSON. */
describe('the log format', () => {
  it('is readable lines only at a terminal outside production, JSON otherwise', () => {
    expect(logFormatFor({ isTTY: true, nodeEnv: undefined })).toBe('pretty');
    expect(logFormatFor({ isTTY: true, nodeEnv: 'development' })).toBe('pretty');
    expect(logFormatFor({ isTTY: true, nodeEnv: 'production' })).toBe('json'); // npm run start:prod
    expect(logFormatFor({ isTTY: false, nodeEnv: undefined })).toBe('json'); // a pipe, a file
    expect(logFormatFor({ isTTY: undefined, nodeEnv: undefined })).toBe('json');
  });

  function collect() {
    const lines: string[] = [];
    const destination = new Writable({
      write(chunk, _encoding, callback) {
        lines.push(...String(chunk).split('\n').filter(Boolean));
        callback();
      },
    });
    return { lines, destination };
  }

  it('pretty lines name the time, level, category and message, and redact secrets as JSON does', () => {
    const pretty = collect();
    const json = collect();
    const secrets = {
      access_token: 'at-SECRET-1',
      zoom: { refresh_token: 'rt-SECRET-2' },
      ltik: 'lt-SECRET-3',
    };
    createLogger({ format: 'pretty', destination: pretty.destination })
      .child({ category: 'zoom' })
      .info({ ...secrets, school: 'Riverside' }, 'token refreshed');
    createLogger({ format: 'json', destination: json.destination }).info(secrets, 'token refreshed');

    expect(pretty.lines).toHaveLength(1);
    const line = pretty.lines[0] ?? '';
    expect(line).toMatch(/^\[\d\d:\d\d:\d\d\] INFO: \[zoom\] token refreshed /);
    expect(line).toContain('"school":"Riverside"');
    expect(() => JSON.parse(line)).toThrow();
    expect(JSON.parse(json.lines[0] ?? '{}')).toMatchObject({
      msg: 'token refreshed',
      access_token: '[Redacted]',
    });
    for (const secret of ['at-SECRET-1', 'rt-SECRET-2', 'lt-SECRET-3']) {
      expect(line).not.toContain(secret);
      expect(json.lines.join('\n')).not.toContain(secret);
    }
    expect(line.match(/\[Redacted\]/g)).toHaveLength(3);
  });

  it("the sandbox's URL is said plainly after a blank line at a terminal, and as one 'Sandbox:' line otherwise", () => {
    expect(sandboxAnnouncement('http://localhost:3000/', 'pretty')).toBe(
      '\nOpen the sandbox: http://localhost:3000/\n',
    );
    expect(sandboxAnnouncement('http://localhost:3000/', 'json')).toBe('Sandbox: http://localhost:3000/\n');
  });
});
