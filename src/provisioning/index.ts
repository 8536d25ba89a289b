export { ProvisioningService, type Launcher, type ConnectionLookup } from './provisioning.service';
export { provisioningRoutes } from './provisioning.routes';
export { outcomeMessage, type Outcome, type OutcomeMessage } from './provisioning.outcomes';
export { person as provisionedPerson, forgetSchool as forgetProvisionedPeople } from './provisioning.repo';
