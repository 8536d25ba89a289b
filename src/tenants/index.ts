export { TenantsService, type PlatformKeyStore } from './tenants.service';
export type { RegistrationView, RegistrationForLaunch, AddPlatformInput } from './tenants.schema';
