import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import type { INestApplication } from '@nestjs/common';
import { Test } from '@nestjs/testing';
import { createLocalJWKSet, jwtVerify } from 'jose';

import { TokenService } from '@ioauth/auth-core';
import { loadIoauthOptions } from '@ioauth/config';
import { IoauthIoAdapter } from '@ioauth/gateway';

import { AppModule } from './app.module.js';

describe('server app', () => {
  let app: INestApplication;
  let dataDir: string;
  let base: string;

  beforeAll(async () => {
    dataDir = await mkdtemp(join(tmpdir(), 'ioauth-server-'));
    const moduleRef = await Test.createTestingModule({
      imports: [AppModule.register(loadIoauthOptions({ IOAUTH_DATA_DIR: dataDir }))],
    }).compile();
    app = moduleRef.createNestApplication({ logger: false });
    app.useWebSocketAdapter(new IoauthIoAdapter(app));
    await app.listen(0, '127.0.0.1');
    base = await app.getUrl();
  }, 60_000);
  afterAll(async () => {
    await app.close();
    await rm(dataDir, { recursive: true, force: true });
  });

  it('serves a JWKS that verifies the tokens it mints, with a plain jose verifier', async () => {
    const response = await fetch(`${base}/.well-known/jwks.json`);
    expect(response.status).toBe(200);
    const jwks = (await response.json()) as Parameters<typeof createLocalJWKSet>[0];
    const { token } = app
      .get(TokenService)
      .issueAccessToken({ sub: 'alice', sid: 's1', scope: 'chat:read', roles: [] });
    const { payload } = await jwtVerify(token, createLocalJWKSet(jwks), {
      issuer: 'ioauth',
      audience: 'ioauth',
      typ: 'at+jwt',
    });
    expect(payload.sub).toBe('alice');
  });

  it('answers liveness', async () => {
    const response = await fetch(`${base}/health/live`);
    expect(await response.json()).toEqual({ status: 'ok' });
  });
});
