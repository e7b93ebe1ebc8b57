import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import {
  InProcessRevocationBus,
  REQUIRED_ROLES,
  REQUIRED_SCOPES,
  RevocationList,
  type TokenService,
} from '@ioauth/auth-core';
import type { AccessTokenClaims } from '@ioauth/contracts';

import { JwtAuthGuard } from './jwt-auth.guard.js';

const NOW = Date.UTC(2026, 0, 1);
const IAT = NOW / 1000 - 60;

const alice: AccessTokenClaims = {
  iss: 'ioauth',
  aud: 'ioauth',
  sub: 'alice',
  sid: 's-1',
  jti: 'j-1',
  iat: IAT,
  nbf: IAT,
  exp: IAT + 900,
  scope: 'chat:read chat:write',
  roles: ['moderator'],
};

function setup() {
  const bus = new InProcessRevocationBus();
  const revocations = new RevocationList(bus, { now: () => NOW }, 900_000);
  const tokens = { verifyAccessToken: () => ({ ...alice }) } as unknown as TokenService;
  const guard = new JwtAuthGuard(tokens, revocations, new Reflector());
  const cut = (at: number, scopes: string[], roles: string[]) =>
    revocations.add({ kind: 'grants', sub: 'alice', reason: 'grants_changed', at, scopes, roles });
  // A route needing `required`, called with a Bearer token; what the guard leaves on `request.user`.
  const call = (required: { scopes?: string[]; roles?: string[] } = {}) => {
    const handler = () => undefined;
    Reflect.defineMetadata(REQUIRED_SCOPES, required.scopes, handler);
    Reflect.defineMetadata(REQUIRED_ROLES, required.roles, handler);
    const request: { headers: Record<string, string>; user?: AccessTokenClaims } = {
      headers: { authorization: 'Bearer a.b.c' },
    };
    const context = {
      getHandler: () => handler,
      getClass: () => class {},
      switchToHttp: () => ({ getRequest: () => request }),
    } as unknown as ExecutionContext;
    guard.canActivate(context);
    return request.user;
  };
  return { cut, call };
}

describe('JwtAuthGuard and grants that change', () => {
  it('leaves the token’s own grants when its user lost none', () => {
    const { call } = setup();
    expect(call({ scopes: ['chat:write'] })).toMatchObject({
      scope: 'chat:read chat:write',
      roles: ['moderator'],
    });
  });

  it('judges a route on the grants left after a cut made after the token, and hands those on', () => {
    const { cut, call } = setup();
    cut(NOW - 1000, ['chat:read'], []);
    expect(() => call({ scopes: ['chat:write'] })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(() => call({ roles: ['moderator'] })).toThrow(expect.objectContaining({ code: 'forbidden' }));
    expect(call({ scopes: ['chat:read'] })).toMatchObject({
      sub: 'alice',
      scope: 'chat:read',
      roles: [],
      sid: 's-1',
    });
  });

  it('keeps the token’s grants when the cut came before it was issued (its grants are the new ones already)', () => {
    const { cut, call } = setup();
    cut(IAT * 1000 - 5000, ['chat:read'], []);
    expect(call({ scopes: ['chat:write'] })).toMatchObject({ scope: 'chat:read chat:write' });
  });

  it('adds no grant the user gained: those come with the next token', () => {
    const { cut, call } = setup();
    cut(NOW - 1000, ['chat:read', 'chat:write', 'chat:admin'], ['moderator', 'admin']);
    expect(call()).toMatchObject({ scope: 'chat:read chat:write', roles: ['moderator'] });
    expect(() => call({ roles: ['admin'] })).toThrow(expect.objectContaining({ code: 'forbidden' }));
  });
});
