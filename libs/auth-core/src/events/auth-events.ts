import { Logger } from '@nestjs/common';

import type { AuthEvent, AuthEventOf, AuthEventType } from './auth-event.js';

type Listener = (event: AuthEvent) => void | Promise<void>;

/**
 * The one stream of `AuthEvent`s of a process: ioauth's modules emit into it; the application, ioauth's metrics
 * and its audit log listen. Listeners run in the order they subscribed, right when the event happens; one that
 * throws or rejects is logged and never fails the login, refresh or handshake that emitted the event.
 *
 * ```ts
 * constructor(events: AuthEvents) {
 *   events.on('login.failed', (event) => this.alerts.count(event.username));
 * }
 * ```
 */
export class AuthEvents {
  private readonly logger = new Logger('AuthEvents');
  private readonly listeners = new Set<Listener>();

  /** Calls `listener` with every event; returns the function that stops it. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Calls `listener` with every event of one type; returns the function that stops it. */
  on<T extends AuthEventType>(
    type: T,
    listener: (event: AuthEventOf<T>) => void | Promise<void>,
  ): () => void {
    return this.subscribe((event) => (event.type === type ? listener(event as AuthEventOf<T>) : undefined));
  }

  /** Hands an event to every listener. */
  emit(event: AuthEvent): void {
    for (const listener of this.listeners) {
      try {
        const result = listener(event);
        if (result instanceof Promise) result.catch((error: unknown) => this.failed(event, error));
      } catch (error) {
        this.failed(event, error);
      }
    }
  }

  private failed(event: AuthEvent, error: unknown): void {
    this.logger.error({
      msg: 'an auth event listener failed',
      event: event.type,
      err: error instanceof Error ? error.name : 'error',
    });
  }
}
