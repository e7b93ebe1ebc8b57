import { Module, type DynamicModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { AuditListener, MetricsListener } from './auth-events.listeners.js';
import { AuthMetrics } from './auth.metrics.js';
import { HealthController } from './health.controller.js';
import { loggingModule } from './logging.js';
import { MetricsController } from './metrics.controller.js';
import {
  OBSERVABILITY_OPTIONS_TYPE,
  ObservabilityConfigurableModule,
} from './observability.module-definition.js';
import { parseObservabilityOptions } from './observability.options.js';

/**
 * `GET /health/live`, `GET /health/ready` (database, and Redis when configured), `GET /metrics`, and structured
 * pino logs with secrets redacted. Readiness checks the store and Redis when the app mounts them. Global by default.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), loggingModule],
  controllers: [HealthController, MetricsController],
  providers: [AuthMetrics, MetricsListener, AuditListener],
  exports: [AuthMetrics],
})
export class ObservabilityModule extends ObservabilityConfigurableModule {
  /**
   * Mounts the module; the options are validated first.
   * @throws OptionsError naming every bad option.
   */
  static override forRoot(options: typeof OBSERVABILITY_OPTIONS_TYPE = {}): DynamicModule {
    const { isGlobal: _isGlobal, ...input } = options;
    parseObservabilityOptions(input);
    return super.forRoot(options);
  }
}
