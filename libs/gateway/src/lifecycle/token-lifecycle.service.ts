import { Inject, Injectable, Logger, type OnModuleDestroy } from '@nestjs/common';
import type { Socket } from 'socket.io';

import {
  AuthError,
  AuthEvents,
  IOAUTH_CLOCK,
  isAuthError,
  RevocationList,
  TokenService,
  type Clock,
  type Revocation,
} from '@ioauth/auth-core';
import type { AckError, ErrorCode, WhoAmI } from '@ioauth/contracts';

import { SocketBudgets } from '../budget/socket-budgets.service.js';
import { setWsIdentity, wsIdentity, type WsIdentity } from '../identity/ws-identity.js';
import { WsTokenVerifier } from '../handshake/ws-token.verifier.js';
import { namespacePolicy } from '../policy/namespace-policies.js';
import { admits, mayHoldRooms } from '../policy/policy-check.js';
import { WS_AUTH_OPTIONS } from '../ws-auth.module-definition.js';
import type { WsAuthOptions } from '../ws-auth.options.js';
import { ExpiryWheel } from './expiry-wheel.js';
import { socketClosed } from './socket-closed.event.js';
import { SocketRegistry } from './socket-registry.js';

const DEFAULT_REFRESH_WINDOW = 60;

type Ack = (result: unknown) => void;

const ackError = (code: ErrorCode, message: string): AckError => ({ error: { code, message } });
const lastFunction = (args: unknown[]): Ack | undefined => {
  const last = args[args.length - 1];
  return typeof last === 'function' ? (last as Ack) : undefined;
};

/**
 * The live side of a socket's token: `auth:expiring` ahead of `exp`, in-band `auth:refresh`, `auth:error` then
 * disconnect at `exp` or on revocation (logout, refresh-token reuse, admin kick, from any node through the
 * revocation bus), and the built-in `whoami`. One timer wheel serves every socket of the process.
 */
@Injectable()
export class TokenLifecycle implements OnModuleDestroy {
  private readonly logger = new Logger('WsAuth');
  private readonly registry = new SocketRegistry();
  private readonly wheel: ExpiryWheel<Socket>;
  // Sockets already told that their token is about to expire (contract: `auth:expiring` is sent once per token).
  private readonly warned = new WeakSet<Socket>();
  private readonly attached = new WeakSet<Socket>();
  private readonly unsubscribe: () => void;

  constructor(
    private readonly tokens: TokenService,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
    @Inject(WS_AUTH_OPTIONS) private readonly options: WsAuthOptions,
    private readonly verifier: WsTokenVerifier,
    private readonly revocations: RevocationList,
    private readonly budgets: SocketBudgets,
    private readonly events: AuthEvents,
  ) {
    this.wheel = new ExpiryWheel(clock, (socket) => this.onDue(socket), options.expiryResolutionMs ?? 100);
    // The list, not the bus: it hears the bus and the catch-up from the store alike, each revocation once.
    this.unsubscribe = revocations.subscribe((revocation) => this.onRevocation(revocation));
  }

  onModuleDestroy(): void {
    this.unsubscribe();
    this.wheel.clear();
  }

  /** Starts following a socket that just connected: schedules its expiry and answers its built-in events. */
  readonly attach = (socket: Socket): void => {
    if (this.attached.has(socket)) return;
    this.attached.add(socket);
    this.registry.add(socket);
    this.schedule(socket);
    socket.on('whoami', this.listeners.whoami);
    socket.on('auth:refresh', this.listeners.refresh);
    socket.on('disconnect', this.listeners.disconnect);
  };

  // Shared by every socket: socket.io calls listeners with the socket as `this`, so no socket needs closures of
  // its own (about 0.3 KB each, measured in bench/gateway.bench.ts).
  private readonly listeners = ((lifecycle: TokenLifecycle) => ({
    whoami(this: Socket, ...args: unknown[]) {
      if (lifecycle.budgets.admit(this, 'whoami', args)) lifecycle.whoami(this, lastFunction(args));
    },
    refresh(this: Socket, ...args: unknown[]) {
      // Budgeted before any verification: each one costs a signature check (issue 11, item 7).
      if (lifecycle.budgets.admitRefresh(this, args))
        void lifecycle.refresh(this, args[0], lastFunction(args));
    },
    disconnect(this: Socket) {
      lifecycle.registry.remove(this);
      lifecycle.wheel.cancel(this);
    },
  }))(this);

  private whoami(socket: Socket, ack: Ack | undefined): void {
    if (!ack) return;
    const identity = wsIdentity(socket);
    if (!identity) return ack(ackError('token_missing', 'this socket has no user'));
    const result: WhoAmI = {
      sub: identity.sub,
      scope: identity.scope,
      roles: [...identity.roles],
      exp: identity.exp ?? 0,
    };
    ack(result);
  }

  private async refresh(socket: Socket, payload: unknown, ack: Ack | undefined): Promise<void> {
    const answer = (result: unknown) => ack?.(result);
    const current = wsIdentity(socket);
    if (!current) return answer(ackError('forbidden', 'an anonymous socket cannot refresh a token'));
    const token = (payload as { token?: unknown } | null | undefined)?.token;
    if (typeof payload !== 'object' || payload === null || typeof token !== 'string' || token === '')
      return answer(ackError('invalid_payload', 'auth:refresh takes {"token": "<access token>"}'));
    let next: WsIdentity;
    try {
      next = await this.verifier.verify(token);
      if (next.sub !== current.sub) return this.refuseOtherUser(socket, current.sub, answer);
      if (this.revocations.isRevoked(next)) throw new AuthError('token_revoked', 'the session is revoked');
    } catch (error) {
      const code = isAuthError(error) ? error.code : 'unavailable';
      if (!isAuthError(error)) this.logger.error({ msg: 'in-band refresh failed', err: error });
      return answer(ackError(code, isAuthError(error) ? error.message : 'the token could not be verified'));
    }
    if (!socket.connected) return;
    const namespace = socket.nsp.name;
    const policy = namespacePolicy(this.options.namespaces ?? [], namespace);
    const verdict = admits(policy, next, { namespace, socket });
    if (!(typeof verdict === 'boolean' ? verdict : await verdict)) {
      answer(ackError('forbidden', 'the namespace policy refuses the new token'));
      socket.disconnect();
      return;
    }
    const left = this.forbiddenRooms(socket, next);
    const forbidden = Array.isArray(left) ? left : await left;
    // A predicate may have taken a while: the socket may be gone.
    if (!socket.connected) return;
    this.registry.remove(socket);
    setWsIdentity(socket, next);
    this.registry.add(socket);
    this.warned.delete(socket);
    for (const room of forbidden) void socket.leave(room);
    this.schedule(socket);
    this.logger.log({ msg: 'in-band refresh', sub: next.sub, sid: next.sid, namespace });
    answer({ exp: next.exp ?? 0 });
  }

  // Another user's valid token offered in-band is an attack (a stolen token tried on a live socket), not a mistake a
  // client makes: refused, and the socket closed (issue 11, item 14).
  private refuseOtherUser(socket: Socket, sub: string, answer: (result: unknown) => void): void {
    this.logger.warn({
      msg: 'in-band refresh with another user’s token: socket closed',
      sub,
      namespace: socket.nsp.name,
    });
    answer(ackError('token_invalid', 'the token is for another user'));
    socket.disconnect();
  }

  // New grants apply at once: the rooms a socket no longer may hold, judged on the new identity before it is set,
  // so that the socket leaves them as the identity changes.
  private forbiddenRooms(socket: Socket, identity: WsIdentity): string[] | Promise<string[]> {
    const rules = this.options.rooms ?? [];
    if (rules.length === 0) return [];
    const rooms = [...socket.rooms].filter((room) => room !== socket.id);
    const held = mayHoldRooms(rules, identity, rooms, socket);
    const refused = (verdicts: boolean[]) => rooms.filter((_room, index) => !verdicts[index]);
    return Array.isArray(held) ? refused(held) : held.then(refused);
  }

  private schedule(socket: Socket): void {
    const identity = wsIdentity(socket);
    if (identity?.exp === undefined) return this.wheel.cancel(socket);
    const expiresAt = this.expiresAt(identity.exp);
    const warnAt = identity.exp * 1000 - this.refreshWindowMs(identity);
    this.wheel.schedule(socket, this.warned.has(socket) ? expiresAt : Math.min(warnAt, expiresAt));
  }

  private onDue(socket: Socket): void {
    const identity = wsIdentity(socket);
    if (!socket.connected || identity?.exp === undefined) return;
    if (this.clock.now() >= this.expiresAt(identity.exp)) {
      this.close(socket, 'token_expired', 'the access token has expired');
      return;
    }
    if (!this.warned.has(socket)) {
      this.warned.add(socket);
      socket.emit('auth:expiring', { exp: identity.exp });
    }
    this.schedule(socket);
  }

  private onRevocation(revocation: Revocation): void {
    const sockets =
      revocation.kind === 'session'
        ? this.registry.session(revocation.sid)
        : this.registry.user(revocation.sub).filter((socket) => {
            const iat = wsIdentity(socket)?.iat;
            return iat === undefined || iat * 1000 <= revocation.at;
          });
    for (const socket of sockets) this.close(socket, 'token_revoked', 'the session was revoked');
    if (sockets.length > 0)
      this.logger.log({
        msg: 'sockets closed on revocation',
        count: sockets.length,
        reason: revocation.reason,
      });
  }

  private close(socket: Socket, code: 'token_expired' | 'token_revoked', message: string): void {
    this.wheel.cancel(socket);
    this.events.emit(socketClosed(socket, code));
    socket.emit('auth:error', { code, message });
    socket.disconnect();
  }

  private expiresAt(exp: number): number {
    return this.tokens.acceptedUntil(exp);
  }

  // Contract: the refresh window is 60 s, or a third of the token's lifetime if that is shorter.
  private refreshWindowMs(identity: WsIdentity): number {
    const window = this.options.refreshWindow ?? DEFAULT_REFRESH_WINDOW;
    const lifetime =
      identity.exp !== undefined && identity.iat !== undefined ? identity.exp - identity.iat : window * 3;
    return Math.min(window, lifetime / 3) * 1000;
  }
}
