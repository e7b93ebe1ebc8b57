import type { Clock } from '../clock.js';
import type { RedisClient } from '../redis/redis-connection.js';
import type { RateLimitStore, WindowCount } from './rate-limit.store.js';

/**
 * Rate-limit counters in Redis, shared by every process: INCR, with the window's expiry set by the first hit.
 * Keys live under `ioauth:<namespace>:rate:`, so deployments sharing one Redis keep apart.
 */
export class RedisRateLimitStore implements RateLimitStore {
  private readonly prefix: string;

  constructor(
    private readonly redis: RedisClient,
    private readonly clock: Clock,
    namespace: string,
  ) {
    this.prefix = `ioauth:${namespace}:rate:`;
  }

  async increment(key: string, windowMs: number): Promise<WindowCount> {
    const [count, , ttl] = (await this.redis
      .multi()
      .incr(this.prefix + key)
      .pExpire(this.prefix + key, windowMs, 'NX')
      .pTTL(this.prefix + key)
      .exec()) as unknown as [number, number, number];
    return { count, resetAt: this.clock.now() + Math.max(ttl, 0) };
  }

  async peek(key: string): Promise<WindowCount | undefined> {
    const [count, ttl] = (await this.redis
      .multi()
      .get(this.prefix + key)
      .pTTL(this.prefix + key)
      .exec()) as unknown as [string | null, number];
    if (count === null || ttl <= 0) return undefined;
    return { count: Number(count), resetAt: this.clock.now() + ttl };
  }

  async reset(key: string): Promise<void> {
    await this.redis.del(this.prefix + key);
  }
}
