import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { AuthMetrics } from './auth.metrics.js';
import { HealthController } from './health.controller.js';
import { loggingModule } from './logging.js';
import { MetricsController } from './metrics.controller.js';

/**
 * `GET /health/live`, `GET /health/ready` (database, and Redis when configured), `GET /metrics`, and structured
 * pino logs with secrets redacted. Needs `AuthCoreModule` and `StoreModule`.
 */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false }), loggingModule],
  controllers: [HealthController, MetricsController],
  providers: [AuthMetrics],
  exports: [AuthMetrics],
})
export class ObservabilityModule {}
