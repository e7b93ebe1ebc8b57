import { createHmac, sign, type KeyObject } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Test } from '@nestjs/testing';

import { IOAUTH_CLOCK } from '../auth-core.constants.js';
import { AuthCoreModule } from '../auth-core.module.js';
import type { Clock } from '../clock.js';
import type { AuthCoreOptions } from '../auth-core.options.js';
import type { AuthCoreSettings } from '../auth-core.options.schema.js';
import { AUTH_CORE_SETTINGS } from '../auth-core.settings.js';
import { IoauthJwtService } from '../jwt/ioauth-jwt.service.js';
import { KeyStore } from '../keys/key-store.js';
import { TokenService } from '../tokens/token.service.js';

/** The frozen "now" of the specs, in seconds. */
export const NOW = 1_800_000_000;

/** A clock that moves only when told to. */
export class FrozenClock implements Clock {
  constructor(public seconds: number = NOW) {}

  now(): number {
    return this.seconds * 1000;
  }

  advance(seconds: number): void {
    this.seconds += seconds;
  }
}

/** Compiles `AuthCoreModule.forRoot(input)` with a frozen clock and a throw-away data folder. */
export async function setup(input: AuthCoreOptions = {}) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ioauth-core-'));
  const clock = new FrozenClock();
  const moduleRef = await Test.createTestingModule({
    imports: [AuthCoreModule.forRoot({ dataDir, ...input })],
  })
    .overrideProvider(IOAUTH_CLOCK)
    .useValue(clock)
    .compile();
  return {
    moduleRef,
    clock,
    dataDir,
    config: moduleRef.get<AuthCoreSettings>(AUTH_CORE_SETTINGS),
    keys: moduleRef.get(KeyStore),
    jwt: moduleRef.get(IoauthJwtService),
    tokens: moduleRef.get(TokenService),
    close: async () => {
      await moduleRef.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

/** Runs something that must fail and returns what it threw (or rejected with). */
export async function refusal(run: () => unknown): Promise<unknown> {
  try {
    await run();
  } catch (error) {
    return error;
  }
  throw new Error('expected a refusal');
}

const encode = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');

/**
 * Builds a compact JWS by hand, so that specs can make tokens no well-behaved library would: any header, any
 * payload, signed with any key. `ES256` signs in the JOSE (IEEE P1363) format, as RFC 7518 section 3.4 says.
 */
export function forge(
  header: Record<string, unknown>,
  payload: unknown,
  key:
    { alg: 'ES256' | 'RS256'; privateKey: KeyObject } | { alg: 'HS256'; secret: KeyObject | Buffer | string },
): string {
  const input = `${encode(header)}.${typeof payload === 'string' ? payload : encode(payload)}`;
  const signature =
    key.alg === 'HS256'
      ? createHmac('sha256', key.secret).update(input).digest()
      : sign('sha256', Buffer.from(input), {
          key: key.privateKey,
          ...(key.alg === 'ES256' ? { dsaEncoding: 'ieee-p1363' as const } : {}),
        });
  return `${input}.${signature.toString('base64url')}`;
}
