/** The Zoom simulator's public surface; other folders import only from here. */
export { createZoomSimulator } from './zoom-sim.simulator';
export { fixedClock } from './zoom-sim.clock';
export { DEFAULT_OAUTH_ERRORS } from './zoom-sim.options';
export { CLASSIC_ADMIN_SCOPES } from './zoom-sim.auth';
export { PER_SECOND as RATE_LIMITS_PER_SECOND } from './zoom-sim.limits';
export {
  validateZoomRequest,
  validateZoomResponse,
  ZOOM_ERROR_BODY_SCHEMA,
  ZOOM_SPEC_RELAXATIONS,
  type ZoomValidationResult,
} from './zoom-sim.openapi';
export type * from './zoom-sim.types';
export type {
  ApiOptions,
  LimitOptions,
  OAuthErrorName,
  OAuthErrorSpec,
  OAuthOptions,
  WebhookOptions,
  ZoomSimulatorOptions,
} from './zoom-sim.options';
