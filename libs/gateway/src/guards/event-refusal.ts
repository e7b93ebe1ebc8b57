import type { Socket } from 'socket.io';

import type { AckError, ErrorCode, ExceptionPayload } from '@ioauth/contracts';

/**
 * Answers a refused event as shared/CONTRACT.md says: the ack error `{"error":{"code","message"}}` when the client
 * asked for an ack (`ack` is its callback), else the `exception` event `{"code","message","event"}`.
 */
export function answerRefusal(
  socket: Pick<Socket, 'emit'>,
  ack: unknown,
  event: string,
  code: ErrorCode,
  message: string,
): void {
  if (typeof ack === 'function') (ack as (result: AckError) => void)({ error: { code, message } });
  else socket.emit('exception', { code, message, event } satisfies ExceptionPayload);
}
