import { setImmediate as yieldToRequests } from 'node:timers/promises';

import {
  Inject,
  Injectable,
  Logger,
  type OnApplicationBootstrap,
  type OnApplicationShutdown,
} from '@nestjs/common';

import { IOAUTH_CLOCK, type Clock } from '@ioauth/auth-core';

import { SqlRevocationLog } from '../revocations/sql-revocation-log.js';
import type { SessionRepository } from '../sessions/session.js';
import { IOAUTH_SESSIONS } from '../store.constants.js';

/** How often expired sessions, refresh tokens and revocations are deleted, and the first time after start-up. */
export const PURGE_INTERVAL_MS = 10 * 60_000;
const FIRST_PURGE_MS = 60_000;
/** Rows per delete: small enough that a batch holds its locks for a moment only. */
const PURGE_BATCH = 500;

/**
 * Deletes what can no longer matter, in the background: sessions whose last refresh token expired, expired
 * refresh tokens (spent ones included: past their expiry a reuse can no longer be told from an expired token), and
 * revocations past their last token. In batches with a turn of the event loop between them, so requests never
 * wait on it; a failure is logged and retried at the next interval. Every process runs it; concurrent purges only
 * find less to delete.
 */
@Injectable()
export class ExpiredDataPurger implements OnApplicationBootstrap, OnApplicationShutdown {
  private readonly logger = new Logger('ioauth.purge');
  private timer: ReturnType<typeof setTimeout> | undefined;
  private stopped = false;

  constructor(
    @Inject(IOAUTH_SESSIONS) private readonly sessions: SessionRepository,
    private readonly revocations: SqlRevocationLog,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
  ) {}

  onApplicationBootstrap(): void {
    this.schedule(FIRST_PURGE_MS);
  }

  onApplicationShutdown(): void {
    this.stopped = true;
    clearTimeout(this.timer);
  }

  /** Runs one purge to the end; resolves with the number of rows deleted. */
  async purge(): Promise<number> {
    const now = new Date(this.clock.now());
    let deleted = 0;
    for (const step of [
      () => this.sessions.purgeExpired(now, PURGE_BATCH),
      () => this.revocations.purgeExpired(now, PURGE_BATCH),
    ]) {
      for (let count = PURGE_BATCH; count >= PURGE_BATCH && !this.stopped;) {
        count = await step();
        deleted += count;
        await yieldToRequests();
      }
    }
    return deleted;
  }

  private schedule(delay: number): void {
    if (this.stopped) return;
    this.timer = setTimeout(() => {
      this.purge()
        .then(
          (deleted) => {
            if (deleted > 0)
              this.logger.log({ msg: 'purged expired sessions and revocations', rows: deleted });
          },
          (error: unknown) =>
            this.logger.warn({
              msg: 'purge failed; retrying later',
              err: error instanceof Error ? error.name : 'error',
            }),
        )
        .finally(() => this.schedule(PURGE_INTERVAL_MS));
    }, delay);
    this.timer.unref();
  }
}
