import { isErrorCode, type ErrorCode } from '@ioauth/contracts';

/** Every failure the SDK reports: a contract code (shared/CONTRACT.md) and, for HTTP, the status. */
export class IoauthError extends Error {
  readonly isIoauthError = true;

  constructor(
    readonly code: ErrorCode,
    message: string,
    readonly status?: number,
    /** Seconds to wait before trying again, from `Retry-After` on a 429. */
    readonly retryAfter?: number,
  ) {
    super(message);
    this.name = 'IoauthError';
  }

  /** Reads a contract error body, or names the status when the body is not one. */
  static async fromResponse(response: Response): Promise<IoauthError> {
    let body: unknown;
    try {
      body = await response.json();
    } catch {
      body = undefined;
    }
    const { code, message } = (body ?? {}) as { code?: unknown; message?: unknown };
    const retryAfter = Number(response.headers.get('retry-after') ?? Number.NaN);
    if (isErrorCode(code))
      return new IoauthError(
        code,
        typeof message === 'string' ? message : code,
        response.status,
        Number.isFinite(retryAfter) ? retryAfter : undefined,
      );
    return new IoauthError(
      response.status >= 500 ? 'service_unavailable' : 'invalid_request',
      `the server answered ${response.status}`,
      response.status,
    );
  }
}

/** Tells whether a value is an `IoauthError`, from this copy of the SDK or another. */
export function isIoauthError(value: unknown): value is IoauthError {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { isIoauthError?: unknown }).isIoauthError === true
  );
}
