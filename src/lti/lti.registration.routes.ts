import express, { type Response, type Router } from 'express';
import type { Logger } from 'pino';
import { z } from 'zod';
import { errors, isAppError } from '../shared/errors';
import { asyncHandler } from '../shared/http';
import { MAX_INVITE_FAILURES, type SchoolInvites, type TenantsService } from '../tenants';
import { registerWithPlatform } from './lti.registration';
import { outboundPolicyFor } from './lti.registration.fetch';

const registerQuery = z.object({
  invite: z.string().max(200).optional(),
  openid_configuration: z.url({ protocol: /^https?$/ }).optional(),
  registration_token: z.string().max(4096).optional(),
});

/**
 * The LMS opens this page (in a frame or a new window) when its admin pastes our registration URL
 * into its dynamic registration: Moodle at Site administration › Plugins › Activity modules ›
 * External tool › Manage tools ("Tool URL" › "Add LTI Advantage"), Canvas at Admin › Developer Keys
 * › + Developer Key › + LTI Registration. Only a URL made by `school invite` registers, once: the
 * registration is created for that school and active at once. The LMS's URLs are reached only
 * on public addresses (lti.registration.fetch); a registration that fails gives the link back,
 * until the link's fifth failure spends it; an issuer another school has is refused.
 */
export function registrationRoutes(deps: {
  invites: SchoolInvites;
  tenants: TenantsService;
  publicUrl: string;
  /** REGISTRATION_ALLOWED_HOSTS: LMS hosts reached even on private addresses. */
  allowedHosts?: readonly string[];
  logger: Logger;
}): Router {
  const router = express.Router();
  const outbound = outboundPolicyFor(deps.publicUrl, deps.allowedHosts ?? []);
  router.get(
    '/register',
    asyncHandler(async (req, res) => {
      const query = registerQuery.safeParse(req.query);
      const params = query.success ? query.data : {};
      // The LMS that opened us may frame this page (it is not registered yet, so the global policy
      // does not list it): its configuration's origin may, for this answer only.
      if (params.openid_configuration) allowFramingBy(res, new URL(params.openid_configuration).origin);
      await deps.invites.check(params.invite);
      if (!query.success || !params.openid_configuration) {
        throw errors.badRequest(
          'This is a registration link for your LMS’s dynamic registration: paste it there (Moodle: Site administration › Plugins › Activity modules › External tool › Manage tools; Canvas: Admin › Developer Keys › + Developer Key › + LTI Registration) rather than opening it in a browser.',
        );
      }
      const claimed = await deps.invites.claim(String(params.invite));
      try {
        const platform = await registerWithPlatform({
          openidConfigurationUrl: params.openid_configuration,
          registrationToken: params.registration_token,
          publicUrl: deps.publicUrl,
          outbound,
          checkIssuer: (platform) => deps.tenants.assertIssuerFree(platform, claimed.schoolName),
        });
        const registration = await deps.tenants.addPlatform(
          {
            issuer: platform.issuer,
            clientId: platform.clientId,
            loginUrl: platform.loginUrl,
            tokenUrl: platform.tokenUrl,
            jwksUrl: platform.jwksUrl,
            // Moodle names the deployment; Canvas makes it at install, and the first launch records it.
            deployments: platform.deploymentId ? [platform.deploymentId] : [],
            school: claimed.schoolName,
            // Each install in the LMS (a Canvas sub-account, say) is a new deployment of this same
            // registration, which the invite already bound to the school.
            acceptNewDeployments: true,
            frameOrigins: [new URL(params.openid_configuration).origin],
          },
          { issuerOfThisSchoolOnly: true },
        );
        await deps.invites.complete(claimed.id, registration.id);
        deps.logger.info(
          {
            registrationId: registration.id,
            issuer: platform.issuer,
            school: claimed.schoolName,
            // No place stores it: a course's launch says what it allows (the AGS claim's scope).
            granted: platform.granted ?? 'not said',
          },
          'registered through dynamic registration',
        );
        res.render('registration-done', {
          title: 'The tool is registered',
          school: claimed.schoolName,
          platform: platform.productFamily,
        });
      } catch (error) {
        const { failures, spent } = await deps.invites.recordFailure(claimed.id);
        deps.logger.warn(
          { school: claimed.schoolName, failures, error: isAppError(error) ? error.id : 'internal_error' },
          'dynamic registration failed',
        );
        if (spent && isAppError(error)) {
          throw errors.registrationInviteSpent(
            `${error.detail} This was the link’s ${MAX_INVITE_FAILURES}th failed registration, so it is used up and nothing was registered.`,
          );
        }
        throw error;
      }
    }),
  );
  return router;
}

function allowFramingBy(res: Response, origin: string): void {
  const policy = res.getHeader('Content-Security-Policy');
  if (typeof policy !== 'string') return;
  res.setHeader(
    'Content-Security-Policy',
    policy.replace(/frame-ancestors [^;]*/, (directive) => `${directive} ${origin}`),
  );
}
