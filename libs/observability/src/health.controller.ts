import { Controller, Get, Inject, Optional } from '@nestjs/common';
import {
  ApiOkResponse,
  ApiOperation,
  ApiServiceUnavailableResponse,
  ApiTags,
  type SchemaObject,
} from '@nestjs/swagger';
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

// Readiness as terminus reports it: each dependency by name, `up` or `down`.
const dependencies: SchemaObject = {
  type: 'object',
  additionalProperties: {
    type: 'object',
    required: ['status'],
    properties: { status: { type: 'string', enum: ['up', 'down'] }, message: { type: 'string' } },
  },
};

/** Liveness and readiness for load balancers and orchestrators. */
@ApiTags('health')
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
  @ApiOperation({ summary: 'The process answers.' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok'] } },
    },
  })
  live() {
    return { status: 'ok' };
  }

  /** Every dependency answers within 2 s: 200, else 503 with each dependency's state. */
  @Get('ready')
  @HealthCheck()
  @ApiOperation({ summary: 'Every dependency (database, Redis) answers within 2 s.' })
  @ApiOkResponse({
    schema: {
      type: 'object',
      required: ['status'],
      properties: { status: { type: 'string', enum: ['ok'] }, info: dependencies, details: dependencies },
    },
  })
  @ApiServiceUnavailableResponse({
    description: 'service_unavailable, with the state of each dependency',
    schema: {
      type: 'object',
      required: ['statusCode', 'code', 'message'],
      properties: {
        statusCode: { type: 'integer', enum: [503] },
        code: { type: 'string', enum: ['service_unavailable'] },
        message: { type: 'string' },
        details: dependencies,
      },
    },
  })
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
