export { createMetrics, MAX_JOB_KINDS, MAX_WEBHOOK_EVENTS, type Metrics } from './metrics';
export { metricsRoutes } from './metrics.routes';
