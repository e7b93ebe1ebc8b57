/** Signing algorithms ioauth mints with: one key, one algorithm. */
export const JWT_ALGORITHMS = ['ES256', 'RS256', 'HS256'] as const;
export type JwtAlgorithm = (typeof JWT_ALGORITHMS)[number];

/**
 * The whole product's configuration, validated once at start-up. Every field maps to one environment variable
 * (`CONFIG_ENV`); apps read it from the environment, enterprise code may pass it to `AuthCoreModule.forRoot`.
 */
export interface IoauthConfig {
  /** Listen port (`PORT`). */
  port: number;
  /** Folder of the embedded database and the generated development keys (`IOAUTH_DATA_DIR`). */
  dataDir: string;
  /** Seed the demo users (`IOAUTH_DEMO`). */
  demo: boolean;
  /** PostgreSQL instead of the embedded database (`DATABASE_URL`). */
  databaseUrl?: string;
  /** Redis for the socket.io adapter, cluster-wide revocation and rate limits (`REDIS_URL`). */
  redisUrl?: string;
  /** `iss` minted and required (`IOAUTH_ISSUER`). */
  issuer: string;
  /** `aud` minted and required (`IOAUTH_AUDIENCE`). */
  audience: string;
  /** Access-token lifetime in seconds (`IOAUTH_ACCESS_TOKEN_TTL`). */
  accessTokenTtl: number;
  /** Refresh-token lifetime in seconds (`IOAUTH_REFRESH_TOKEN_TTL`). */
  refreshTokenTtl: number;
  /** Absolute session lifetime in seconds from login, never extended by refresh (`IOAUTH_SESSION_MAX_AGE`). */
  sessionMaxAge: number;
  /** Signing algorithm (`IOAUTH_JWT_ALG`). */
  algorithm: JwtAlgorithm;
  /** HS256 secret, at least 32 bytes (`IOAUTH_JWT_SECRET`). */
  secret?: string;
  /** ES256/RS256 private key as PEM or JWK JSON, instead of a generated one (`IOAUTH_JWT_PRIVATE_KEY`). */
  privateKey?: string;
  /** File holding that private key (`IOAUTH_JWT_PRIVATE_KEY_FILE`). */
  privateKeyFile?: string;
  /** Leeway in seconds for `exp` and `nbf` (`IOAUTH_CLOCK_TOLERANCE`). */
  clockTolerance: number;
  /** Largest token accepted, checked before any parsing (`IOAUTH_MAX_TOKEN_BYTES`). */
  maxTokenBytes: number;
  /** Login attempts allowed per client IP and minute (`IOAUTH_LOGIN_IP_LIMIT`). */
  loginIpLimit: number;
  /** Failed logins allowed per username in 15 minutes before it is refused for the rest of them (`IOAUTH_LOGIN_USER_LIMIT`). */
  loginUserLimit: number;
  /** Shortest password accepted where one is set, in characters (`IOAUTH_PASSWORD_MIN_LENGTH`, 8 to 64). */
  passwordMinLength: number;
  /**
   * Refresh grants and RFC 7009 revocations allowed per client IP and minute (`IOAUTH_REFRESH_IP_LIMIT`): each
   * costs a database round trip, so one client must not be able to spend them without bound.
   */
  refreshIpLimit: number;
  /** Serve Prometheus metrics at `GET /metrics` (`IOAUTH_METRICS`). */
  metrics: boolean;
  /**
   * Which proxies may set `X-Forwarded-For` (`IOAUTH_TRUST_PROXY`): `false` (none: the peer address is the client),
   * a hop count, or addresses, CIDR ranges and the names `loopback`, `linklocal`, `uniquelocal`. Rate limits count
   * the client address this yields.
   */
  trustProxy: false | number | string[];
  /** socket.io handshakes allowed per client IP and minute (`IOAUTH_HANDSHAKE_IP_LIMIT`). */
  handshakeIpLimit: number;
  /** Accept `?token=` on the socket.io handshake (`IOAUTH_ALLOW_QUERY_TOKEN`). */
  allowQueryToken: boolean;
  /** Verify-only: HS256 secret shared with another backend (`IOAUTH_VERIFY_SECRET`). */
  verifySecret?: string;
  /** Verify-only: JWKS of another backend, https or loopback http (`IOAUTH_VERIFY_JWKS_URL`). */
  verifyJwksUrl?: string;
  /** Verify-only: JWKS file of another backend (`IOAUTH_VERIFY_JWKS_FILE`). */
  verifyJwksFile?: string;
  /** Verify-only: required `iss` (`IOAUTH_VERIFY_ISSUER`). */
  verifyIssuer?: string;
  /** Verify-only: required `aud` (`IOAUTH_VERIFY_AUDIENCE`). */
  verifyAudience?: string;
  /** Verify-only: dotted path of the subject claim, such as `user.username` (`IOAUTH_SUBJECT_CLAIM`). */
  subjectClaim: string;
  /** Verify-only: refuse tokens without `exp` (`IOAUTH_REQUIRE_EXP`). */
  requireExp: boolean;
}

/** What `AuthCoreModule.forRoot` accepts: any field may be left out (its default applies) or given as text. */
export type IoauthConfigInput = { [K in keyof IoauthConfig]?: IoauthConfig[K] | string };

/** The environment variable behind each field. */
export const CONFIG_ENV = {
  port: 'PORT',
  dataDir: 'IOAUTH_DATA_DIR',
  demo: 'IOAUTH_DEMO',
  databaseUrl: 'DATABASE_URL',
  redisUrl: 'REDIS_URL',
  issuer: 'IOAUTH_ISSUER',
  audience: 'IOAUTH_AUDIENCE',
  accessTokenTtl: 'IOAUTH_ACCESS_TOKEN_TTL',
  refreshTokenTtl: 'IOAUTH_REFRESH_TOKEN_TTL',
  sessionMaxAge: 'IOAUTH_SESSION_MAX_AGE',
  algorithm: 'IOAUTH_JWT_ALG',
  secret: 'IOAUTH_JWT_SECRET',
  privateKey: 'IOAUTH_JWT_PRIVATE_KEY',
  privateKeyFile: 'IOAUTH_JWT_PRIVATE_KEY_FILE',
  clockTolerance: 'IOAUTH_CLOCK_TOLERANCE',
  maxTokenBytes: 'IOAUTH_MAX_TOKEN_BYTES',
  loginIpLimit: 'IOAUTH_LOGIN_IP_LIMIT',
  loginUserLimit: 'IOAUTH_LOGIN_USER_LIMIT',
  passwordMinLength: 'IOAUTH_PASSWORD_MIN_LENGTH',
  refreshIpLimit: 'IOAUTH_REFRESH_IP_LIMIT',
  metrics: 'IOAUTH_METRICS',
  trustProxy: 'IOAUTH_TRUST_PROXY',
  handshakeIpLimit: 'IOAUTH_HANDSHAKE_IP_LIMIT',
  allowQueryToken: 'IOAUTH_ALLOW_QUERY_TOKEN',
  verifySecret: 'IOAUTH_VERIFY_SECRET',
  verifyJwksUrl: 'IOAUTH_VERIFY_JWKS_URL',
  verifyJwksFile: 'IOAUTH_VERIFY_JWKS_FILE',
  verifyIssuer: 'IOAUTH_VERIFY_ISSUER',
  verifyAudience: 'IOAUTH_VERIFY_AUDIENCE',
  subjectClaim: 'IOAUTH_SUBJECT_CLAIM',
  requireExp: 'IOAUTH_REQUIRE_EXP',
} as const satisfies Record<keyof IoauthConfig, string>;

/** Fields whose values are secret: never logged, never echoed. */
export const SECRET_FIELDS = ['secret', 'privateKey', 'verifySecret', 'databaseUrl', 'redisUrl'] as const;
