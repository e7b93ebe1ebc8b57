import { Global, Module } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { AuthMetrics } from './auth.metrics.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';

/**
 * `GET /health/live`, `GET /health/ready` (database, and Redis when configured) and `GET /metrics`. Needs
 * `AuthCoreModule` and `StoreModule`.
 */
@Global()
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [AuthMetrics],
  exports: [AuthMetrics],
})
export class ObservabilityModule {}
