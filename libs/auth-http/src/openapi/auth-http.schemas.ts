import type { SchemaObject } from '@nestjs/swagger';

// The bodies of docs/contract.md. The contract's types are interfaces, which vanish at run time, so the OpenAPI
// document describes them here, beside the controllers that answer with them.

const seconds: SchemaObject = { type: 'integer', description: 'seconds since the epoch' };

/** `TokenResponse` (RFC 6749 section 5.1). */
export const TOKEN_RESPONSE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['access_token', 'token_type', 'expires_in', 'refresh_token', 'scope'],
  properties: {
    access_token: { type: 'string', description: 'JWS with header typ "at+jwt" and kid (RFC 9068)' },
    token_type: { type: 'string', enum: ['Bearer'] },
    expires_in: { type: 'integer', description: 'lifetime of the access token in seconds' },
    refresh_token: { type: 'string', description: 'single use: refreshing spends it' },
    scope: { type: 'string', description: 'space-separated scopes' },
  },
};

/** `MeResponse`. */
export const ME_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['sub', 'scope', 'roles', 'exp', 'sid'],
  properties: {
    sub: { type: 'string' },
    scope: { type: 'string', description: 'space-separated scopes' },
    roles: { type: 'array', items: { type: 'string' } },
    exp: seconds,
    sid: { type: 'string', description: 'session id, shared by every token refreshed from one login' },
  },
};

/** `POST /auth/token`'s body. */
export const REFRESH_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['grant_type', 'refresh_token'],
  properties: { grant_type: { type: 'string', enum: ['refresh_token'] }, refresh_token: { type: 'string' } },
};

/** `POST /auth/revoke`'s body (RFC 7009 section 2.1); only refresh tokens are revocable. */
export const REVOKE_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['token'],
  properties: { token: { type: 'string' }, token_type_hint: { type: 'string', description: 'ignored' } },
};

/** A JWK Set of public keys (RFC 7517 section 5). */
export const JWKS_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['keys'],
  properties: {
    keys: {
      type: 'array',
      items: {
        type: 'object',
        required: ['kty', 'kid'],
        properties: {
          kty: { type: 'string' },
          kid: { type: 'string' },
          alg: { type: 'string' },
          use: { type: 'string' },
        },
        additionalProperties: true,
      },
    },
  },
};
