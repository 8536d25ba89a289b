export { TenantsService, type PlatformKeyStore } from './tenants.service';
export { LAUNCH_CACHE_TTL_MS } from './tenants.cache';
export type { RegistrationView, RegistrationForLaunch, AddPlatformInput } from './tenants.schema';
export { parseDuration, SchoolInvites, type Invite } from './tenants.invites';
