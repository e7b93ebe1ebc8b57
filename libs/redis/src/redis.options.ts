import type { Clock } from '@ioauth/auth-core';

/** Options of `IoauthRedisModule.forRoot`. */
export interface IoauthRedisOptions {
  /** `redis://` or `rediss://` URL of the Redis every process of the deployment shares. */
  url: string;
  /**
   * Namespace of every key and channel, so that deployments sharing one Redis never hear each other; the apps pass
   * their issuer. Default `ioauth`.
   */
  namespace?: string;
  /** Clock of the rate-limit windows; the system's by default. */
  clock?: Clock;
}
