/**
 * How long a launch keeps what it read of a registration (the registration, its deployments, its
 * school: `ExpiringCache` in the tenants service): a registration removed by another process stops
 * launching here within this time; one added elsewhere works at once.
 */
export const LAUNCH_CACHE_TTL_MS = 10_000;
