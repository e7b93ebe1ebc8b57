import type { Clock } from '../clock.js';

/** A counter in a fixed window. */
export interface WindowCount {
  count: number;
  /** When the window ends, in ms since the epoch. */
  resetAt: number;
}

/**
 * Counters for rate limits, in fixed windows: in memory for one process, in Redis when several processes must
 * share one limit.
 */
export interface RateLimitStore {
  /** Adds one to `key`'s counter, opening a window of `windowMs` if none is open. */
  increment(key: string, windowMs: number): Promise<WindowCount>;
  /** Reads `key`'s counter without changing it; undefined when no window is open. */
  peek(key: string): Promise<WindowCount | undefined>;
  /** Forgets `key`'s counter. */
  reset(key: string): Promise<void>;
}

/** Counters of this process only. Bounded: expired windows are dropped as the map is used. */
export class MemoryRateLimitStore implements RateLimitStore {
  private readonly windows = new Map<string, WindowCount>();
  private nextSweep = 0;

  constructor(private readonly clock: Clock) {}

  async increment(key: string, windowMs: number): Promise<WindowCount> {
    const now = this.sweep();
    const open = this.windows.get(key);
    const window = open && open.resetAt > now ? open : { count: 0, resetAt: now + windowMs };
    window.count += 1;
    this.windows.set(key, window);
    return { ...window };
  }

  async peek(key: string): Promise<WindowCount | undefined> {
    const now = this.sweep();
    const open = this.windows.get(key);
    return open && open.resetAt > now ? { ...open } : undefined;
  }

  async reset(key: string): Promise<void> {
    this.windows.delete(key);
  }

  private sweep(): number {
    const now = this.clock.now();
    if (now >= this.nextSweep) {
      this.nextSweep = now + 1000;
      for (const [key, window] of this.windows) if (window.resetAt <= now) this.windows.delete(key);
    }
    return now;
  }
}
