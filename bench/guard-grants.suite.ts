import type { ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';

import {
  InProcessRevocationBus,
  IoauthJwtService,
  KeyStore,
  MemoryKeySetStorage,
  parseAuthCoreOptions,
  RequireScopes,
  RevocationList,
  systemClock,
  TokenService,
  type GrantsChange,
} from '@ioauth/auth-core';
import { WS_IDENTITY_KEY, WsJwtGuard, type WsIdentity } from '@ioauth/gateway';

// The two revocation lists of the grants bench (guard-grants.bench.ts), each with the same guard and socket.

/** Users with a grants record beside the socket's own. */
export const OTHER_USERS = 10_000;
/** Guarded events per operation, so that the worker's loop weighs little against the guard. */
export const EVENTS_PER_OPERATION = 100;
const SECRET = 'bench-secret-of-at-least-thirty-two-bytes';

class ChatGateway {
  @RequireScopes('chat:read')
  read(): string {
    return 'read';
  }
}

/**
 * `empty`: today's guard, with a revocation list that holds nothing. `grants`: the same guard and socket, with a
 * list holding a grants record for each of `OTHER_USERS` users and one for the socket's own user, whose identity
 * the lifecycle narrowed already (as after a downgrade: the scope it kept is the one the handler needs). The
 * socket's identity is the same object in both, so that the list alone differs.
 */
export async function prepare(mode: string): Promise<Record<string, () => unknown>> {
  const config = parseAuthCoreOptions({ algorithm: 'HS256', secret: SECRET });
  const keys = await KeyStore.create({ config, clock: systemClock, storage: new MemoryKeySetStorage() });
  const tokens = new TokenService(new IoauthJwtService(keys, config, systemClock), config, systemClock);
  // Kept as long as AuthCoreModule keeps them: one access-token lifetime and the clock tolerance.
  const revocations = new RevocationList(
    new InProcessRevocationBus(),
    systemClock,
    (config.accessTokenTtl + config.clockTolerance) * 1000,
  );
  const now = systemClock.now();
  const nowSeconds = Math.floor(now / 1000);
  if (mode === 'grants') {
    const cut = (sub: string): GrantsChange => ({
      kind: 'grants',
      sub,
      reason: 'grants_changed',
      at: now,
      scopes: ['chat:read'],
      roles: [],
    });
    for (let user = 0; user < OTHER_USERS; user += 1) revocations.add(cut(`user-${user}`));
    revocations.add(cut('alice'));
  } else if (mode !== 'empty') {
    throw new Error(`unknown mode ${mode}`);
  }
  const identity: WsIdentity = {
    sub: 'alice',
    sid: 'session-1',
    scope: 'chat:read',
    roles: [],
    iat: nowSeconds - 60,
    exp: nowSeconds + 3600,
  };
  const socket = { data: { [WS_IDENTITY_KEY]: identity } };
  const context = {
    switchToWs: () => ({ getClient: () => socket, getPattern: () => 'chat:read', getData: () => ({}) }),
    getHandler: () => ChatGateway.prototype.read,
    getClass: () => ChatGateway,
  } as unknown as ExecutionContext;
  const guard = new WsJwtGuard(new Reflector(), revocations, tokens, systemClock);
  return {
    event: () => {
      let admitted = 0;
      for (let event = 0; event < EVENTS_PER_OPERATION; event += 1)
        if (guard.canActivate(context)) admitted += 1;
      if (admitted !== EVENTS_PER_OPERATION) throw new Error('the guard refused the socket');
      return admitted;
    },
  };
}
