import type { Clock } from '../clock.js';
import type { RedisClient } from '../redis/redis-connection.js';
import type { RateLimitStore, WindowCount } from './rate-limit.store.js';

const PREFIX = 'ioauth:rate:';

/** Rate-limit counters in Redis, shared by every process: INCR, with the window's expiry set by the first hit. */
export class RedisRateLimitStore implements RateLimitStore {
  constructor(
    private readonly redis: RedisClient,
    private readonly clock: Clock,
  ) {}

  async increment(key: string, windowMs: number): Promise<WindowCount> {
    const [count, , ttl] = (await this.redis
      .multi()
      .incr(PREFIX + key)
      .pExpire(PREFIX + key, windowMs, 'NX')
      .pTTL(PREFIX + key)
      .exec()) as unknown as [number, number, number];
    return { count, resetAt: this.clock.now() + Math.max(ttl, 0) };
  }

  async peek(key: string): Promise<WindowCount | undefined> {
    const [count, ttl] = (await this.redis
      .multi()
      .get(PREFIX + key)
      .pTTL(PREFIX + key)
      .exec()) as unknown as [string | null, number];
    if (count === null || ttl <= 0) return undefined;
    return { count: Number(count), resetAt: this.clock.now() + ttl };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(PREFIX + key);
  }
}
