import { checkLmsUrl, lmsUrlPolicyFor, type LmsUrlPolicy } from '../../../src/grades';
import { isAppError } from '../../../src/shared/errors';

const resolving =
  (address: string): LmsUrlPolicy['outbound']['resolve'] =>
  async () => [{ address, family: address.includes(':') ? 6 : 4 }];

function policy(
  env: string,
  publicUrl: string,
  address = '93.184.216.34',
  allowed: string[] = [],
): LmsUrlPolicy {
  const made = lmsUrlPolicyFor({ env, publicUrl, registrationAllowedHosts: allowed });
  return { ...made, outbound: { ...made.outbound, resolve: resolving(address) } };
}

async function refused(url: string, given: LmsUrlPolicy): Promise<string> {
  const error = await checkLmsUrl(url, given).then(
    () => undefined,
    (thrown: unknown) => thrown,
  );
  if (!isAppError(error)) throw new Error(`${url} was not refused`);
  return error.detail;
}

describe('where the AGS client may send a request', () => {
  const production = policy('production', 'https://zoom-tool.example.org');

  it('takes an https URL of a public host', async () => {
    const url = await checkLmsUrl(
      'https://moodle.example.edu/mod/lti/services.php/2/lineitems?type_id=1',
      production,
    );
    expect(url.searchParams.get('type_id')).toBe('1');
  });

  it('refuses plain http in production, and any other scheme anywhere', async () => {
    expect(await refused('http://moodle.example.edu/lineitems', production)).toMatch(/not https/);
    const development = policy('development', 'https://zoom-tool.example.org');
    await expect(checkLmsUrl('http://moodle.example.edu/lineitems', development)).resolves.toBeInstanceOf(
      URL,
    );
    expect(await refused('ftp://moodle.example.edu/lineitems', development)).toMatch(/not https/);
    expect(await refused('not a url', development)).toMatch(/not a URL/);
    expect(await refused('https://user:pw@moodle.example.edu/x', development)).toMatch(/credentials/);
  });

  it('refuses loopback, private and local names unless the tool itself runs on loopback (the sandbox)', async () => {
    for (const url of ['https://127.0.0.1/x', 'https://10.1.2.3/x', 'https://[::1]/x', 'https://localhost/x'])
      expect(await refused(url, production)).toMatch(/private or local/);
    expect(
      await refused(
        'https://lms.example.edu/x',
        policy('production', 'https://t.example.org', '192.168.1.5'),
      ),
    ).toMatch(/private or local/);
    const sandbox = policy('development', 'http://localhost:3000', '127.0.0.1');
    await expect(checkLmsUrl('http://127.0.0.1:8081/x', sandbox)).resolves.toBeInstanceOf(URL);
    const allowed = policy('production', 'https://t.example.org', '10.0.0.8', ['moodle.internal']);
    await expect(checkLmsUrl('https://moodle.internal/x', allowed)).resolves.toBeInstanceOf(URL);
  });
});
