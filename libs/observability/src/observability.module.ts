import { Module, type DynamicModule, type MiddlewareConsumer, type NestModule } from '@nestjs/common';
import { TerminusModule } from '@nestjs/terminus';

import { AuditListener, MetricsListener } from './auth-events.listeners.js';
import { AuthMetrics } from './auth.metrics.js';
import { HealthController } from './health.controller.js';
import { MetricsController } from './metrics.controller.js';
import {
  OBSERVABILITY_OPTIONS,
  OBSERVABILITY_OPTIONS_TYPE,
  ObservabilityConfigurableModule,
} from './observability.module-definition.js';
import { parseObservabilityOptions, type ObservabilityOptions } from './observability.options.js';
import { createPinoLogger } from './pino-logger.js';
import { PinoLoggerService } from './pino-logger.service.js';
import { RequestLoggingMiddleware } from './request-logging.middleware.js';

/**
 * `GET /health/live`, `GET /health/ready` (database, and Redis when configured), `GET /metrics`, and pino logs with
 * secrets redacted: one line per request, the audit log, and `PinoLoggerService` for `app.useLogger()`. Readiness
 * checks the store and Redis when the app mounts them. Global by default.
 */
@Module({
  imports: [TerminusModule.forRoot({ logger: false })],
  controllers: [HealthController, MetricsController],
  providers: [
    AuthMetrics,
    MetricsListener,
    AuditListener,
    {
      provide: PinoLoggerService,
      inject: [OBSERVABILITY_OPTIONS],
      useFactory: (options: ObservabilityOptions) => {
        const { logger, logLevel } = parseObservabilityOptions(options);
        return new PinoLoggerService(logger ?? createPinoLogger({ level: logLevel }));
      },
    },
    RequestLoggingMiddleware,
  ],
  exports: [AuthMetrics, PinoLoggerService],
})
export class ObservabilityModule extends ObservabilityConfigurableModule implements NestModule {
  /**
   * Mounts the module; the options are validated first.
   * @throws OptionsError naming every bad option.
   */
  static override forRoot(options: typeof OBSERVABILITY_OPTIONS_TYPE = {}): DynamicModule {
    const { isGlobal: _isGlobal, ...input } = options;
    parseObservabilityOptions(input);
    return super.forRoot(options);
  }

  configure(consumer: MiddlewareConsumer): void {
    consumer.apply(RequestLoggingMiddleware).forRoutes('{*path}');
  }
}
