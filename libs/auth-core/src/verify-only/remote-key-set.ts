import { createRemoteJWKSet, customFetch, type FetchImplementation, type RemoteJWKSet } from 'jose';

import type { Clock } from '../clock.js';

/** Timings of the remote JWKS cache. */
export interface JwksTimings {
  /** Give up on a JWKS request after this many ms. */
  timeoutMs: number;
  /** Request the JWKS at most once per this many ms: a refetch on an unknown `kid`, or a retry after a failure. */
  cooldownMs: number;
  /** Refetch a JWKS older than this many ms; no shorter than `cooldownMs`, which would hold the refetch back. */
  maxAgeMs: number;
}

/**
 * jose's remote key set, requesting the URL at most once per cooldown whatever the outcome. jose starts its
 * cooldown only after a success: a JWKS URL answering 500, timing out or serving something that is not a JWKS was
 * requested again by every verification, so a burst of handshakes became a burst of requests against a failing
 * issuer (and a cheap amplifier for anyone able to make it fail). Verifications meanwhile fail at once, and
 * concurrent ones share the request in flight.
 */
export function remoteKeySet(url: URL, timings: JwksTimings, clock: Clock): RemoteJWKSet {
  let lastRequest = Number.NEGATIVE_INFINITY;
  const throttled: FetchImplementation = (input, init) => {
    const now = clock.now();
    if (now - lastRequest < timings.cooldownMs)
      return Promise.reject(new Error('the key set was requested less than a cooldown ago'));
    lastRequest = now;
    return fetch(input, init);
  };
  return createRemoteJWKSet(url, {
    timeoutDuration: timings.timeoutMs,
    cooldownDuration: timings.cooldownMs,
    cacheMaxAge: timings.maxAgeMs,
    [customFetch]: throttled,
  });
}
