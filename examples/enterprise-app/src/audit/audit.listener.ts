import { Injectable, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { AuthEvents, type AuthEvent } from '@ioauth/auth-core';

/** How many events the audit trail keeps; the oldest go first. */
const KEPT = 1_000;

/**
 * The app's audit trail: every login, refresh, revocation and socket refusal ioauth reports, kept in memory here
 * (a real app would write them to its SIEM).
 */
@Injectable()
export class AuditListener implements OnModuleInit, OnModuleDestroy {
  private readonly trail: AuthEvent[] = [];
  private stop: (() => void) | undefined;

  constructor(private readonly events: AuthEvents) {}

  onModuleInit(): void {
    this.stop = this.events.subscribe((event) => {
      this.trail.push(event);
      if (this.trail.length > KEPT) this.trail.shift();
    });
  }

  onModuleDestroy(): void {
    this.stop?.();
  }

  /** The events kept, oldest first. */
  recent(): readonly AuthEvent[] {
    return this.trail;
  }
}
