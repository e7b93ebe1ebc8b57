import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import { WsException } from '@nestjs/websockets';
import type { Socket } from 'socket.io';

import { isAuthError } from '@ioauth/auth-core';
import type { ErrorCode } from '@ioauth/contracts';

import { answerRefusal } from './event-refusal.js';

const logger = new Logger('WsAuth');

/**
 * Answers a refused or failed event as shared/CONTRACT.md says: the ack error `{"error":{"code","message"}}` when the
 * client asked for an ack, else the `exception` event `{"code","message","event"}`. Auth errors keep their code;
 * validation errors (a `ValidationPipe`, a `WsException`, a 400) are `invalid_payload`; anything else is logged
 * and answered `unavailable` without details.
 */
@Catch()
export class WsErrorFilter implements ExceptionFilter {
  catch(exception: unknown, host: ArgumentsHost): void {
    const ws = host.switchToWs();
    const socket = ws.getClient<Socket>();
    const args = host.getArgs<unknown[]>();
    const ack = args.slice(1).find((arg) => typeof arg === 'function');
    const { code, message } = this.describe(exception);
    answerRefusal(socket, ack, ws.getPattern(), code, message);
  }

  private describe(exception: unknown): { code: ErrorCode; message: string } {
    if (isAuthError(exception)) return { code: exception.code, message: exception.message };
    if (
      exception instanceof WsException ||
      (exception instanceof HttpException && exception.getStatus() === 400)
    )
      return { code: 'invalid_payload', message: 'the event payload is malformed' };
    logger.error({ msg: 'event handler failed', err: exception });
    return { code: 'unavailable', message: 'the event could not be handled: try again later' };
  }
}
