import type { Clock, RateLimitStore, WindowCount } from '@ioauth/auth-core';

import { replyWithin, type RedisClient } from './redis-connection.js';

// Scripts rather than MULTI/EXEC: as atomic, one command instead of five, and covered by the client's offline
// check, which node-redis 6 does not apply to MULTI (it would wait out a Redis outage).
const INCREMENT = `local count = redis.call('INCR', KEYS[1])
redis.call('PEXPIRE', KEYS[1], ARGV[1], 'NX')
return {count, redis.call('PTTL', KEYS[1])}`;
const PEEK = `local count = redis.call('GET', KEYS[1])
if not count then return false end
return {tonumber(count), redis.call('PTTL', KEYS[1])}`;

/**
 * Rate-limit counters in Redis, shared by every process: INCR, with the window's expiry set by the first hit.
 * Keys live under `ioauth:<namespace>:rate:`, so deployments sharing one Redis keep apart. While Redis is down,
 * every operation rejects at once (see `connectRedis`), and within 2 s when Redis stops answering.
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
    const [count, ttl] = (await replyWithin(
      this.redis.eval(INCREMENT, { keys: [this.prefix + key], arguments: [String(windowMs)] }),
    )) as [number, number];
    return { count, resetAt: this.clock.now() + Math.max(ttl, 0) };
  }

  async peek(key: string): Promise<WindowCount | undefined> {
    const reply = (await replyWithin(this.redis.eval(PEEK, { keys: [this.prefix + key] }))) as
      [number, number] | null;
    if (reply === null || reply[1] <= 0) return undefined;
    return { count: reply[0], resetAt: this.clock.now() + reply[1] };
  }

  async reset(key: string): Promise<void> {
    await replyWithin(this.redis.del(this.prefix + key));
  }
}
