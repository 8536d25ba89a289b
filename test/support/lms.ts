import type { TenantsService } from '../../src/tenants';
import { createLmsEmulator, type LmsEmulator, type LmsProfileName } from '../../src/sandbox/lms';

/** Starts an LMS emulator pointed at the tool and registers it for a school, as an operator would. */
export async function startRegisteredLms(
  tenants: TenantsService,
  options: {
    profile: LmsProfileName;
    toolUrl: string;
    school: string;
    shareEmail?: boolean;
    acceptNewDeployments?: boolean;
  },
): Promise<LmsEmulator> {
  const lms = createLmsEmulator({
    profile: options.profile,
    shareEmail: options.shareEmail,
    tool: {
      loginUrl: `${options.toolUrl}/lti/login`,
      launchUrl: `${options.toolUrl}/lti/launch`,
      jwksUrl: `${options.toolUrl}/lti/keys`,
    },
  });
  await lms.start();
  await tenants.addPlatform({
    issuer: lms.issuer,
    clientId: lms.clientId,
    loginUrl: lms.authUrl,
    tokenUrl: lms.tokenUrl,
    jwksUrl: lms.jwksUrl,
    deployments: [lms.deploymentId],
    school: options.school,
    acceptNewDeployments: options.acceptNewDeployments ?? false,
  });
  return lms;
}
