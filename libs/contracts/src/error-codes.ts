/**
 * Every error code of the wire contract (shared/CONTRACT.md), once, so the server and the SDK switch on the
 * same values.
 */
export const ErrorCode = {
  InvalidRequest: 'invalid_request',
  InvalidCredentials: 'invalid_credentials',
  InvalidToken: 'invalid_token',
  TokenMissing: 'token_missing',
  TokenInvalid: 'token_invalid',
  TokenExpired: 'token_expired',
  TokenRevoked: 'token_revoked',
  RefreshTokenReused: 'refresh_token_reused',
  Forbidden: 'forbidden',
  RateLimited: 'rate_limited',
  ServiceUnavailable: 'service_unavailable',
  Unavailable: 'unavailable',
  InvalidPayload: 'invalid_payload',
  WeakPassword: 'weak_password',
  NotFound: 'not_found',
  Conflict: 'conflict',
} as const;
export type ErrorCode = (typeof ErrorCode)[keyof typeof ErrorCode];

/** HTTP status of each code an HTTP error body may carry. */
export const HTTP_ERROR_STATUS = {
  invalid_request: 400,
  weak_password: 400,
  invalid_credentials: 401,
  invalid_token: 401,
  token_expired: 401,
  token_revoked: 401,
  refresh_token_reused: 401,
  forbidden: 403,
  not_found: 404,
  conflict: 409,
  rate_limited: 429,
  service_unavailable: 503,
} as const satisfies Partial<Record<ErrorCode, number>>;
export type HttpErrorCode = keyof typeof HTTP_ERROR_STATUS;

/** Codes a refused socket.io handshake carries in `connect_error`'s `err.data.code`. */
export const CONNECT_ERROR_CODES = [
  'token_missing',
  'token_invalid',
  'token_expired',
  'token_revoked',
  'forbidden',
  'rate_limited',
  'unavailable',
] as const satisfies readonly ErrorCode[];
export type ConnectErrorCode = (typeof CONNECT_ERROR_CODES)[number];

/** Body of every HTTP error response. */
export interface ErrorBody {
  statusCode: number;
  code: HttpErrorCode;
  message: string;
}

/** `err.data` of a refused handshake. */
export interface ConnectErrorData {
  code: ConnectErrorCode;
  message: string;
}

/** Error half of an event acknowledgement. */
export interface AckError {
  error: { code: ErrorCode; message: string };
}

/** Tells whether a value is one of the contract's error codes. */
export function isErrorCode(value: unknown): value is ErrorCode {
  return typeof value === 'string' && (Object.values(ErrorCode) as string[]).includes(value);
}
