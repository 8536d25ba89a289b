export { TenantsService, type PlatformKeyStore } from './tenants.service';
export { LAUNCH_CACHE_TTL_MS } from './tenants.cache';
export type { RegistrationView, RegistrationForLaunch, AddPlatformInput } from './tenants.schema';
export { MAX_INVITE_FAILURES, parseDuration, SchoolInvites, type Invite } from './tenants.invites';
export { FrameAncestors, type FrameSource } from './tenants.frames';
