import {
  createPrivateKey,
  createPublicKey,
  createSecretKey,
  generateKeyPairSync,
  type JsonWebKey,
  type KeyObject,
} from 'node:crypto';

import { calculateJwkThumbprint, type JWK } from 'jose';

import type { JwtAlgorithm } from '../auth-core.options.js';

/** A key ioauth signs or verifies with, parsed once into `KeyObject`s (never re-parsed per token). */
export interface SigningKey {
  /** RFC 7638 thumbprint of the public key (of the secret for HS256). */
  readonly kid: string;
  /** The one algorithm this key is used with (RFC 8725 section 3.1). */
  readonly alg: JwtAlgorithm;
  /** Private key, or the secret for HS256. */
  readonly privateKey: KeyObject;
  /** Public key, or the secret for HS256. */
  readonly publicKey: KeyObject;
  /** When the key was made, in ms since the epoch (0 when it came from configuration). */
  readonly createdAt: number;
  /** When the key stopped signing, in ms; unset while it signs. */
  readonly retiredAt?: number;
  /** Until when the key still verifies, in ms; unset while it signs. */
  readonly verifyUntil?: number;
}

/**
 * A key refused for being unreadable, of the wrong kind or too weak. The message is fixed, names no key material,
 * and reads after the name of the setting that held the key.
 */
export class KeyMaterialError extends Error {
  constructor(message: string) {
    super(message);
    this.name = new.target.name;
  }
}

const RSA_MIN_BITS = 2048;

/** Checks that an asymmetric key fits the algorithm: P-256 for ES256, RSA of at least 2048 bits for RS256. */
function assertKeyFits(key: KeyObject, alg: JwtAlgorithm): void {
  if (alg === 'ES256') {
    if (key.asymmetricKeyType !== 'ec' || key.asymmetricKeyDetails?.namedCurve !== 'prime256v1') {
      throw new KeyMaterialError('must be an EC key on the P-256 curve for ES256');
    }
  } else if (alg === 'RS256') {
    if (key.asymmetricKeyType !== 'rsa') throw new KeyMaterialError('must be an RSA key for RS256');
    // RFC 7518 section 3.3: RSA keys of 2048 bits or more.
    if ((key.asymmetricKeyDetails?.modulusLength ?? 0) < RSA_MIN_BITS) {
      throw new KeyMaterialError(`must be an RSA key of at least ${RSA_MIN_BITS} bits`);
    }
  } else {
    throw new KeyMaterialError('is not used with HS256, which takes a secret');
  }
}

async function thumbprint(jwk: JWK): Promise<string> {
  return calculateJwkThumbprint(jwk, 'sha256');
}

/** Builds the key of an HS256 secret. */
export async function secretSigningKey(secret: string): Promise<SigningKey> {
  const key = createSecretKey(Buffer.from(secret, 'utf8'));
  const kid = await thumbprint(key.export({ format: 'jwk' }) as JWK);
  return { kid, alg: 'HS256', privateKey: key, publicKey: key, createdAt: 0 };
}

/** Parses a private key given as PEM or JWK JSON; refuses public keys and keys that do not fit `alg`. */
export async function privateSigningKey(
  text: string,
  alg: JwtAlgorithm,
  times: { createdAt: number; retiredAt?: number; verifyUntil?: number } = { createdAt: 0 },
): Promise<SigningKey> {
  let privateKey: KeyObject;
  try {
    const trimmed = text.trim();
    privateKey = trimmed.startsWith('{')
      ? createPrivateKey({ key: JSON.parse(trimmed) as JsonWebKey, format: 'jwk' })
      : createPrivateKey(trimmed);
  } catch {
    // The parser's own message may quote the input: replace it.
    throw new KeyMaterialError('is not a readable private key (PEM or JWK)');
  }
  assertKeyFits(privateKey, alg);
  const publicKey = createPublicKey(privateKey);
  const kid = await thumbprint(publicKey.export({ format: 'jwk' }) as JWK);
  return { kid, alg, privateKey, publicKey, ...times };
}

/** Generates a fresh key pair; HS256 secrets are never generated, they are shared configuration. */
export async function generateSigningKey(
  alg: Exclude<JwtAlgorithm, 'HS256'>,
  createdAt: number,
): Promise<SigningKey> {
  const { privateKey } =
    alg === 'RS256'
      ? generateKeyPairSync('rsa', { modulusLength: 3072 })
      : generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  return privateSigningKey(JSON.stringify(privateKey.export({ format: 'jwk' })), alg, { createdAt });
}

/** The public JWK of an asymmetric key, as published in the JWKS. */
export function publicJwk(key: SigningKey): JWK {
  return { ...(key.publicKey.export({ format: 'jwk' }) as JWK), kid: key.kid, alg: key.alg, use: 'sig' };
}
