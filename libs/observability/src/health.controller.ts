import { Controller, Get, Inject, Optional } from '@nestjs/common';
import { HealthCheck, HealthCheckService, HealthIndicatorService } from '@nestjs/terminus';

import { IOAUTH_REDIS, type RedisClient } from '@ioauth/redis';
import { IOAUTH_SQL, type SqlClient } from '@ioauth/store';

const TIMEOUT_MS = 2_000;

function withTimeout<T>(work: Promise<T>): Promise<T> {
  return Promise.race([
    work,
    new Promise<never>((_, reject) => setTimeout(() => reject(new Error('timed out')), TIMEOUT_MS).unref()),
  ]);
}

/** Liveness and readiness for load balancers and orchestrators. */
@Controller('health')
export class HealthController {
  constructor(
    private readonly health: HealthCheckService,
    private readonly indicators: HealthIndicatorService,
    // Absent in an app without a store, such as the gateway alone on the embedded defaults.
    @Optional() @Inject(IOAUTH_SQL) private readonly sql: SqlClient | null,
    // Absent in a single process, which mounts no `IoauthRedisModule`.
    @Optional() @Inject(IOAUTH_REDIS) private readonly redis: RedisClient | null,
  ) {}

  /** The process answers: 200 `{status: "ok"}`. */
  @Get('live')
  live() {
    return { status: 'ok' };
  }

  /** Every dependency answers within 2 s: 200, else 503 with each dependency's state. */
  @Get('ready')
  @HealthCheck()
  ready() {
    return this.health.check([
      ...(this.sql ? [() => this.probe('database', () => (this.sql as SqlClient).query('select 1'))] : []),
      ...(this.redis ? [() => this.probe('redis', () => (this.redis as RedisClient).ping())] : []),
    ]);
  }

  private async probe(key: string, check: () => Promise<unknown>) {
    const indicator = this.indicators.check(key);
    try {
      await withTimeout(check());
      return indicator.up();
    } catch {
      // The dependency's own error may name hosts or users: report only that it is down.
      return indicator.down({ message: 'not answering' });
    }
  }
}
