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

const inCookieMode = 'required, unless the server is in cookie mode and the refresh cookie is sent instead';

/** `POST /auth/token`'s body. */
export const REFRESH_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['grant_type'],
  properties: {
    grant_type: { type: 'string', enum: ['refresh_token'] },
    refresh_token: { type: 'string', description: inCookieMode },
  },
};

/** `POST /auth/revoke`'s body (RFC 7009 section 2.1); only refresh tokens are revocable. */
export const REVOKE_BODY_SCHEMA: SchemaObject = {
  type: 'object',
  properties: {
    token: { type: 'string', description: inCookieMode },
    token_type_hint: { type: 'string', description: 'ignored' },
  },
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

const rfc3339: SchemaObject = { type: 'string', format: 'date-time' };
const grants = (what: string): SchemaObject => ({
  type: 'array',
  maxItems: 100,
  items: { type: 'string', minLength: 1, maxLength: 128, pattern: '^[\\x21\\x23-\\x5b\\x5d-\\x7e]+$' },
  description: `${what}: RFC 6749 scope-tokens`,
});
const password = (description: string): SchemaObject => ({
  type: 'string',
  description: `${description}; up to 1024 bytes`,
});

/** `SessionInfo`. */
export const SESSION_INFO_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['sid', 'current', 'created_at', 'last_used_at', 'expires_at', 'user_agent', 'ip'],
  properties: {
    sid: { type: 'string' },
    current: { type: 'boolean', description: 'the session of the access token that asked' },
    created_at: rfc3339,
    last_used_at: { ...rfc3339, description: 'the last login or refresh' },
    expires_at: { ...rfc3339, description: 'the absolute end of the session, which refreshing never moves' },
    user_agent: {
      type: 'string',
      nullable: true,
      description: 'User-Agent of the login, cut to 256 characters',
    },
    ip: {
      type: 'string',
      nullable: true,
      description: 'client address of the login, as the rate limits see it',
    },
  },
};

/** `SessionsResponse`, and `AdminSessionsResponse`. */
export const SESSIONS_RESPONSE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['sessions'],
  properties: { sessions: { type: 'array', items: SESSION_INFO_SCHEMA } },
};

/** `PasswordChange`, the body of `POST /auth/password`. */
export const PASSWORD_CHANGE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['current_password', 'new_password'],
  properties: {
    current_password: password('checked as a login is, and counted by the login limits'),
    new_password: password('at least IOAUTH_PASSWORD_MIN_LENGTH characters, not a common password'),
  },
};

/** `AdminUser`. */
export const ADMIN_USER_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['username', 'scopes', 'roles', 'disabled', 'created_at', 'updated_at'],
  properties: {
    username: { type: 'string', description: 'NFC, lower case' },
    scopes: grants('scopes'),
    roles: grants('roles'),
    disabled: { type: 'boolean' },
    created_at: rfc3339,
    updated_at: rfc3339,
  },
};

/** `AdminUsersResponse`. */
export const ADMIN_USERS_RESPONSE_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['users'],
  properties: { users: { type: 'array', items: ADMIN_USER_SCHEMA } },
};

/** `NewAdminUser`, the body of `POST /admin/users`. */
export const NEW_ADMIN_USER_SCHEMA: SchemaObject = {
  type: 'object',
  required: ['username', 'password'],
  additionalProperties: false,
  properties: {
    username: { type: 'string', description: 'case-insensitive; no colon or control character' },
    password: password('at least IOAUTH_PASSWORD_MIN_LENGTH characters, not a common password'),
    scopes: grants('scopes'),
    roles: grants('roles'),
  },
};

/** `AdminUserPatch`, the body of `PATCH /admin/users/{username}`. */
export const ADMIN_USER_PATCH_SCHEMA: SchemaObject = {
  type: 'object',
  additionalProperties: false,
  properties: {
    scopes: grants('scopes, replacing the old list; one taken away narrows live tokens and sockets at once'),
    roles: grants('roles, replacing the old list; one taken away narrows live tokens and sockets at once'),
    disabled: { type: 'boolean', description: 'true ends every session of the user' },
    password: password('a new password, which ends every session of the user'),
  },
};
