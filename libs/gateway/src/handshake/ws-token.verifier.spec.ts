import { createHmac } from 'node:crypto';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { Test } from '@nestjs/testing';

import { AuthCoreModule, TokenService, type AuthCoreOptions } from '@ioauth/auth-core';

import { WsTokenVerifier } from './ws-token.verifier.js';

const SECRET = 'ws-token-verifier-spec-secret-long-enough-for-hs256';

async function setup(input: AuthCoreOptions) {
  const dataDir = await mkdtemp(join(tmpdir(), 'ioauth-ws-verifier-'));
  const moduleRef = await Test.createTestingModule({
    imports: [AuthCoreModule.forRoot({ dataDir, ...input })],
    providers: [WsTokenVerifier],
  }).compile();
  return {
    verifier: moduleRef.get(WsTokenVerifier),
    tokens: moduleRef.get(TokenService),
    close: async () => {
      await moduleRef.close();
      await rm(dataDir, { recursive: true, force: true });
    },
  };
}

// A token of another backend, as verify-only mode receives it.
function foreignToken(claims: Record<string, unknown>): string {
  const part = (value: unknown) => Buffer.from(JSON.stringify(value)).toString('base64url');
  const unsigned = `${part({ alg: 'HS256', typ: 'JWT' })}.${part(claims)}`;
  return `${unsigned}.${createHmac('sha256', SECRET).update(unsigned).digest('base64url')}`;
}

describe('WsTokenVerifier', () => {
  describe('with ioauth’s own tokens', () => {
    let subject: Awaited<ReturnType<typeof setup>>;
    beforeAll(async () => {
      subject = await setup({ algorithm: 'HS256', secret: SECRET });
    });
    afterAll(() => subject.close());

    const verify = async (claims?: Record<string, unknown>) => {
      const grant = { sub: 'alice', sid: 's-1', scope: 'chat:read', roles: ['member'] };
      const { token } = subject.tokens.issueAccessToken(claims ? { ...grant, claims } : grant);
      return subject.verifier.verify(token);
    };

    it('keeps the application’s own claims, and none of ioauth’s, in claims', async () => {
      const identity = await verify({ tenant: 'acme', plan: { tier: 'gold' } });
      expect(identity).toMatchObject({ sub: 'alice', sid: 's-1', scope: 'chat:read', roles: ['member'] });
      expect(identity.claims).toEqual({ tenant: 'acme', plan: { tier: 'gold' } });
    });

    it('leaves claims unset when the token has none of the application’s own', async () => {
      expect(await verify()).not.toHaveProperty('claims');
    });
  });

  describe('in verify-only mode', () => {
    let subject: Awaited<ReturnType<typeof setup>>;
    beforeAll(async () => {
      subject = await setup({ verifySecret: SECRET });
    });
    afterAll(() => subject.close());

    it('keeps every claim of the other backend’s token, registered ones included', async () => {
      const exp = Math.floor(Date.now() / 1000) + 600;
      const claims = { sub: 'bob', exp, tenant: 'acme' };
      const identity = await subject.verifier.verify(foreignToken(claims));
      expect(identity).toMatchObject({ sub: 'bob', exp });
      expect(identity.claims).toEqual(claims);
    });
  });
});
