import { Catch, HttpException, Logger, type ArgumentsHost, type ExceptionFilter } from '@nestjs/common';
import type { Request, Response } from 'express';

import { isAuthError, RateLimitedError } from '@ioauth/auth-core';
import { HTTP_ERROR_STATUS, type ErrorBody, type ErrorCode, type HttpErrorCode } from '@ioauth/contracts';

import { BASIC_CHALLENGE } from '../credentials/basic.strategy.js';

// auth-core speaks the socket vocabulary; HTTP has its own names for two codes (shared/CONTRACT.md).
const HTTP_CODE: Partial<Record<ErrorCode, HttpErrorCode>> = {
  token_missing: 'invalid_token',
  token_invalid: 'invalid_token',
  unavailable: 'service_unavailable',
  invalid_payload: 'invalid_request',
};

function toHttpCode(code: ErrorCode): HttpErrorCode {
  return HTTP_CODE[code] ?? (code in HTTP_ERROR_STATUS ? (code as HttpErrorCode) : 'invalid_request');
}

/**
 * The one place where errors become HTTP responses: every body is `{statusCode, code, message}` with a contract
 * code. Anything a client sent yields a 4xx; a fault of the server or of a dependency is logged (without the
 * request) and answered 503 `service_unavailable`.
 */
@Catch()
export class ErrorBodyFilter implements ExceptionFilter {
  private readonly logger = new Logger('ErrorBodyFilter');

  catch(error: unknown, host: ArgumentsHost): void {
    const http = host.switchToHttp();
    const response = http.getResponse<Response>();
    const body = this.toBody(error);
    // A wrong password from a caller whose access token `JwtAuthGuard` accepted (`POST /auth/password`) is challenged
    // as Bearer: a Basic challenge there would open the browser's own login dialog over the page of a script.
    const bearer = typeof http.getRequest<Request & { user?: { sid?: unknown } }>()?.user?.sid === 'string';
    if (body.code === 'invalid_credentials' && !bearer)
      response.setHeader('WWW-Authenticate', BASIC_CHALLENGE);
    else if (body.code === 'invalid_credentials')
      response.setHeader('WWW-Authenticate', 'Bearer realm="ioauth"');
    else if (body.statusCode === 401) {
      // RFC 6750 section 3: tell the client why its Bearer token failed.
      response.setHeader('WWW-Authenticate', `Bearer realm="ioauth", error="invalid_token"`);
    }
    if (error instanceof RateLimitedError) response.setHeader('Retry-After', String(error.retryAfterSeconds));
    response.status(body.statusCode).json(body);
  }

  private toBody(error: unknown): ErrorBody {
    if (isAuthError(error)) {
      const code = toHttpCode(error.code);
      return { statusCode: HTTP_ERROR_STATUS[code], code, message: error.message };
    }
    if (error instanceof HttpException && error.getStatus() < 500) {
      const status = error.getStatus();
      // Body-parser and routing errors: too large, malformed JSON, no such route. Their text is Nest's, fixed.
      if (status === 404) return { statusCode: 404, code: 'not_found', message: 'no such route' };
      const message = status === 413 ? 'request body is too large' : 'malformed request';
      return { statusCode: 400, code: 'invalid_request', message };
    }
    if (error instanceof HttpException && error.getStatus() === 503) {
      // Readiness (terminus): keep the state of each dependency beside the contract's fields.
      const { details } = error.getResponse() as { details?: unknown };
      return {
        statusCode: 503,
        code: 'service_unavailable',
        message: 'a dependency is not ready',
        details,
      } as ErrorBody;
    }
    this.logger.error(error instanceof Error ? `${error.name}: ${error.message}` : 'non-error thrown');
    return { statusCode: 503, code: 'service_unavailable', message: 'the service cannot answer right now' };
  }
}
