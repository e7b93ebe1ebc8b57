import { Logger, type ExecutionContext } from '@nestjs/common';
import { Reflector } from '@nestjs/core';
import type { Socket } from 'socket.io';

import {
  AuthError,
  AuthEvents,
  InProcessRevocationBus,
  RequireScopes,
  RevocationList,
  type Revocation,
  type TokenService,
} from '@ioauth/auth-core';

import type { SocketBudgets } from '../budget/socket-budgets.service.js';
import { WsJwtGuard } from '../guards/ws-jwt.guard.js';
import type { WsTokenVerifier } from '../handshake/ws-token.verifier.js';
import { setWsIdentity, wsIdentity, type WsIdentity } from '../identity/ws-identity.js';
import type { WsAuthOptions } from '../ws-auth.options.js';
import { GrantsChange } from './grants-change.js';
import { TokenLifecycle } from './token-lifecycle.service.js';

const NOW = 1_800_000_000_000;
const NOW_S = NOW / 1000;
// The default refresh window: a 900 s token is warned 60 s ahead.
const WINDOW_S = 60;

class ManualClock {
  ms = NOW;
  now(): number {
    return this.ms;
  }
}

type Listener = (this: FakeSocket, ...args: unknown[]) => void;

/** What TokenLifecycle uses of a socket.io socket, recording what the server sends. */
class FakeSocket {
  readonly data: Record<string, unknown> = {};
  readonly nsp: { name: string };
  readonly rooms: Set<string>;
  readonly sent: { event: string; payload: unknown }[] = [];
  connected = true;
  private readonly listeners = new Map<string, Listener>();

  constructor(
    readonly id: string,
    identity: WsIdentity,
    namespace = '/',
    rooms: string[] = [],
  ) {
    this.nsp = { name: namespace };
    this.rooms = new Set([id, ...rooms]);
    setWsIdentity(this, identity);
  }

  on(event: string, listener: Listener): this {
    this.listeners.set(event, listener);
    return this;
  }

  emit(event: string, payload: unknown): boolean {
    this.sent.push({ event, payload });
    return true;
  }

  leave(room: string): void {
    this.rooms.delete(room);
  }

  disconnect(): void {
    if (!this.connected) return;
    this.connected = false;
    this.listeners.get('disconnect')?.call(this, 'server namespace disconnect');
  }

  /** The client sending an event. */
  receive(event: string, ...args: unknown[]): void {
    this.listeners.get(event)?.call(this, ...args);
  }

  refresh(token: string): Promise<unknown> {
    return new Promise((resolve) => this.receive('auth:refresh', { token }, resolve));
  }

  of(event: string): unknown[] {
    return this.sent.filter((sent) => sent.event === event).map((sent) => sent.payload);
  }
}

const asSocket = (socket: FakeSocket) => socket as unknown as Socket;

/** Alice's token: issued 100 s ago for 900 s, with both chat scopes. */
const alice = (overrides: Partial<WsIdentity> = {}): WsIdentity => ({
  sub: 'alice',
  sid: 's1',
  scope: 'chat:read chat:write',
  roles: ['member'],
  iat: NOW_S - 100,
  exp: NOW_S + 800,
  ...overrides,
});

class Chat {
  @RequireScopes('chat:write')
  send(): string {
    return 'sent';
  }

  @RequireScopes('chat:read')
  read(): string {
    return 'read';
  }
}

function setup(options: WsAuthOptions = {}) {
  const clock = new ManualClock();
  const revocations = new RevocationList(new InProcessRevocationBus(), clock, 3_600_000);
  const tokens = { acceptedUntil: (exp: number) => exp * 1000 } as unknown as TokenService;
  // The tokens a client may present in-band, by their text.
  const minted = new Map<string, WsIdentity>();
  const verifier = {
    verify: (token: string) => {
      const identity = minted.get(token);
      if (!identity) throw new AuthError('token_invalid', 'the token is invalid');
      return identity;
    },
  } as unknown as WsTokenVerifier;
  const budgets = { admit: () => true, admitRefresh: () => true } as unknown as SocketBudgets;
  const grants = new GrantsChange(revocations);
  const lifecycle = new TokenLifecycle(
    tokens,
    clock,
    options,
    verifier,
    revocations,
    budgets,
    new AuthEvents(),
    grants,
  );
  const guard = new WsJwtGuard(new Reflector(), revocations, tokens, clock);
  return {
    clock,
    revocations,
    grants,
    lifecycle,
    minted,
    connect(socket: FakeSocket): FakeSocket {
      lifecycle.attach(asSocket(socket));
      return socket;
    },
    /** A handshake of `identity` as HandshakeAuthenticator leaves it, then the connection. */
    handshake(id: string, identity: WsIdentity, namespace = '/'): FakeSocket {
      return this.connect(new FakeSocket(id, grants.atHandshake(identity), namespace));
    },
    cut(scopes: string[], roles: string[] = ['member'], sub = 'alice', at = clock.ms): void {
      revocations.add({ kind: 'grants', sub, reason: 'grants_changed', at, scopes, roles });
    },
    revoke(revocation: Revocation): void {
      revocations.add(revocation);
    },
    /** Moves the clock and the expiry wheel's timer on together. */
    advance(ms: number): void {
      clock.ms += ms;
      import.meta.jest.advanceTimersByTime(ms);
    },
    /** Whether the guard lets the socket's event to `handler` through, else the refusal's code. */
    judge(socket: FakeSocket, handler: 'send' | 'read'): true | string {
      const context = {
        switchToWs: () => ({ getClient: () => socket, getPattern: () => handler, getData: () => ({}) }),
        getHandler: () => Chat.prototype[handler],
        getClass: () => Chat,
      } as unknown as ExecutionContext;
      try {
        return guard.canActivate(context) as true;
      } catch (error) {
        return (error as AuthError).code;
      }
    },
  };
}

const grantsWarning = (exp: number) => ({ exp, reason: 'grants_changed' });

describe('TokenLifecycle when a user’s grants change', () => {
  let subject: ReturnType<typeof setup>;

  beforeEach(() => {
    import.meta.jest.useFakeTimers({ now: NOW });
    for (const level of ['log', 'warn', 'error'] as const)
      import.meta.jest.spyOn(Logger.prototype, level).mockImplementation(() => undefined);
  });
  afterEach(() => {
    subject?.lifecycle.onModuleDestroy();
    import.meta.jest.useRealTimers();
    import.meta.jest.restoreAllMocks();
  });

  it('narrows a socket whose token lost a scope at once, and warns it with the reason and the deadline', () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice()));
    const bystander = subject.connect(new FakeSocket('b', alice({ sub: 'bob', sid: 's9' })));
    subject.cut(['chat:read']);
    expect(socket.of('auth:expiring')).toEqual([grantsWarning(NOW_S + WINDOW_S)]);
    expect(wsIdentity(socket)).toEqual(alice({ scope: 'chat:read' }));
    expect(bystander.sent).toEqual([]);
    expect(wsIdentity(bystander)?.scope).toBe('chat:read chat:write');
  });

  it('judges the next events on the grants left: a handler needing the lost scope is refused with forbidden', () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice()));
    expect(subject.judge(socket, 'send')).toBe(true);
    subject.cut(['chat:read']);
    expect(subject.judge(socket, 'send')).toBe('forbidden');
    expect(subject.judge(socket, 'read')).toBe(true);
  });

  it('answers whoami with the grants left', () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice()));
    subject.cut(['chat:read'], []);
    let answer: unknown;
    socket.receive('whoami', (result: unknown) => (answer = result));
    expect(answer).toEqual({ sub: 'alice', scope: 'chat:read', roles: [], exp: NOW_S + 800 });
  });

  it('leaves at once the rooms the grants left may not hold, and keeps the others', () => {
    subject = setup({ rooms: [{ room: 'writers', scopes: ['chat:write'] }] });
    const socket = subject.connect(new FakeSocket('a', alice(), '/', ['writers', 'lobby']));
    subject.cut(['chat:read']);
    expect([...socket.rooms]).toEqual(['a', 'lobby']);
  });

  it('leaves the rooms once an asynchronous room predicate refuses the grants left', async () => {
    subject = setup({
      rooms: [{ room: 'writers', allow: async (identity) => identity.scope.includes('chat:write') }],
    });
    const socket = subject.connect(new FakeSocket('a', alice(), '/', ['writers']));
    subject.cut(['chat:read']);
    expect(subject.judge(socket, 'send')).toBe('forbidden');
    await import.meta.jest.advanceTimersByTimeAsync(0);
    expect([...socket.rooms]).toEqual(['a']);
  });

  it('closes at once with token_revoked a socket whose namespace policy refuses the grants left', () => {
    subject = setup({ namespaces: [{ namespace: '/admin', auth: 'required', roles: ['admin'] }] });
    const socket = subject.connect(new FakeSocket('a', alice({ roles: ['admin'] }), '/admin'));
    subject.cut(['chat:read', 'chat:write'], []);
    expect(socket.of('auth:error')).toEqual([{ code: 'token_revoked', message: expect.any(String) }]);
    expect(socket.of('auth:expiring')).toEqual([]);
    expect(socket.connected).toBe(false);
  });

  it('keeps the socket when an in-band refresh comes before the deadline, with the new token’s grants', async () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice()));
    subject.cut(['chat:read']);
    subject.advance(30_000);
    subject.minted.set('new', alice({ scope: 'chat:read', iat: NOW_S + 30, exp: NOW_S + 930 }));
    expect(await socket.refresh('new')).toEqual({ exp: NOW_S + 930 });
    subject.advance((WINDOW_S + 10) * 1000);
    expect(socket.connected).toBe(true);
    expect(socket.of('auth:error')).toEqual([]);
    expect(wsIdentity(socket)?.scope).toBe('chat:read');
    // The next warning is the new token's own, ahead of its exp.
    subject.advance(800_000);
    expect(socket.of('auth:expiring')).toEqual([grantsWarning(NOW_S + WINDOW_S), { exp: NOW_S + 930 }]);
  });

  it('closes the socket with token_revoked at the deadline when no refresh comes, not before', () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice()));
    subject.cut(['chat:read']);
    subject.advance(WINDOW_S * 1000 - 1);
    expect(socket.connected).toBe(true);
    subject.advance(200);
    expect(socket.of('auth:error')).toEqual([{ code: 'token_revoked', message: expect.any(String) }]);
    expect(socket.connected).toBe(false);
  });

  it('sets the deadline at the token’s exp when that comes first', () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice({ iat: NOW_S - 880, exp: NOW_S + 20 })));
    subject.cut(['chat:read']);
    expect(socket.of('auth:expiring')).toEqual([grantsWarning(NOW_S + 20)]);
    subject.advance(20_200);
    expect(socket.of('auth:error')).toEqual([{ code: 'token_revoked', message: expect.any(String) }]);
  });

  it('does nothing for gained grants, nor for a cut of grants the token never had', () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice()));
    subject.cut(['chat:read', 'chat:write', 'chat:admin'], ['member', 'admin']);
    subject.cut(['chat:read', 'chat:write'], ['member']);
    expect(socket.sent).toEqual([]);
    expect(wsIdentity(socket)).toEqual(alice());
  });

  it('warns a socket whose token was issued in the cut’s own second', () => {
    subject = setup();
    subject.advance(400);
    const socket = subject.connect(new FakeSocket('a', alice({ iat: NOW_S, exp: NOW_S + 900 })));
    subject.cut(['chat:read']);
    expect(socket.of('auth:expiring')).toEqual([grantsWarning(NOW_S + WINDOW_S + 1)]);
    const handshaken = subject.handshake('b', alice({ sid: 's2', iat: NOW_S, exp: NOW_S + 900 }));
    expect(handshaken.of('auth:expiring')).toEqual([grantsWarning(NOW_S + WINDOW_S + 1)]);
  });

  it('does nothing for a socket whose token was issued after the cut', () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice({ iat: NOW_S + 1, exp: NOW_S + 901 })));
    subject.cut(['chat:read'], [], 'alice', NOW);
    expect(socket.sent).toEqual([]);
  });

  it('warns once for a record heard twice (the bus, then the catch-up from the store)', () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice()));
    subject.cut(['chat:read'], ['member'], 'alice', NOW);
    subject.cut(['chat:read'], ['member'], 'alice', NOW);
    // A later record leaving the same grants cuts nothing more.
    subject.cut(['chat:read'], ['member'], 'alice', NOW + 500);
    expect(socket.of('auth:expiring')).toHaveLength(1);
  });

  it('never puts the deadline off for a second cut, but applies it', () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice()));
    subject.cut(['chat:read']);
    subject.advance(30_000);
    subject.cut([]);
    expect(socket.of('auth:expiring')).toEqual([
      grantsWarning(NOW_S + WINDOW_S),
      grantsWarning(NOW_S + WINDOW_S),
    ]);
    expect(subject.judge(socket, 'read')).toBe('forbidden');
    subject.advance(30_200);
    expect(socket.connected).toBe(false);
  });

  it('counts a refresh with a token of the cut’s own second as done, keeping the grants narrowed', async () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice()));
    subject.advance(400);
    subject.cut(['chat:read']);
    // Minted in the same second as the cut, from the grants of before it: `iat` cannot tell which came first.
    subject.minted.set('same-second', alice({ iat: NOW_S, exp: NOW_S + 900 }));
    expect(await socket.refresh('same-second')).toEqual({ exp: NOW_S + 900 });
    expect(wsIdentity(socket)?.scope).toBe('chat:read');
    subject.advance((WINDOW_S + 10) * 1000);
    expect(socket.connected).toBe(true);
    expect(socket.of('auth:expiring')).toHaveLength(1);
  });

  it('does not let a refresh with a token older than the cut put the deadline off', async () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice()));
    subject.cut(['chat:read']);
    subject.advance(30_000);
    subject.minted.set('older', alice({ iat: NOW_S - 50, exp: NOW_S + 850 }));
    expect(await socket.refresh('older')).toEqual({ exp: NOW_S + 850 });
    expect(wsIdentity(socket)?.scope).toBe('chat:read');
    expect(socket.of('auth:expiring')).toEqual([
      grantsWarning(NOW_S + WINDOW_S),
      grantsWarning(NOW_S + WINDOW_S),
    ]);
    subject.advance(30_200);
    expect(socket.of('auth:error')).toEqual([{ code: 'token_revoked', message: expect.any(String) }]);
  });

  it('narrows a refreshed token by a cut heard while the namespace predicate was answering', async () => {
    let admit: (yes: boolean) => void = () => undefined;
    const answered = new Promise<boolean>((resolve) => (admit = resolve));
    subject = setup({ namespaces: [{ namespace: '/', auth: 'required', allow: () => answered }] });
    const socket = subject.connect(new FakeSocket('a', alice()));
    // Minted just before the admin's change, from the grants of before it.
    subject.minted.set('new', alice({ iat: NOW_S - 10, exp: NOW_S + 890 }));
    const refreshed = socket.refresh('new');
    // The token is verified and judged; the predicate has not answered yet.
    await import.meta.jest.advanceTimersByTimeAsync(0);
    subject.cut(['chat:read']);
    admit(true);
    expect(await refreshed).toEqual({ exp: NOW_S + 890 });
    expect(wsIdentity(socket)?.scope).toBe('chat:read');
    expect(subject.judge(socket, 'send')).toBe('forbidden');
    expect(socket.of('auth:expiring').at(-1)).toEqual(grantsWarning(NOW_S + WINDOW_S));
    subject.advance(WINDOW_S * 1000 + 200);
    expect(socket.of('auth:error')).toEqual([{ code: 'token_revoked', message: expect.any(String) }]);
  });

  it('refuses an in-band refresh whose narrowed grants the namespace refuses, and closes the socket', async () => {
    subject = setup({ namespaces: [{ namespace: '/admin', auth: 'required', roles: ['admin'] }] });
    const socket = subject.connect(new FakeSocket('a', alice({ roles: ['admin'] }), '/admin'));
    subject.cut(['chat:read', 'chat:write'], []);
    expect(socket.connected).toBe(false);
    const other = subject.connect(
      new FakeSocket('b', alice({ roles: ['admin'], iat: NOW_S + 1, exp: NOW_S + 901 }), '/admin'),
    );
    subject.minted.set('older', alice({ roles: ['admin'], iat: NOW_S - 1, exp: NOW_S + 899 }));
    expect(await other.refresh('older')).toEqual({
      error: { code: 'forbidden', message: expect.any(String) },
    });
    expect(other.connected).toBe(false);
  });

  it('warns a socket whose handshake token a grants record narrowed, once connected', () => {
    subject = setup();
    subject.cut(['chat:read']);
    subject.advance(10_000);
    const socket = subject.handshake('a', alice());
    expect(wsIdentity(socket)?.scope).toBe('chat:read');
    expect(socket.of('auth:expiring')).toEqual([grantsWarning(NOW_S + 10 + WINDOW_S)]);
    subject.advance(WINDOW_S * 1000 + 200);
    expect(socket.of('auth:error')).toEqual([{ code: 'token_revoked', message: expect.any(String) }]);
  });

  it('narrows and warns a socket whose grants were cut while its handshake was running', () => {
    subject = setup();
    const identity = subject.grants.atHandshake(alice());
    subject.cut(['chat:read']);
    const socket = subject.connect(new FakeSocket('a', identity));
    expect(wsIdentity(socket)?.scope).toBe('chat:read');
    expect(socket.of('auth:expiring')).toEqual([grantsWarning(NOW_S + WINDOW_S)]);
  });

  it('keeps the registry right across a downgrade: ending the session still closes the socket', () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice()));
    subject.cut(['chat:read']);
    subject.revoke({ kind: 'session', sid: 's1', sub: 'alice', reason: 'session_ended', at: NOW });
    expect(socket.of('auth:error')).toEqual([{ code: 'token_revoked', message: expect.any(String) }]);
  });

  it('spares the sockets of the session a partial user revocation keeps, and closes the others at once', () => {
    subject = setup();
    const kept = subject.connect(new FakeSocket('a', alice()));
    const ended = subject.connect(new FakeSocket('b', alice({ sid: 's2' })));
    const alsoEnded = subject.connect(new FakeSocket('c', alice({ sid: 's3' }), '/other'));
    subject.revoke({ kind: 'user', sub: 'alice', reason: 'password_changed', at: NOW, exceptSid: 's1' });
    expect(kept.connected).toBe(true);
    expect(kept.sent).toEqual([]);
    for (const socket of [ended, alsoEnded]) {
      expect(socket.of('auth:error')).toEqual([{ code: 'token_revoked', message: expect.any(String) }]);
      expect(socket.connected).toBe(false);
    }
  });

  it('closes every socket of a disabled user at once, the grants deadline notwithstanding', () => {
    subject = setup();
    const socket = subject.connect(new FakeSocket('a', alice()));
    subject.cut(['chat:read']);
    subject.revoke({ kind: 'user', sub: 'alice', reason: 'user_disabled', at: NOW });
    expect(socket.of('auth:error')).toEqual([{ code: 'token_revoked', message: expect.any(String) }]);
    subject.advance((WINDOW_S + 1) * 1000);
    expect(socket.of('auth:error')).toHaveLength(1);
  });
});
