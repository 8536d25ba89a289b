export { createMetrics, MAX_WEBHOOK_EVENTS, type Metrics } from './metrics';
export { metricsRoutes } from './metrics.routes';
