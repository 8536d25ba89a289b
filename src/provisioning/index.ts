export {
  ProvisioningService,
  PROVISIONING_RETRY_ATTEMPTS,
  PROVISIONING_RETRY_JOB,
  type Launcher,
  type ConnectionLookup,
} from './provisioning.service';
export { provisioningRoutes } from './provisioning.routes';
export { outcomeMessage, type Outcome, type OutcomeMessage } from './provisioning.outcomes';
export { forgetSchool as forgetProvisionedPeople } from './provisioning.repo';
