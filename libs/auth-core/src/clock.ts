/** Source of the current time, injected so that every expiry decision can be tested with a frozen clock. */
export interface Clock {
  /** Milliseconds since the epoch. */
  now(): number;
}

/** The wall clock. */
export const systemClock: Clock = { now: () => Date.now() };

/** Whole seconds since the epoch, as JWT `NumericDate` claims carry them (RFC 7519 section 2). */
export function epochSeconds(clock: Clock): number {
  return Math.floor(clock.now() / 1000);
}
