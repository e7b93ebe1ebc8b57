import { createSecretKey, generateKeyPairSync, randomUUID, type KeyObject } from 'node:crypto';

import { calculateJwkThumbprint, SignJWT, type JWK } from 'jose';

import type { GatewayAlgorithm } from './gateway.protocol.js';

// Keys and access tokens of the gateway bench, made up front in the bench process: what each server is configured
// with, and tokens it accepts as its own (`typ: at+jwt`, its `kid`, ioauth's default issuer and audience).

const SECRET = 'gateway-bench-secret-of-at-least-thirty-two-bytes';
const ISSUER = 'ioauth';
const AUDIENCE = 'ioauth';
// Longer than any run, so that no socket of the bench gets `auth:expiring` or is closed at `exp`.
const LIFETIME = 3600;

/** A key the bench mints with, and how each server under test is given it. */
export interface BenchKey {
  algorithm: GatewayAlgorithm;
  /** RFC 7638 thumbprint, as ioauth computes it: of the oct JWK for HS256, of the public JWK for ES256. */
  kid: string;
  signing: KeyObject;
  /** ioauth's `secret` or `privateKey` (PEM). */
  ioauth: string;
  /** `@thream/socketio-jwt`'s `secret`: the secret, or the public key (PEM). */
  thream: string;
}

export async function benchKey(algorithm: GatewayAlgorithm): Promise<BenchKey> {
  if (algorithm === 'HS256') {
    const signing = createSecretKey(Buffer.from(SECRET, 'utf8'));
    const kid = await calculateJwkThumbprint(signing.export({ format: 'jwk' }) as JWK, 'sha256');
    return { algorithm, kid, signing, ioauth: SECRET, thream: SECRET };
  }
  const { privateKey, publicKey } = generateKeyPairSync('ec', { namedCurve: 'prime256v1' });
  const kid = await calculateJwkThumbprint(publicKey.export({ format: 'jwk' }) as JWK, 'sha256');
  return {
    algorithm,
    kid,
    signing: privateKey,
    ioauth: privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
    thream: publicKey.export({ type: 'spki', format: 'pem' }) as string,
  };
}

/**
 * `count` distinct access tokens, one session each, with scope `x` (what the guarded `ping` requires): distinct so
 * that no verifier could be helped by a cache.
 */
export async function mintTokens(key: BenchKey, count: number): Promise<string[]> {
  const now = Math.floor(Date.now() / 1000);
  const tokens: string[] = [];
  for (let i = 0; i < count; i += 1) {
    tokens.push(
      await new SignJWT({ sid: randomUUID(), scope: 'x chat:read', roles: ['member'] })
        .setProtectedHeader({ alg: key.algorithm, typ: 'at+jwt', kid: key.kid })
        .setIssuer(ISSUER)
        .setAudience(AUDIENCE)
        .setSubject(`user-${i}`)
        .setIssuedAt(now)
        .setNotBefore(now)
        .setExpirationTime(now + LIFETIME)
        .setJti(randomUUID())
        .sign(key.signing),
    );
  }
  return tokens;
}
