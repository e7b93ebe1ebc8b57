import { Inject, Injectable, Logger, type OnModuleDestroy, type OnModuleInit } from '@nestjs/common';

import { IOAUTH_REVOCATION_BUS } from '../auth-core.constants.js';
import { REVOCATION_LOG } from '../auth-core.settings.js';
import type { RevocationBus } from './revocation.js';
import type { RevocationLog } from './revocation-log.js';
import { RevocationList } from './revocation-list.js';

/**
 * How often every process reads the revocations recorded since its last read, whatever the bus says: the bound on
 * how late a revocation whose message was lost (Redis down, a subscriber reconnecting, a CLI run without
 * `REDIS_URL`) is applied. One indexed range query per interval per process.
 */
export const REVOCATION_CATCH_UP_INTERVAL_MS = 2_000;

/**
 * Keeps this process's `RevocationList` equal to the store's: seeded before the app serves anything, read again
 * every `REVOCATION_CATCH_UP_INTERVAL_MS` and at once after each gap of the bus. Off when no `RevocationLog` is
 * provided (an app without the store has nothing durable to catch up from).
 */
@Injectable()
export class RevocationSync implements OnModuleInit, OnModuleDestroy {
  private readonly logger = new Logger('ioauth.revocation');
  private position: Date | undefined;
  private running: Promise<void> | undefined;
  private again = false;
  private failing = false;
  private timer: ReturnType<typeof setInterval> | undefined;
  private stopGap: (() => void) | undefined;

  constructor(
    private readonly list: RevocationList,
    @Inject(IOAUTH_REVOCATION_BUS) private readonly bus: RevocationBus,
    @Inject(REVOCATION_LOG) private readonly log: RevocationLog | null,
  ) {}

  /** Seeds the list from the store; a store that cannot be read stops the boot. */
  async onModuleInit(): Promise<void> {
    if (!this.log) return;
    await this.read(this.log);
    this.timer = setInterval(() => void this.catchUp(), REVOCATION_CATCH_UP_INTERVAL_MS);
    this.timer.unref();
    this.stopGap = this.bus.onGap?.(() => void this.catchUp());
  }

  onModuleDestroy(): void {
    clearInterval(this.timer);
    this.stopGap?.();
  }

  /**
   * Applies what the store recorded since the last read. One read at a time; a call during a read makes one more
   * read after it, so nothing recorded before the call is missed. Never rejects: a failed read is retried at the
   * next interval.
   */
  catchUp(): Promise<void> {
    const log = this.log;
    if (!log) return Promise.resolve();
    if (this.running) {
      this.again = true;
      return this.running;
    }
    this.running = (async () => {
      do {
        this.again = false;
        await this.read(log).then(
          () => this.recovered(),
          (error: unknown) => this.failed(error),
        );
      } while (this.again);
    })().finally(() => (this.running = undefined));
    return this.running;
  }

  private async read(log: RevocationLog): Promise<void> {
    const page = await log.readSince(this.position);
    for (const revocation of page.revocations) this.list.add(revocation);
    this.position = page.position;
  }

  private recovered(): void {
    if (this.failing) this.logger.log('revocations are read from the store again');
    this.failing = false;
  }

  // Logged once per outage, by kind only: the store's error may quote a connection string.
  private failed(error: unknown): void {
    if (!this.failing)
      this.logger.warn({
        msg: 'cannot read revocations from the store; retrying',
        err: error instanceof Error ? error.name : 'error',
      });
    this.failing = true;
  }
}
