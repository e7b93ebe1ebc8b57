import type { EventBudget } from '../ws-auth.options.js';

/**
 * One token bucket's state, kept as two numbers so that a socket costs no timer: the refill since the last take is
 * computed from the clock when the next take comes.
 */
export interface Bucket {
  tokens: number;
  /** Time of the last take, in ms since the epoch. */
  at: number;
}

/** A full bucket at `now`. */
export function fullBucket(rate: EventBudget, now: number): Bucket {
  return { tokens: rate.burst, at: now };
}

/** Takes one token at `now` if the bucket holds one, after adding what has refilled since the last take. */
export function take(bucket: Bucket, rate: EventBudget, now: number): boolean {
  // A clock that steps back refills nothing rather than draining the bucket.
  const elapsed = now > bucket.at ? now - bucket.at : 0;
  bucket.tokens = Math.min(rate.burst, bucket.tokens + (elapsed * rate.perSecond) / 1000);
  bucket.at = now;
  if (bucket.tokens < 1) return false;
  bucket.tokens -= 1;
  return true;
}
