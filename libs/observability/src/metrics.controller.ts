import { Controller, Get, Header, Inject, NotFoundException } from '@nestjs/common';

import { AuthMetrics } from './auth.metrics.js';
import { OBSERVABILITY_OPTIONS } from './observability.module-definition.js';
import { parseObservabilityOptions, type ObservabilityOptions } from './observability.options.js';

/** `GET /metrics` in the Prometheus text format, when the `metrics` option is on. */
@Controller('metrics')
export class MetricsController {
  private readonly enabled: boolean;

  constructor(
    private readonly metrics: AuthMetrics,
    @Inject(OBSERVABILITY_OPTIONS) options: ObservabilityOptions,
  ) {
    this.enabled = parseObservabilityOptions(options).metrics;
  }

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(): Promise<string> {
    if (!this.enabled) throw new NotFoundException();
    return this.metrics.registry.metrics();
  }
}
