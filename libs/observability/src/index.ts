export { AuthMetrics } from './auth.metrics.js';
export { ObservabilityModule } from './observability.module.js';
