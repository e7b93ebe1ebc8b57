import { Controller, Get } from '@nestjs/common';

/** Liveness: the process serves requests. Readiness with its dependency checks arrives with the HTTP API (#4). */
@Controller('health')
export class HealthController {
  @Get('live')
  live() {
    return { status: 'ok' };
  }
}
