import { Controller, Get, Header, UseFilters } from '@nestjs/common';

import { KeyStore } from '@ioauth/auth-core';

import { ErrorBodyFilter } from './error-body.filter.js';

/** Publishes the public keys that verify ioauth's tokens (RFC 7517), for any verifier, such as a plain jose one. */
@UseFilters(ErrorBodyFilter)
@Controller('.well-known')
export class JwksController {
  constructor(private readonly keys: KeyStore) {}

  @Get('jwks.json')
  @Header('Cache-Control', 'public, max-age=300')
  jwks() {
    return this.keys.toJwks();
  }
}
