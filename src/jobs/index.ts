export {
  JobRunner,
  type JobHandler,
  type JobResult,
  type JobContext,
  type JobDefinition,
} from './jobs.runner';
