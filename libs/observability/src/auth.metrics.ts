import { Counter, Registry, collectDefaultMetrics } from 'prom-client';

/**
 * The counters of ioauth, in a registry of their own (so that several apps in one process never collide), counted
 * from the `AuthEvents` stream.
 */
export class AuthMetrics {
  readonly registry = new Registry();
  /** Logins by result: `success`, `failure`, `rate_limited`. */
  readonly logins = new Counter({
    name: 'ioauth_logins_total',
    help: 'Login attempts by result.',
    labelNames: ['result'] as const,
    registers: [this.registry],
  });
  /** Refresh-grant requests by outcome: `rotated`, `reused`, `revoked`, `invalid`. */
  readonly refreshes = new Counter({
    name: 'ioauth_refreshes_total',
    help: 'Refresh-token requests by outcome; "reused" is a detected refresh-token replay.',
    labelNames: ['outcome'] as const,
    registers: [this.registry],
  });
  /** Revocations by kind (`session`, `user`, `grants` for a lost scope or role) and reason. */
  readonly revocations = new Counter({
    name: 'ioauth_revocations_total',
    help: 'Revocations published, by kind and reason.',
    labelNames: ['kind', 'reason'] as const,
    registers: [this.registry],
  });

  /** socket.io handshakes refused, by `connect_error` code. */
  readonly handshakeRefusals = new Counter({
    name: 'ioauth_handshake_refusals_total',
    help: 'socket.io handshakes refused, by connect_error code.',
    labelNames: ['code'] as const,
    registers: [this.registry],
  });
  /** Authenticated sockets closed by ioauth, by reason: `token_expired`, `token_revoked`, `rate_limited`. */
  readonly socketsClosed = new Counter({
    name: 'ioauth_sockets_closed_total',
    help: 'Authenticated sockets closed by ioauth, by reason.',
    labelNames: ['reason'] as const,
    registers: [this.registry],
  });

  constructor() {
    collectDefaultMetrics({ register: this.registry, prefix: 'ioauth_' });
  }
}
