export { ZoomOAuthServer } from './zoom.oauth';
export { ZoomTokenService } from './zoom.tokens';
export { ZoomConnectService, type ConnectionView } from './zoom.connect.service';
export { ZoomClient } from './zoom.client';
export { ZoomPacer } from './zoom.pacer';
export { zoomRateStore } from './zoom.pacer.repo';
export { accountProbe } from './zoom.probe';
export { zoomAdminRoutes, zoomCallbackRoutes } from './zoom.routes';
export { ZoomSelfCheck } from './zoom.selfcheck';
export { ZoomConnectLinks } from './zoom.connect-links';
export { connectLinkRoutes } from './zoom.connect-links.routes';
export { zoomWebhookRoutes } from './zoom.webhooks.routes';
export { webhookTargets } from './zoom.webhooks.targets';
export { ZoomEvents, type ZoomEventContext, type ZoomEventSubscriber } from './zoom.events';
export type { WebhookTargets } from './zoom.webhooks.service';
export type { ZoomWebhookEvent } from './zoom.webhooks.schema';
export type { ZoomConnectionRef, AccessTokenProvider, ZoomPlan } from './zoom.types';
export { ZoomApiError } from './zoom.client.errors';
export type { ZoomAccountApi, ZoomCallOptions } from './zoom.client';
export {
  zoomMeetings,
  type ZoomMeeting,
  type ZoomMeetingInput,
  type ZoomMeetingListItem,
  type ZoomMeetingsApi,
  type ZoomRecording,
} from './zoom.meetings.api';
export {
  registrantNames,
  zoomRegistrants,
  type ZoomRegistrant,
  type ZoomRegistrantAdded,
  type ZoomRegistrantInput,
  type ZoomRegistrantsApi,
} from './zoom.registrants.api';
export {
  zoomRecordings,
  type ZoomRecordingLinks,
  type ZoomRecordingSharing,
  type ZoomRecordingsApi,
} from './zoom.recordings.api';
export {
  zoomReports,
  instancePathValue,
  type ZoomPastInstance,
  type ZoomReportParticipant,
  type ZoomReportsApi,
} from './zoom.reports.api';
