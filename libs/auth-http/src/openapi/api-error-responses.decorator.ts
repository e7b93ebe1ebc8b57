import { applyDecorators } from '@nestjs/common';
import { ApiResponse } from '@nestjs/swagger';

import { HTTP_ERROR_STATUS, type HttpErrorCode } from '@ioauth/contracts';

const HEADERS: Partial<Record<number, Record<string, { description: string; schema: { type: string } }>>> = {
  401: {
    'WWW-Authenticate': {
      description:
        'Basic realm="ioauth" for invalid_credentials, else a Bearer challenge (RFC 6750 section 3)',
      schema: { type: 'string' },
    },
  },
  429: {
    'Retry-After': { description: 'seconds until a new attempt may succeed', schema: { type: 'integer' } },
  },
};

/**
 * Documents the contract's error body `{statusCode, code, message}` of a route, one response per status with the codes
 * the route may answer with it, so a client generated from the document switches on the same codes as the SDK.
 */
export function ApiErrorResponses(...codes: HttpErrorCode[]): MethodDecorator & ClassDecorator {
  const statuses = [...new Set(codes.map((code) => HTTP_ERROR_STATUS[code]))];
  return applyDecorators(
    ...statuses.map((status) => {
      const here = codes.filter((code) => HTTP_ERROR_STATUS[code] === status);
      return ApiResponse({
        status,
        description: here.join(', '),
        ...(HEADERS[status] ? { headers: HEADERS[status] } : {}),
        schema: {
          type: 'object',
          required: ['statusCode', 'code', 'message'],
          properties: {
            statusCode: { type: 'integer', enum: [status] },
            code: { type: 'string', enum: here },
            message: {
              type: 'string',
              description: 'fixed human text; never echoes a token or a credential',
            },
          },
        },
      });
    }),
  );
}
