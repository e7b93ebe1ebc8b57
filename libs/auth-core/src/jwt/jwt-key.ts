import type { KeyObject } from 'node:crypto';

import type { JwtModuleOptions } from '@nestjs/jwt';

/**
 * Property under which a call's parsed `KeyObject` travels to `JwtService` in its options. Not `privateKey` or
 * `publicKey`: JwtService deletes those two from its copy of the options on every call, which drops the copy into
 * V8's slow dictionary mode (measured: 9% of an HS256 verification). `jsonwebtoken` ignores symbol keys.
 */
export const JWT_KEY = Symbol('ioauth.jwt-key');

/** Options that carry their key under `JWT_KEY`. */
export interface KeyCarrier {
  [JWT_KEY]: KeyObject;
}

/** `secretOrKeyProvider` for a `JwtService` whose callers pass the key under `JWT_KEY`. */
export const keyFromOptions: NonNullable<JwtModuleOptions['secretOrKeyProvider']> = (
  _type,
  _tokenOrPayload,
  options,
) => (options as unknown as KeyCarrier)[JWT_KEY];
