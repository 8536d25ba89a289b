import fs from 'node:fs';
import { runCli } from '../../../src/cli';
import { seededDataDir } from '../../support/data-dir';

const base = [
  '--issuer',
  'https://canvas.instructure.com',
  '--client-id',
  '10000000000042',
  '--login-url',
  'https://sso.canvaslms.com/api/lti/authorize_redirect',
  '--token-url',
  'https://sso.canvaslms.com/login/oauth2/token',
  '--jwks-url',
  'https://sso.canvaslms.com/api/lti/security/jwks',
  '--school',
  'East College',
];

describe('operator CLI: platform add | list | remove', () => {
  let dataDir: string;
  beforeAll(async () => {
    dataDir = await seededDataDir('zoom-lti-cli-');
  });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  async function cli(...args: string[]) {
    let out = '';
    let err = '';
    const code = await runCli(args, {
      env: { DATA_DIR: dataDir, LOG_LEVEL: 'silent' },
      io: { out: (text) => (out += text), err: (text) => (err += text) },
    });
    return { code, out, err };
  }

  async function listed() {
    const result = await cli('platform', 'list', '--json');
    expect(result.code).toBe(0);
    return JSON.parse(result.out) as {
      id: string;
      issuer: string;
      clientId: string;
      deployments: string[];
      school: { name: string };
    }[];
  }

  it('adds a registration with several deployments and prints it as JSON', async () => {
    const result = await cli('platform', 'add', ...base, '--deployment', '12:abc', '--deployment', '13:def');
    expect(result.code).toBe(0);
    const registration = JSON.parse(result.out);
    expect(registration).toMatchObject({
      issuer: 'https://canvas.instructure.com',
      clientId: '10000000000042',
      deployments: ['12:abc', '13:def'],
      school: { name: 'East College' },
      acceptNewDeployments: false,
    });
    expect(registration.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await listed()).toHaveLength(1);
  }, 60_000);

  it('refuses a duplicate, bad URLs and a missing deployment, changing nothing', async () => {
    const before = await listed();
    const duplicate = await cli('platform', 'add', ...base, '--deployment', '99');
    expect(duplicate.code).toBe(1);
    expect(duplicate.err).toMatch(/already exists/);

    const badUrl = await cli(
      'platform',
      'add',
      ...base.map((arg) => (arg.startsWith('https://sso') ? 'not-a-url' : arg)),
      '--client-id',
      'x',
      '--deployment',
      '1',
    );
    expect(badUrl.code).toBe(1);
    expect(badUrl.err).toMatch(/loginUrl: must be an absolute http\(s\) URL/);

    const noDeployment = await cli(
      'platform',
      'add',
      ...base.slice(0, 2),
      '--client-id',
      'other',
      ...base.slice(4),
    );
    expect(noDeployment.code).toBe(2);
    expect(noDeployment.err).toMatch(/--deployment/);

    expect(await listed()).toEqual(before);
  }, 60_000);

  it('prints a readable table without --json', async () => {
    const result = await cli('platform', 'list');
    expect(result.code).toBe(0);
    expect(result.out).toContain('East College');
    expect(result.out).toContain('12:abc, 13:def');
  }, 30_000);

  it('removes by issuer and client id; removing again is refused', async () => {
    const remove = await cli(
      'platform',
      'remove',
      '--issuer',
      'https://canvas.instructure.com',
      '--client-id',
      '10000000000042',
    );
    expect(remove.code).toBe(0);
    expect(JSON.parse(remove.out).removed.clientId).toBe('10000000000042');
    expect(await listed()).toEqual([]);
    const again = await cli(
      'platform',
      'remove',
      '--issuer',
      'https://canvas.instructure.com',
      '--client-id',
      '10000000000042',
    );
    expect(again.code).toBe(1);
    expect(again.err).toMatch(/No registration matches/);
    const usage = await cli('platform', 'remove', '--issuer', 'https://canvas.instructure.com');
    expect(usage.code).toBe(2);
  }, 60_000);

  it('records the school’s time zone, and refuses one that is not an IANA zone, changing nothing', async () => {
    const args = ['--client-id', 'tz-client', '--deployment', '1', '--school', 'Zoned School'];
    const registration = [
      '--issuer',
      'https://moodle.zoned.example',
      '--login-url',
      'https://moodle.zoned.example/mod/lti/auth.php',
      '--token-url',
      'https://moodle.zoned.example/mod/lti/token.php',
      '--jwks-url',
      'https://moodle.zoned.example/mod/lti/certs.php',
    ];
    const before = (await listed()).length;
    const refused = await cli('platform', 'add', ...registration, ...args, '--time-zone', 'Mars/Olympus');
    expect(refused.code).toBe(1);
    expect(refused.err).toMatch(/timeZone: must be an IANA time zone/);
    expect(await listed()).toHaveLength(before);
    const added = await cli('platform', 'add', ...registration, ...args, '--time-zone', 'America/New_York');
    expect(added.code).toBe(0);
    expect((await listed()).find((r) => r.clientId === 'tz-client')?.school).toMatchObject({
      name: 'Zoned School',
      timeZone: 'America/New_York',
    });
  });
});
