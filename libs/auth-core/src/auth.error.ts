import type { ErrorCode } from '@ioauth/contracts';

/**
 * The only error auth-core throws for a refused token or credential. `code` is a contract code; `message` is short
 * and fixed, and never holds a token, key, claim value or configuration value (STYLE.md section 4). The original
 * error, if any, is kept as `cause` for logs.
 */
export class AuthError extends Error {
  /** Survives duplicate package copies, unlike `instanceof`. */
  readonly isAuthError = true;

  constructor(
    readonly code: ErrorCode,
    message: string,
    options?: { cause?: unknown },
  ) {
    super(message, options);
    this.name = new.target.name;
  }
}

/** Tells whether a value is an `AuthError`, from this copy of the package or another. */
export function isAuthError(value: unknown): value is AuthError {
  return (
    typeof value === 'object' && value !== null && (value as { isAuthError?: unknown }).isAuthError === true
  );
}

/** `rate_limited`, with the seconds after which the client may try again (HTTP `Retry-After`). */
export class RateLimitedError extends AuthError {
  constructor(readonly retryAfterSeconds: number) {
    super('rate_limited', 'too many attempts: try again later');
  }

  /** The refusal of a window ending at `resetAt` (ms since the epoch): whole seconds, at least one. */
  static until(resetAt: number, now: number): RateLimitedError {
    return new RateLimitedError(Math.max(1, Math.ceil((resetAt - now) / 1000)));
  }
}
