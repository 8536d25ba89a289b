import fs from 'node:fs';
import { runCli } from '../../../src/cli';
import { seededDataDir } from '../../support/data-dir';

/** `school invite`: a one-time registration link for a school's LMS admin. */
describe('operator CLI: school invite', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await seededDataDir('zoom-lti-invite-');
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function cli(...args: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(args, {
      env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent', PUBLIC_URL: 'https://zoom.example.edu' },
      io: { out: (text) => (out += text), err: (text) => (err += text) },
    });
    return { code, out, err };
  }

  it('prints the registration URL and its expiry as JSON, 7 days by default', async () => {
    const before = Date.now();
    const result = await cli('school', 'invite', '--school', 'North High', '--json');
    expect(result.code).toBe(0);
    const invite = JSON.parse(result.out) as { registrationUrl: string; expiresAt: string };
    expect(Object.keys(invite).sort()).toEqual(['expiresAt', 'registrationUrl']);
    const url = new URL(invite.registrationUrl);
    expect(`${url.origin}${url.pathname}`).toBe('https://zoom.example.edu/lti/register');
    expect(url.searchParams.get('invite')).toMatch(/^[A-Za-z0-9_-]{40,}$/);
    const expires = Date.parse(invite.expiresAt) - before;
    expect(expires).toBeGreaterThan(7 * 24 * 3600_000 - 60_000);
    expect(expires).toBeLessThan(7 * 24 * 3600_000 + 60_000);
  });

  it('makes a different link each time, and takes --expires-in', async () => {
    const first = JSON.parse((await cli('school', 'invite', '--school', 'North High', '--json')).out);
    const second = JSON.parse(
      (await cli('school', 'invite', '--school', 'North High', '--expires-in', '12h', '--json')).out,
    );
    expect(second.registrationUrl).not.toBe(first.registrationUrl);
    expect(Date.parse(second.expiresAt) - Date.now()).toBeLessThan(12 * 3600_000 + 60_000);
  });

  it('without --json says where the LMS admin pastes it', async () => {
    const result = await cli('school', 'invite', '--school', 'South High');
    expect(result.code).toBe(0);
    expect(result.out).toContain('https://zoom.example.edu/lti/register?invite=');
    expect(result.out).toMatch(/Moodle.*Manage tools/s);
    expect(result.out).toMatch(/Canvas.*LTI Registration/s);
  });

  it.each([
    [['--expires-in', 'soon'], 2, /--expires-in must be/],
    [['--expires-in', '91d'], 1, /at most 90 days/],
    [['--expires-in', '0m'], 1, /at least a minute/],
  ])('refuses %j (exit %i) and prints nothing to paste', async (extra, code, message) => {
    const result = await cli('school', 'invite', '--school', 'North High', ...extra, '--json');
    expect(result.code).toBe(code);
    expect(result.err).toMatch(message);
    expect(result.out).toBe('');
  });

  it('requires --school', async () => {
    const result = await cli('school', 'invite', '--json');
    expect(result.code).toBe(2);
    expect(result.err).toMatch(/--school/);
  });
});
