export { AuthMetrics } from './auth.metrics.js';
export { ObservabilityModule } from './observability.module.js';
export { REDACTED_PATHS } from './logging.js';
