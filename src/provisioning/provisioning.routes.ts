import express, { type Response, type Router } from 'express';
import { launchOf, type LaunchContext } from '../lti';
import { asyncHandler } from '../shared/http';
import { translatorFor, type Translator } from '../shared/i18n';
import { parseInput } from '../shared/validation';
import { assertCanManagePeople } from './provisioning.policy';
import { peoplePageModel } from './provisioning.presenter';
import { checkAgainForm, settingsForm } from './provisioning.schema';
import type { ProvisioningService } from './provisioning.service';

export interface ProvisioningRouteDeps {
  provisioning: ProvisioningService;
  schoolOf(launch: LaunchContext): Promise<{ id: string; name: string }>;
}

async function schoolAdmin(deps: ProvisioningRouteDeps, res: Response) {
  const launch = launchOf(res);
  res.locals.translator = translatorFor(launch.locale);
  assertCanManagePeople(launch);
  return { launch, school: await deps.schoolOf(launch) };
}

const back = (ltik: string, notice: string) =>
  `/lti/zoom/people?ltik=${encodeURIComponent(ltik)}&notice=${notice}`;

/** The school admin's view of its instructors' Zoom users, and the school's provisioning settings. */
export function provisioningRoutes(deps: ProvisioningRouteDeps): Router {
  const router = express.Router();

  router.get(
    '/zoom/people',
    asyncHandler(async (req, res) => {
      const { launch, school } = await schoolAdmin(deps, res);
      const [people, settings] = await Promise.all([
        deps.provisioning.people(school.id),
        deps.provisioning.settings(school.id),
      ]);
      res.render(
        'zoom-people',
        peoplePageModel({
          schoolName: school.name,
          ltik: launch.ltik,
          settings,
          people,
          notice: req.query.notice,
          translator: res.locals.translator as Translator,
        }),
      );
    }),
  );

  router.post(
    '/zoom/people/check',
    asyncHandler(async (req, res) => {
      const { launch, school } = await schoolAdmin(deps, res);
      const form = parseInput(checkAgainForm, req.body);
      await deps.provisioning.checkAgain({
        schoolId: school.id,
        lmsIssuer: form.issuer,
        lmsUserId: form.userId,
      });
      res.redirect(303, back(launch.ltik, 'checked'));
    }),
  );

  router.post(
    '/zoom/settings',
    asyncHandler(async (req, res) => {
      const { launch, school } = await schoolAdmin(deps, res);
      const form = parseInput(settingsForm, req.body);
      await deps.provisioning.saveSettings({ schoolId: school.id, ...form });
      res.redirect(303, back(launch.ltik, 'saved'));
    }),
  );

  return router;
}
