import { CONNECT_ERROR_CODES, ErrorCode, HTTP_ERROR_STATUS, isErrorCode } from './error-codes.js';

describe('error codes', () => {
  it('gives every HTTP code of the contract its status', () => {
    expect(HTTP_ERROR_STATUS).toEqual({
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
    });
  });

  it('lists the handshake refusal codes of the contract', () => {
    expect([...CONNECT_ERROR_CODES].sort()).toEqual(
      [
        'forbidden',
        'rate_limited',
        'token_expired',
        'token_invalid',
        'token_missing',
        'token_revoked',
        'unavailable',
      ].sort(),
    );
  });

  it('recognises contract codes and nothing else', () => {
    expect(isErrorCode(ErrorCode.TokenExpired)).toBe(true);
    expect(isErrorCode('token_exploded')).toBe(false);
    expect(isErrorCode(42)).toBe(false);
  });
});
