export { AgsClient, createAgsClient, type AgsClientOptions, type LineItemFilter } from './grades.ags';
export { DEFAULT_RETRY, type RetryOptions } from './grades.http';
export { linkWithRel, retryAfterMs } from './grades.headers';
export { checkLmsUrl, lmsUrlPolicyFor, type LmsUrlPolicy } from './grades.urls';
export {
  AGS_MEDIA_TYPES,
  ACTIVITY_PROGRESS,
  GRADING_PROGRESS,
  type LineItem,
  type LineItemInput,
  type Result,
  type Score,
} from './grades.schema';
