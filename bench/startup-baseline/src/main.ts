import { Controller, Get, Module } from '@nestjs/common';
import { NestFactory } from '@nestjs/core';

/** The one route the start-up bench polls, as it polls the server's readiness. */
@Controller('health')
class ReadyController {
  @Get('ready')
  ready(): { status: string } {
    return { status: 'ok' };
  }
}

@Module({ controllers: [ReadyController] })
class BaselineModule {}

// The start-up bench's baseline (startup.bench.ts): the least a Nest HTTP app on platform-express does to listen.
const app = await NestFactory.create(BaselineModule, { logger: ['error'] });
app.enableShutdownHooks();
await app.listen(Number(process.env['PORT']), '127.0.0.1');
