import type { KeyObject } from 'node:crypto';

/**
 * Passes a `KeyObject` where `@nestjs/jwt`'s verify options are typed for PEM text: `jsonwebtoken` 9 takes the
 * `KeyObject` as it is, and a parsed key is what keeps verification from re-reading PEM on every call.
 */
export function asJwtKey(key: KeyObject): string {
  return key as unknown as string;
}
