export { PrivacyService, type PrivacyServiceOptions } from './privacy.service';
export { PRIVACY_PURGE_JOB, RetentionPurge, nextPurgeAt } from './privacy.purge';
export { retentionCommand, privacyCommands } from './privacy.cli';
export { subjectHash } from './privacy.erase';
export type { Retention, ErasureReport } from './privacy.schema';
