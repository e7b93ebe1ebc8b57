import { randomUUID } from 'node:crypto';

import { createSigner, createVerifier } from 'fast-jwt';
import jsonwebtoken, { type Algorithm } from 'jsonwebtoken';

import {
  IoauthJwtService,
  KeyStore,
  MemoryKeySetStorage,
  parseAuthCoreOptions,
  systemClock,
  TokenService,
} from '@ioauth/auth-core';

// One mode of the token benchmark, prepared inside its own worker process (see harness.ts).

export const ALGORITHMS = ['HS256', 'ES256', 'RS256'] as const;
const SECRET = 'bench-secret-of-at-least-thirty-two-bytes';
const grant = { sub: 'alice', sid: 'session-1', scope: 'chat:read chat:write', roles: ['member'] };

async function operationsFor(mode: string, algorithm: (typeof ALGORITHMS)[number]) {
  const config = parseAuthCoreOptions({ algorithm, ...(algorithm === 'HS256' ? { secret: SECRET } : {}) });
  const keys = await KeyStore.create({ config, clock: systemClock, storage: new MemoryKeySetStorage() });
  const tokens = new TokenService(new IoauthJwtService(keys, config, systemClock), config, systemClock);
  const key = keys.signingKey();
  // Twice as many tokens as ioauth remembers verified signatures of (1,000), taken in turn: each verification is a
  // token's first. `again` verifies one token over and over, as a client's handshakes and requests do.
  const pool = Array.from({ length: 2000 }, () => tokens.issueAccessToken(grant, 3600).token);
  const token = pool[0] as string;
  let next = 0;
  const fresh = () => pool[(next = (next + 1) % pool.length)] as string;
  // The same claims TokenService mints, built the same way (a literal, not a spread: the spread alone cost the
  // baselines a third of their signing time in an early version of this bench).
  const claims = () => {
    const now = Math.floor(Date.now() / 1000);
    return {
      iss: config.issuer,
      aud: config.audience,
      sub: grant.sub,
      iat: now,
      nbf: now,
      exp: now + 900,
      jti: randomUUID(),
      sid: grant.sid,
      scope: grant.scope,
      roles: [...grant.roles],
    };
  };
  if (mode === 'ioauth') {
    return {
      sign: () => tokens.issueAccessToken(grant),
      verify: () => tokens.verifyAccessToken(fresh()),
      again: () => tokens.verifyAccessToken(token),
    };
  }
  if (mode === 'jsonwebtoken') {
    const signOptions = {
      algorithm: algorithm as Algorithm,
      keyid: key.kid,
      header: { alg: algorithm, typ: 'at+jwt' },
    };
    const verifyOptions = {
      algorithms: [algorithm as Algorithm],
      issuer: config.issuer,
      audience: config.audience,
    };
    return {
      sign: () => jsonwebtoken.sign(claims(), key.privateKey, signOptions),
      verify: () => jsonwebtoken.verify(fresh(), key.publicKey, verifyOptions),
      again: () => jsonwebtoken.verify(token, key.publicKey, verifyOptions),
    };
  }
  const pem =
    algorithm === 'HS256'
      ? { sign: SECRET, verify: SECRET }
      : {
          sign: key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
          verify: key.publicKey.export({ type: 'spki', format: 'pem' }) as string,
        };
  const sign = createSigner({
    key: pem.sign,
    algorithm,
    kid: key.kid,
    header: { alg: algorithm, typ: 'at+jwt' },
  });
  const verify = createVerifier({
    key: pem.verify,
    algorithms: [algorithm],
    allowedIss: config.issuer,
    allowedAud: config.audience,
    cache: false,
  });
  return { sign: () => sign(claims()), verify: () => verify(fresh()), again: () => verify(token) };
}

/**
 * `ioauth` is `TokenService` with all its checks; `jsonwebtoken` is the raw library with the same `KeyObject`;
 * `fast-jwt` is without cache. Each signs the same claims (a fresh `jti` each) and verifies a token of the same
 * shape with the same issuer, audience and algorithm checks: a token it has not seen lately (`verify`), and one it
 * verified just before (`verify-again`, where ioauth skips the signature it already checked).
 */
export async function prepare(mode: string): Promise<Record<string, () => unknown>> {
  const operations: Record<string, () => unknown> = {};
  for (const algorithm of ALGORITHMS) {
    const { sign, verify, again } = await operationsFor(mode, algorithm);
    operations[`sign.${algorithm}`] = sign;
    operations[`verify.${algorithm}`] = verify;
    operations[`verify-again.${algorithm}`] = again;
  }
  return operations;
}
