import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';

function problemsOf(env: NodeJS.ProcessEnv): string[] {
  try {
    loadConfig(env);
  } catch (error) {
    if (error instanceof ConfigError) return error.problems.map((problem) => problem.variable);
    throw error;
  }
  throw new Error('configuration was accepted');
}

describe('configuration', () => {
  it('starts with nothing set: port 3000, localhost public URL, ./data, embedded database', () => {
    const config = loadConfig({});
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('http://localhost:3000');
    expect(config.dataDir).toBe(path.resolve('./data'));
    expect(config.databaseUrl).toBeUndefined();
    expect(config.encryptionKey).toBeUndefined();
  });

  it('names PORT when it is not a port', () => {
    expect(problemsOf({ PORT: 'not-a-port' })).toEqual(['PORT']);
    expect(problemsOf({ PORT: '70000' })).toEqual(['PORT']);
  });

  it('names every bad variable at once', () => {
    const problems = problemsOf({
      PORT: 'nope',
      PUBLIC_URL: 'not a url',
      DATABASE_URL: 'mysql://x',
      ENCRYPTION_KEY: 'short',
      LOG_LEVEL: 'loud',
      TRUST_PROXY: 'maybe',
    });
    expect(problems.sort()).toEqual([
      'DATABASE_URL',
      'ENCRYPTION_KEY',
      'LOG_LEVEL',
      'PORT',
      'PUBLIC_URL',
      'TRUST_PROXY',
    ]);
  });

  it('names ZOOM_API_TIMEOUT_MS outside 1 to 60 s, and defaults it to 10 s', () => {
    expect(problemsOf({ ZOOM_API_TIMEOUT_MS: '500' })).toEqual(['ZOOM_API_TIMEOUT_MS']);
    expect(problemsOf({ ZOOM_API_TIMEOUT_MS: 'soon' })).toEqual(['ZOOM_API_TIMEOUT_MS']);
    expect(loadConfig({}).zoom.apiTimeoutMs).toBe(10_000);
    expect(loadConfig({ ZOOM_API_TIMEOUT_MS: '3000' }).zoom.apiTimeoutMs).toBe(3_000);
  });

  it('requires ENCRYPTION_KEY when DATABASE_URL is set', () => {
    expect(problemsOf({ DATABASE_URL: 'postgres://u@h/db' })).toEqual(['ENCRYPTION_KEY']);
    const key = 'ab'.repeat(32);
    const config = loadConfig({ DATABASE_URL: 'postgres://u@h/db', ENCRYPTION_KEY: key });
    expect(config.encryptionKey?.toString('hex')).toBe(key);
    expect(loadConfig({ ENCRYPTION_KEY: Buffer.alloc(32, 1).toString('base64') }).encryptionKey).toEqual(
      Buffer.alloc(32, 1),
    );
  });

  it('refuses a nonce lifetime shorter than the id token max age (a replay could pass)', () => {
    expect(problemsOf({ LTI_TOKEN_MAX_AGE_SECONDS: '120', LTI_NONCE_TTL_SECONDS: '60' })).toEqual([
      'LTI_NONCE_TTL_SECONDS',
    ]);
  });

  it('treats empty variables as unset and strips a trailing slash from PUBLIC_URL', () => {
    const config = loadConfig({ PORT: '', PUBLIC_URL: 'https://zoom.example.edu/' });
    expect(config.port).toBe(3000);
    expect(config.publicUrl).toBe('https://zoom.example.edu');
  });

  describe('TRUST_PROXY', () => {
    it('is off when unset or false: the socket peer is the client', () => {
      expect(loadConfig({}).trustProxy).toBe(false);
      for (const value of ['false', 'no', 'off', '0'])
        expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toBe(false);
    });

    it('takes a hop count or a comma-separated list of addresses, CIDRs and Express subnet names', () => {
      const table: Array<[string, number | string[]]> = [
        ['1', 1],
        ['2', 2],
        ['loopback', ['loopback']],
        ['10.0.0.0/8, 172.16.0.5', ['10.0.0.0/8', '172.16.0.5']],
        ['loopback,uniquelocal,fd00::/8,::1', ['loopback', 'uniquelocal', 'fd00::/8', '::1']],
      ];
      for (const [value, expected] of table)
        expect(loadConfig({ TRUST_PROXY: value }).trustProxy).toEqual(expected);
    });

    it('refuses a bare true (a client would choose its own address), saying what to write instead', () => {
      for (const value of ['true', 'TRUE', 'yes', 'on']) {
        expect(problemsOf({ TRUST_PROXY: value })).toEqual(['TRUST_PROXY']);
        expect(() => loadConfig({ TRUST_PROXY: value })).toThrow(
          /TRUST_PROXY: .*X-Forwarded-For.*TRUST_PROXY=1.*TRUST_PROXY=10\.0\.0\.0\/8/s,
        );
      }
    });

    it('refuses what is neither a hop count nor an address list', () => {
      for (const value of ['maybe', '-1', '1.5', '10.0.0.0/33', '999.1.1.1', 'loopback,,', '300.0.0.0/8']) {
        expect(problemsOf({ TRUST_PROXY: value })).toEqual(['TRUST_PROXY']);
      }
    });
  });

  it('the message names each variable and points at the example file', () => {
    expect(() => loadConfig({ PORT: 'x' })).toThrow(/PORT: .*\n.*config\/\.env\.example/s);
  });
});
