export { AuthMetrics } from './auth.metrics.js';
export { ObservabilityModule } from './observability.module.js';
export { parseObservabilityOptions, type ObservabilityOptions } from './observability.options.js';
export { REDACTED_PATHS } from './logging.js';
