import { commandName, runCliWith, type CliServices } from '../../../src/cli';

/** The program the CLI and the server's control socket both run. */
describe('the operator program over given services', () => {
  it('names a command by its registered names only, never by its arguments', () => {
    expect(commandName(['platform', 'add', '--client-id', 'abc', '--school', 'North'])).toBe('platform add');
    expect(commandName(['school', 'invite', '--school', 'North'])).toBe('school invite');
    expect(commandName(['platform', 'North High'])).toBe('platform');
    expect(commandName(['--help'])).toBe('(none)');
    expect(commandName(['rm', '-rf'])).toBe('(none)');
  });

  it('runs a command on the services it is given, and refuses a usage error before using them', async () => {
    const listed: string[] = [];
    const services = {
      tenants: { listPlatforms: async () => (listed.push('list'), []) },
      invites: {},
    } as unknown as CliServices;
    let out = '';
    let err = '';
    const io = { out: (text: string) => (out += text), err: (text: string) => (err += text) };
    expect(await runCliWith(['platform', 'list', '--json'], services, io)).toBe(0);
    expect(out).toBe('[]\n');
    expect(await runCliWith(['platform', 'remove'], services, io)).toBe(2);
    expect(err).toBe('error: Give either --id, or both --issuer and --client-id.\n');
    expect(listed).toEqual(['list']);
  });
});
