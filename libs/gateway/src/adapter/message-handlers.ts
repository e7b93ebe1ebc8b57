import type { LoggerService } from '@nestjs/common';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable, Subscription } from 'rxjs';
import type { Socket } from 'socket.io';

// Nest's `mapPayload`: the acknowledgement callback, when the client sent one, is the last argument.
type MapPayload = (payload: unknown) => { data: unknown; ack?: unknown };
type Transform = (result: unknown) => Observable<unknown>;
/** Decides whether an event may reach its handler, answering the client itself when it may not. */
export type AdmitEvent = (socket: Socket, event: string, args: readonly unknown[]) => boolean;

// Responses still pending when their socket disconnects: dropped then, as Nest's IoAdapter does with `takeUntil`.
const pending = new WeakMap<Socket, Set<Subscription>>();

function dropPendingOnDisconnect(socket: Socket): Set<Subscription> {
  let open = pending.get(socket);
  if (!open) {
    const set = new Set<Subscription>();
    open = set;
    pending.set(socket, set);
    socket.once('disconnect', () => {
      for (const subscription of set) subscription.unsubscribe();
      set.clear();
    });
  }
  return open;
}

/**
 * What Nest's `IoAdapter.bindMessageHandlers` does, with one plain listener per handler where Nest builds an RxJS
 * pipeline per handler and a shared disconnect stream for every socket at connect: work and garbage that every
 * connection paid whether or not it ever sent an event, and about 6 KB of heap per idle socket (bench/gateway).
 * Per event the handler's result goes through Nest's `transform` as before; the responses are the same: a non-nil
 * result is acknowledged, or emitted when it is `{ event, data }`, nothing once the socket is gone, and a failing
 * handler is logged without silencing its event. An event `admit` refuses never reaches its handler.
 */
export function bindMessageHandlers(
  socket: Socket,
  handlers: readonly MessageMappingProperties[],
  transform: Transform,
  mapPayload: MapPayload,
  logger: LoggerService,
  admit?: AdmitEvent,
): void {
  for (const { message, callback, isAckHandledManually } of handlers) {
    const respond = (response: unknown, ack: unknown) => {
      if (response === null || response === undefined || !socket.connected) return;
      const { event, data } = response as { event?: string; data?: unknown };
      if (event) socket.emit(event, data);
      else if (!isAckHandledManually && typeof ack === 'function') ack(response);
    };
    // One argument arrives as itself, several as their array: the payload Nest's `fromEvent` would have mapped.
    socket.on(message as string, (...args: unknown[]) => {
      if (admit && !admit(socket, message as string, args)) return;
      const { data, ack } = mapPayload(args.length > 1 ? args : args[0]);
      let subscription: Subscription;
      try {
        subscription = transform(callback(data, ack)).subscribe({
          next: (response) => respond(response, ack),
          error: (error: unknown) => logger.error(error),
        });
      } catch (error) {
        logger.error(error);
        return;
      }
      if (subscription.closed) return;
      const open = dropPendingOnDisconnect(socket);
      open.add(subscription);
      subscription.add(() => open.delete(subscription));
    });
  }
}
