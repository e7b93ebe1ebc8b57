import { Controller, Get, Header, Inject, NotFoundException } from '@nestjs/common';
import { ApiNotFoundResponse, ApiOkResponse, ApiOperation, ApiProduces, ApiTags } from '@nestjs/swagger';
import { Registry } from 'prom-client';

import { AuthMetrics } from './auth.metrics.js';
import { OBSERVABILITY_OPTIONS } from './observability.module-definition.js';
import { parseObservabilityOptions, type ObservabilityOptions } from './observability.options.js';

/** `GET /metrics` in the Prometheus text format, when the `metrics` option is on. */
@ApiTags('health')
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
  // A returned string is sent as text/html otherwise; scrapers read the exposition format's own type.
  @Header('Content-Type', Registry.PROMETHEUS_CONTENT_TYPE)
  @ApiOperation({ summary: 'Prometheus metrics, when enabled.' })
  @ApiProduces('text/plain')
  @ApiOkResponse({ description: 'Prometheus text exposition format', schema: { type: 'string' } })
  @ApiNotFoundResponse({ description: "metrics are off: the contract's 404 body, code not_found" })
  async scrape(): Promise<string> {
    if (!this.enabled) throw new NotFoundException();
    return this.metrics.registry.metrics();
  }
}
