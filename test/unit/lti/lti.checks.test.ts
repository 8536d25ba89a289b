import { generateKeyPairSync } from 'node:crypto';
import { LaunchChecks, PlatformKeys, type RegistrationLookup } from '../../../src/lti';
import { createLogger } from '../../../src/shared/logger';
import type { Db } from '../../../src/storage';

const registration = {
  id: 'reg-1',
  schoolId: 'school-1',
  schoolName: 'School',
  issuer: 'https://moodle.example',
  clientId: 'client-1',
  loginUrl: 'https://moodle.example/mod/lti/auth.php',
  jwksUrl: 'https://moodle.example/mod/lti/certs.php',
  acceptNewDeployments: true,
  deployments: ['1'],
};

function checksRecordingInto(recorded: string[]) {
  const registrations: RegistrationLookup = {
    findForLaunch: async () => registration,
    findForLaunchById: async () => registration,
    recordDeployment: async (_id, deploymentId) => {
      recorded.push(deploymentId);
      return true;
    },
  };
  return new LaunchChecks({
    db: {} as Db,
    registrations,
    platformKeys: new PlatformKeys(),
    launchUrl: 'https://tool.example/lti/launch',
    stateTtlSeconds: 600,
    logger: createLogger({ level: 'silent' }),
  });
}

const signingKey = generateKeyPairSync('rsa', { modulusLength: 2048 }).publicKey;

describe('recording a new deployment after ltijs verified the token', () => {
  const checked = {
    registration,
    deploymentId: 'new-dep',
    deploymentIsNew: true,
    signingKey,
    loginAt: 0,
    clientStore: undefined,
    state: 'state',
    nonce: 'nonce',
  };
  const verified = { issuer: registration.issuer, clientId: registration.clientId, deploymentId: 'new-dep' };

  it('records the deployment when the verified token is the one the checks examined', async () => {
    const recorded: string[] = [];
    await checksRecordingInto(recorded).recordVerifiedDeployment(checked, verified);
    expect(recorded).toEqual(['new-dep']);
  });

  it.each([
    ['another deployment', { ...verified, deploymentId: 'evil-dep' }],
    ['another issuer', { ...verified, issuer: 'https://evil.example' }],
    ['another client id', { ...verified, clientId: 'client-2' }],
  ])('refuses and records nothing when ltijs verified %s', async (_name, other) => {
    const recorded: string[] = [];
    await expect(
      checksRecordingInto(recorded).recordVerifiedDeployment(checked, other),
    ).rejects.toMatchObject({
      id: 'lti_launch_invalid',
    });
    expect(recorded).toEqual([]);
  });

  it('records nothing for a deployment that was already known', async () => {
    const recorded: string[] = [];
    await checksRecordingInto(recorded).recordVerifiedDeployment(
      { ...checked, deploymentId: '1', deploymentIsNew: false },
      { ...verified, deploymentId: '1' },
    );
    expect(recorded).toEqual([]);
  });
});
