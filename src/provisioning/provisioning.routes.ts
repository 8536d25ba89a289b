import express, { type Request, type Response, type Router } from 'express';
import { IANAZone } from 'luxon';
import { asyncHandler } from '../shared/http';
import { parseInput } from '../shared/validation';
import { requestContext } from '../web';
import { assertCanManagePeople } from './provisioning.policy';
import { peoplePageModel } from './provisioning.presenter';
import { checkAgainForm, settingsForm } from './provisioning.schema';
import type { ProvisioningService } from './provisioning.service';

export interface ProvisioningRouteDeps {
  provisioning: ProvisioningService;
}

/** The school administrator behind this request; a form must also carry this session's form token. */
function schoolAdmin(res: Response, form?: Request) {
  const context = requestContext(res);
  assertCanManagePeople(context.launch);
  if (form) context.assertForm(form.body);
  return context;
}

/** The zone the viewer's browser sent (`tz`, as on the course page), when it is one. */
const zoneOf = (req: Request) => {
  const tz = (req.query.tz ?? (req.body as Record<string, unknown> | undefined)?.tz) as unknown;
  return typeof tz === 'string' && IANAZone.isValidZone(tz) ? tz : undefined;
};

const back = (req: Request, notice: string) => ({ tz: zoneOf(req), notice });

/** The school admin's view of its instructors' Zoom users, and the school's provisioning settings. */
export function provisioningRoutes(deps: ProvisioningRouteDeps): Router {
  const router = express.Router();

  router.get(
    '/zoom/people',
    asyncHandler(async (req, res) => {
      const { launch, school, translator, csrf } = schoolAdmin(res);
      const tz = zoneOf(req);
      const [people, settings] = await Promise.all([
        deps.provisioning.people(school.id),
        deps.provisioning.settings(school.id),
      ]);
      res.render('zoom-people', {
        ...peoplePageModel({
          schoolName: school.name,
          ltik: launch.ltik,
          settings,
          people,
          notice: req.query.notice,
          translator,
          timeZone: tz ?? school.timeZone,
        }),
        csrf,
        tz: tz ?? '',
      });
    }),
  );

  router.post(
    '/zoom/people/check',
    asyncHandler(async (req, res) => {
      const { school, link } = schoolAdmin(res, req);
      const form = parseInput(checkAgainForm, req.body);
      await deps.provisioning.checkAgain({
        schoolId: school.id,
        lmsIssuer: form.issuer,
        lmsUserId: form.userId,
      });
      res.redirect(303, link('/zoom/people', back(req, 'checked')));
    }),
  );

  router.post(
    '/zoom/settings',
    asyncHandler(async (req, res) => {
      const { school, link } = schoolAdmin(res, req);
      const form = parseInput(settingsForm, req.body);
      await deps.provisioning.saveSettings({ schoolId: school.id, ...form });
      res.redirect(303, link('/zoom/people', back(req, 'saved')));
    }),
  );

  return router;
}
