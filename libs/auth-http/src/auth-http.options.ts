/** Options of `AuthHttpModule.forRoot`. Every field is optional; the defaults are the contract's. */
export interface AuthHttpOptions {
  /** `POST /auth/login` attempts per client address and minute, counted before any password work; 1 to 100000, default 30. */
  loginIpLimit?: number;
  /** `POST /auth/token` and `POST /auth/revoke` per client address and minute, each a database round trip; 1 to 100000, default 60. */
  refreshIpLimit?: number;
  /**
   * Which proxies may set `X-Forwarded-For`: `false` (none, the default), a hop count, or addresses, CIDR ranges and
   * the names `loopback`, `linklocal`, `uniquelocal`, as Express's `trust proxy` (never `true`, which would let any
   * client pick its own address). Set the Express app's `trust proxy` to the same value: the per-address limits
   * count `request.ip`, and `TrustProxyCheck` warns at start-up when the two differ.
   */
  trustProxy?: false | number | readonly string[];
}
