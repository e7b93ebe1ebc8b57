import { Controller, Get, Header, Inject, NotFoundException } from '@nestjs/common';

import { IOAUTH_CONFIG, type IoauthConfig } from '@ioauth/auth-core';

import { AuthMetrics } from './auth.metrics.js';

/** `GET /metrics` in the Prometheus text format, when `IOAUTH_METRICS=true`. */
@Controller('metrics')
export class MetricsController {
  constructor(
    private readonly metrics: AuthMetrics,
    @Inject(IOAUTH_CONFIG) private readonly config: IoauthConfig,
  ) {}

  @Get()
  @Header('Cache-Control', 'no-store')
  async scrape(): Promise<string> {
    if (!this.config.metrics) throw new NotFoundException();
    return this.metrics.registry.metrics();
  }
}
