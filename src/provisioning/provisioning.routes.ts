import express, { type Response, type Router } from 'express';
import { launchOf, type LaunchContext } from '../lti';
import { errors } from '../shared/errors';
import { describeZodError } from '../tenants';
import { outcomeMessage, type Outcome } from './provisioning.outcomes';
import * as repo from './provisioning.repo';
import { checkAgainForm, settingsForm } from './provisioning.schema';
import type { ProvisioningService } from './provisioning.service';
import type { Db } from '../storage';

export interface ProvisioningRouteDeps {
  db: Db;
  provisioning: ProvisioningService;
  schoolOf(launch: LaunchContext): Promise<{ id: string; name: string }>;
}

const LICENCES: Record<number, string> = { 1: 'Basic', 2: 'Licensed', 99: 'None' };

async function schoolAdmin(deps: ProvisioningRouteDeps, res: Response) {
  const launch = launchOf(res);
  if (launch.role !== 'administrator')
    throw errors.forbidden('Only a school administrator can see and change Zoom users.');
  return { launch, school: await deps.schoolOf(launch) };
}

const back = (ltik: string, notice: string) =>
  `/lti/zoom/people?ltik=${encodeURIComponent(ltik)}&notice=${notice}`;

/** The school admin's view of its instructors' Zoom users, and the school's provisioning settings. */
export function provisioningRoutes(deps: ProvisioningRouteDeps): Router {
  const router = express.Router();

  router.get('/zoom/people', (req, res, next) => {
    (async () => {
      const { launch, school } = await schoolAdmin(deps, res);
      const [people, settings] = await Promise.all([
        repo.peopleOf(deps.db, school.id),
        repo.settingsOf(deps.db, school.id),
      ]);
      res.render('zoom-people', {
        title: 'Zoom users',
        schoolName: school.name,
        ltik: launch.ltik,
        settings,
        notice:
          req.query.notice === 'saved'
            ? 'Settings saved.'
            : req.query.notice === 'checked'
              ? 'Checked with Zoom.'
              : undefined,
        people: people.map((person) => ({
          issuer: person.lmsIssuer,
          userId: person.lmsUserId,
          name: person.name || '(no name)',
          email: person.email ?? '(no email from the LMS)',
          status: person.leaseOwner ? 'being set up' : person.status,
          licence: person.licenceType ? (LICENCES[person.licenceType] ?? String(person.licenceType)) : '—',
          lastChecked: person.lastCheckedAt
            ? person.lastCheckedAt.toISOString().replace('T', ' ').slice(0, 16) + ' UTC'
            : 'never',
          outcome: person.lastOutcome ? outcomeMessage(person.lastOutcome as Outcome, {}).title : '',
        })),
      });
    })().catch(next);
  });

  router.post('/zoom/people/check', (req, res, next) => {
    (async () => {
      const { launch, school } = await schoolAdmin(deps, res);
      const form = checkAgainForm.safeParse(req.body);
      if (!form.success) throw errors.badRequest(`Please check: ${describeZodError(form.error)}.`);
      const key = { schoolId: school.id, lmsIssuer: form.data.issuer, lmsUserId: form.data.userId };
      if (!(await repo.person(deps.db, key)))
        throw errors.notFound('There is no such person in your school.');
      await deps.provisioning.checkAgain(key);
      res.redirect(303, back(launch.ltik, 'checked'));
    })().catch(next);
  });

  router.post('/zoom/settings', (req, res, next) => {
    (async () => {
      const { launch, school } = await schoolAdmin(deps, res);
      const form = settingsForm.safeParse(req.body);
      if (!form.success) throw errors.badRequest(`Please check: ${describeZodError(form.error)}.`);
      await repo.saveSettings(deps.db, { schoolId: school.id, ...form.data });
      res.redirect(303, back(launch.ltik, 'saved'));
    })().catch(next);
  });

  return router;
}
