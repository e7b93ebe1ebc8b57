import { Controller, Get, Header, UseFilters } from '@nestjs/common';
import { ApiOkResponse, ApiOperation, ApiTags } from '@nestjs/swagger';

import { KeyStore } from '@ioauth/auth-core';

import { ApiErrorResponses } from '../openapi/api-error-responses.decorator.js';
import { JWKS_SCHEMA } from '../openapi/auth-http.schemas.js';
import { ErrorBodyFilter } from './error-body.filter.js';

/** Publishes the public keys that verify ioauth's tokens (RFC 7517), for any verifier, such as a plain jose one. */
@UseFilters(ErrorBodyFilter)
@ApiTags('keys')
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: KeyStore) {}

  @Get('jwks.json')
  @ApiOperation({ summary: 'Public keys of every asymmetric key still valid for verification.' })
  @ApiOkResponse({ description: 'JWK Set', schema: JWKS_SCHEMA })
  @ApiErrorResponses('service_unavailable')
  @Header('Cache-Control', 'public, max-age=300')
  // Typed through KeyStore so that the published declarations need no JOSE types of their own.
  jwks(): ReturnType<KeyStore['toJwks']> {
    return this.keys.toJwks();
  }
}
