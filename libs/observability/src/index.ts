export { AuthMetrics } from './auth.metrics.js';
export { LOG_LEVELS, type LogLevel } from './log-level.js';
export { ObservabilityModule } from './observability.module.js';
export {
  parseObservabilityOptions,
  type ObservabilityOptions,
  type ObservabilitySettings,
} from './observability.options.js';
export { createPinoLogger, REDACTED_PATHS, type PinoLoggerOptions } from './pino-logger.js';
export { PinoLoggerService } from './pino-logger.service.js';
