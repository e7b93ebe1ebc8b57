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
  /**
   * Also send the refresh token as the `HttpOnly` cookie `ioauth_refresh`, which `POST /auth/token` and
   * `POST /auth/revoke` then take in place of the body field (cross-site requests refused), so a page reload resumes
   * the session; default false.
   */
  refreshCookie?: boolean;
  /**
   * Origins (`https://app.example`) whose pages may spend or revoke the refresh cookie, in place of the default: the
   * API's own origin. Only with `refreshCookie`.
   */
  refreshCookieOrigins?: readonly string[];
  /**
   * Where to write the local admin credential once the app listens (mode 0600, removed at shutdown), for the CLI on
   * this machine to use the admin API; unset, the default, writes none and refuses every local admin request.
   */
  localAdminFile?: string;
}
