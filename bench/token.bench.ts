import { randomUUID } from 'node:crypto';

import { createSigner, createVerifier } from 'fast-jwt';
import jsonwebtoken, { type Algorithm } from 'jsonwebtoken';

import {
  IoauthJwtService,
  KeyStore,
  MemoryKeySetStorage,
  parseIoauthConfig,
  systemClock,
  TokenService,
  type JwtAlgorithm,
} from '@ioauth/auth-core';

import { throughput, type BenchPlan, type BenchResult } from './harness.js';

const SECRET = 'bench-secret-of-at-least-thirty-two-bytes';
const grant = { sub: 'alice', sid: 'session-1', scope: 'chat:read chat:write', roles: ['member'] };

async function tokenService(algorithm: JwtAlgorithm) {
  const config = parseIoauthConfig({ algorithm, ...(algorithm === 'HS256' ? { secret: SECRET } : {}) });
  const keys = await KeyStore.create({ config, clock: systemClock, storage: new MemoryKeySetStorage() });
  const tokens = new TokenService(new IoauthJwtService(keys, config, systemClock), config, systemClock);
  return { config, key: keys.signingKey(), tokens };
}

/**
 * Sign and verify throughput of `TokenService`, with all its checks, against raw `jsonwebtoken` given the same
 * `KeyObject` and against `fast-jwt` without cache, per algorithm. Every mode signs the same claims (a fresh `jti`
 * each) and verifies the same token with the same issuer, audience and algorithm checks.
 */
export async function tokenBench(plan: BenchPlan): Promise<BenchResult[]> {
  const results: BenchResult[] = [];
  for (const algorithm of ['HS256', 'ES256', 'RS256'] as const) {
    const { config, key, tokens } = await tokenService(algorithm);
    const token = tokens.issueAccessToken(grant, 3600).token;
    const pem =
      algorithm === 'HS256'
        ? { sign: SECRET, verify: SECRET }
        : {
            sign: key.privateKey.export({ type: 'pkcs8', format: 'pem' }) as string,
            verify: key.publicKey.export({ type: 'spki', format: 'pem' }) as string,
          };
    const claims = () => {
      const now = Math.floor(Date.now() / 1000);
      return {
        ...grant,
        iss: config.issuer,
        aud: config.audience,
        iat: now,
        nbf: now,
        exp: now + 900,
        jti: randomUUID(),
      };
    };
    const fastSign = createSigner({
      key: pem.sign,
      algorithm,
      kid: key.kid,
      header: { alg: algorithm, typ: 'at+jwt' },
    });
    const fastVerify = createVerifier({
      key: pem.verify,
      algorithms: [algorithm],
      allowedIss: config.issuer,
      allowedAud: config.audience,
      cache: false,
    });
    const rawSignOptions = {
      algorithm: algorithm as Algorithm,
      keyid: key.kid,
      header: { alg: algorithm, typ: 'at+jwt' },
    };
    const rawVerifyOptions = {
      algorithms: [algorithm as Algorithm],
      issuer: config.issuer,
      audience: config.audience,
    };

    const sign = throughput(
      {
        ioauth: () => tokens.issueAccessToken(grant),
        jsonwebtoken: () => jsonwebtoken.sign(claims(), key.privateKey, rawSignOptions),
        'fast-jwt': () => fastSign(claims()),
      },
      plan,
    );
    const verify = throughput(
      {
        ioauth: () => tokens.verifyAccessToken(token),
        jsonwebtoken: () => jsonwebtoken.verify(token, key.publicKey, rawVerifyOptions),
        'fast-jwt': () => fastVerify(token),
      },
      plan,
    );
    for (const [operation, figures] of [
      ['sign', sign],
      ['verify', verify],
    ] as const) {
      for (const baseline of ['jsonwebtoken', 'fast-jwt'] as const) {
        const value = figures['ioauth'] as number;
        const reference = figures[baseline] as number;
        results.push({
          name: `token.${operation}.${algorithm} vs ${baseline}`,
          value: Math.round(value),
          unit: 'ops/s',
          baseline: Math.round(reference),
          ratio: Number((value / reference).toFixed(3)),
        });
      }
    }
  }
  return results;
}
