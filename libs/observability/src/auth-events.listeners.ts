import { Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { AuthEvents, type AuthEvent } from '@ioauth/auth-core';

import { AuthMetrics } from './auth.metrics.js';

/** Counts every `AuthEvent` into `AuthMetrics`. */
@Injectable()
export class MetricsListener implements OnModuleInit, OnModuleDestroy {
  private stop: (() => void) | undefined;

  constructor(
    private readonly events: AuthEvents,
    private readonly metrics: AuthMetrics,
  ) {}

  onModuleInit(): void {
    this.stop = this.events.subscribe((event) => this.count(event));
  }

  onModuleDestroy(): void {
    this.stop?.();
  }

  private count(event: AuthEvent): void {
    const { metrics } = this;
    switch (event.type) {
      case 'login.succeeded':
        return void metrics.logins.inc({ result: 'success' });
      case 'login.failed':
        return void metrics.logins.inc({
          result: event.reason === 'rate_limited' ? 'rate_limited' : 'failure',
        });
      case 'token.refreshed':
        return void metrics.refreshes.inc({ outcome: 'rotated' });
      case 'refresh.reused':
        return void metrics.refreshes.inc({ outcome: 'reused' });
      case 'refresh.failed':
        return void metrics.refreshes.inc({
          outcome: event.reason === 'token_revoked' ? 'revoked' : 'invalid',
        });
      case 'session.revoked':
        return void metrics.revocations.inc({ kind: 'session', reason: event.reason });
      case 'user.revoked':
        return void metrics.revocations.inc({ kind: 'user', reason: event.reason });
      case 'grants.changed':
        return void metrics.revocations.inc({ kind: 'grants', reason: 'grants_changed' });
      case 'socket.refused':
        return void metrics.handshakeRefusals.inc({ code: event.code });
      case 'socket.closed':
        return void metrics.socketsClosed.inc({ reason: event.reason });
      default:
        return undefined;
    }
  }
}

/**
 * The audit log (logger `ioauth.audit`): one line per login, refresh, reuse and revocation, naming the user and
 * session, never a secret (OWASP ASVS V7.2.1).
 */
@Injectable()
export class AuditListener implements OnModuleInit, OnModuleDestroy {
  private readonly audit = new Logger('ioauth.audit');
  private stop: (() => void) | undefined;

  constructor(private readonly events: AuthEvents) {}

  onModuleInit(): void {
    this.stop = this.events.subscribe((event) => this.write(event));
  }

  onModuleDestroy(): void {
    this.stop?.();
  }

  private write(event: AuthEvent): void {
    switch (event.type) {
      case 'login.succeeded':
        return this.audit.log({ event: event.type, user: event.sub, sid: event.sid });
      case 'login.failed':
        return this.audit.warn({ event: event.type, user: event.username ?? null, reason: event.reason });
      case 'token.refreshed':
        return this.audit.log({ event: event.type, user: event.sub, sid: event.sid });
      case 'refresh.reused':
        return this.audit.warn({ event: event.type, user: event.sub, sid: event.sid });
      case 'session.revoked':
        return this.audit.log({ event: event.type, user: event.sub, sid: event.sid, reason: event.reason });
      case 'user.revoked':
        return this.audit.log({
          event: event.type,
          user: event.sub,
          sessions: event.sessions,
          reason: event.reason,
        });
      case 'grants.changed':
        return this.audit.log({ event: event.type, user: event.sub });
      default:
        return undefined;
    }
  }
}
