import { backOff } from 'exponential-backoff';
import { isDatabaseUnavailable } from '../shared/errors';

/**
 * Runs a write that must not be lost to a database blip (a restart or failover drops every
 * connection for a moment): repeated, with backoff, while the database does not answer, for about
 * 10 s at most. Any other error, and the last unavailability, is thrown as is.
 */
export function whileDatabaseReturns<T>(work: () => Promise<T>): Promise<T> {
  return backOff(work, {
    numOfAttempts: 7,
    startingDelay: 100,
    timeMultiple: 2,
    maxDelay: 3_000,
    jitter: 'full',
    retry: (error: unknown) => isDatabaseUnavailable(error),
  });
}
