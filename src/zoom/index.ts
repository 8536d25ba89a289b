export { ZoomOAuthServer } from './zoom.oauth';
export { ZoomTokenService } from './zoom.tokens';
export { ZoomConnectService, type ConnectionView } from './zoom.connect.service';
export { ZoomClient } from './zoom.client';
export { accountProbe } from './zoom.probe';
export { zoomAdminRoutes, zoomCallbackRoutes } from './zoom.routes';
export { zoomWebhookRoutes } from './zoom.webhooks.routes';
export { webhookTargets } from './zoom.webhooks.targets';
export type { ZoomConnectionRef, AccessTokenProvider, ZoomPlan } from './zoom.types';
