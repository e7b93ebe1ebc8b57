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
import { holdings, type Holdings } from '../policy/socket-holdings.js';
import { WS_AUTH_OPTIONS } from '../ws-auth.module-definition.js';
import type { WsAuthOptions } from '../ws-auth.options.js';
import { ExpiryWheel } from './expiry-wheel.js';
import { GrantsChange, type GrantsCut } from './grants-change.js';
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
 * disconnect at `exp` or on revocation (logout, refresh-token reuse, admin kick, disable, password change, from any
 * node through the revocation bus), grants cut mid-connection (narrowed at once, then a refresh deadline), and the
 * built-in `whoami`. One timer wheel serves every socket of the process.
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
    private readonly grants: GrantsChange,
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
    // Narrowed at the handshake, or by a grants record heard while the handshake was still running.
    this.cutGrants(socket, this.grants.takeWarning(wsIdentity(socket)));
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
      lifecycle.grants.clearDeadline(this);
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
    let cut: GrantsCut | undefined;
    try {
      next = await this.verifier.verify(token);
      if (next.sub !== current.sub) return this.refuseOtherUser(socket, current.sub, answer);
      if (this.revocations.isRevoked(next)) throw new AuthError('token_revoked', 'the session is revoked');
      cut = this.grants.narrow(next);
      if (cut) next = cut.identity;
    } catch (error) {
      const code = isAuthError(error) ? error.code : 'unavailable';
      if (!isAuthError(error)) this.logger.error({ msg: 'in-band refresh failed', err: error });
      return answer(ackError(code, isAuthError(error) ? error.message : 'the token could not be verified'));
    }
    if (!socket.connected) return;
    // New grants apply at once: the rooms the socket may no longer hold are left as its identity changes.
    const judged = holdings(this.options, socket, next);
    const { namespace: admitted, leave } = judged instanceof Promise ? await judged : judged;
    if (!admitted) {
      answer(ackError('forbidden', 'the namespace policy refuses the new token'));
      socket.disconnect();
      return;
    }
    // A predicate may have taken a while: the socket may be gone.
    if (!socket.connected) return;
    this.setIdentity(socket, next);
    this.warned.delete(socket);
    // A token minted before a cut answers no grants_changed warning. One minted in the cut's own second does: a
    // refresh could not bring a better one.
    const stillCut = cut !== undefined && !cut.fresh;
    if (!stillCut) this.grants.clearDeadline(socket);
    for (const room of leave) void socket.leave(room);
    this.schedule(socket);
    this.logger.log({ msg: 'in-band refresh', sub: next.sub, sid: next.sid, namespace: socket.nsp.name });
    answer({ exp: next.exp ?? 0 });
    // Also applies a grants record heard while a predicate was answering, which the new token missed.
    this.cutGrants(socket, stillCut);
  }

  private setIdentity(socket: Socket, identity: WsIdentity): void {
    this.registry.remove(socket);
    setWsIdentity(socket, identity);
    this.registry.add(socket);
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

  // One wheel entry per socket, at the earliest of its warning, its expiry and its grants deadline.
  private schedule(socket: Socket): void {
    const identity = wsIdentity(socket);
    const deadline = this.grants.deadline(socket);
    let due = deadline === undefined ? Infinity : deadline * 1000;
    if (identity?.exp !== undefined) {
      const expiresAt = this.expiresAt(identity.exp);
      const warnAt = identity.exp * 1000 - this.refreshWindowMs(identity);
      due = Math.min(due, this.warned.has(socket) ? expiresAt : Math.min(warnAt, expiresAt));
    }
    if (due === Infinity) return this.wheel.cancel(socket);
    this.wheel.schedule(socket, due);
  }

  private onDue(socket: Socket): void {
    const identity = wsIdentity(socket);
    if (!socket.connected || identity === undefined) return;
    const now = this.clock.now();
    const deadline = this.grants.deadline(socket);
    if (deadline !== undefined && now >= deadline * 1000)
      return this.close(socket, 'token_revoked', 'the grants changed and the token was not refreshed');
    if (identity.exp !== undefined) {
      if (now >= this.expiresAt(identity.exp))
        return this.close(socket, 'token_expired', 'the access token has expired');
      if (!this.warned.has(socket)) {
        this.warned.add(socket);
        socket.emit('auth:expiring', { exp: identity.exp });
      }
    }
    this.schedule(socket);
  }

  private onRevocation(revocation: Revocation): void {
    if (revocation.kind === 'grants') return this.onGrantsChange(revocation.sub, revocation.reason);
    // The list has the revocation already: it says which of the user's sockets it covers, sparing the session a
    // partial one keeps (`exceptSid`: the password change or "end my other sessions" that asked for it).
    const sockets =
      revocation.kind === 'session'
        ? this.registry.session(revocation.sid)
        : this.registry.user(revocation.sub).filter((socket) => {
            const identity = wsIdentity(socket);
            return identity === undefined || this.revocations.isRevoked(identity);
          });
    for (const socket of sockets) this.close(socket, 'token_revoked', 'the session was revoked');
    if (sockets.length > 0)
      this.logger.log({
        msg: 'sockets closed on revocation',
        count: sockets.length,
        reason: revocation.reason,
      });
  }

  private onGrantsChange(sub: string, reason: string): void {
    let count = 0;
    for (const socket of this.registry.user(sub)) if (this.cutGrants(socket)) count += 1;
    if (count > 0) this.logger.log({ msg: 'sockets downgraded on a grants change', count, reason });
  }

  // Applies the grants records to a socket's identity; `warn` when the handshake narrowed it already. Whether they
  // cut anything now.
  private cutGrants(socket: Socket, warn = false): boolean {
    const identity = wsIdentity(socket);
    const cut = identity === undefined ? undefined : this.grants.narrow(identity);
    if (cut) this.downgrade(socket, cut.identity);
    if ((warn || cut !== undefined) && socket.connected) this.warnGrantsChanged(socket);
    return cut !== undefined;
  }

  // Lost grants apply at once (contract v2): events are judged on the narrowed identity from now on, the rooms it
  // may no longer hold are left, and a namespace whose policy now refuses it closes it, as a refresh would; the
  // socket must not hear what the namespace or rooms carry while its refresh deadline runs.
  private downgrade(socket: Socket, identity: WsIdentity): void {
    this.setIdentity(socket, identity);
    const judged = holdings(this.options, socket, identity);
    if (judged instanceof Promise) void judged.then((kept) => this.keepOnly(socket, kept));
    else this.keepOnly(socket, judged);
  }

  private keepOnly(socket: Socket, { namespace, leave }: Holdings): void {
    if (!socket.connected) return;
    if (!namespace)
      return this.close(socket, 'token_revoked', 'the namespace policy refuses the grants left');
    for (const room of leave) void socket.leave(room);
  }

  // Contract v2: after a downgrade, an in-band refresh must come within the refresh window, or the socket is closed
  // with token_revoked.
  private warnGrantsChanged(socket: Socket): void {
    const identity = wsIdentity(socket);
    if (identity === undefined) return;
    const deadline = this.grants.setDeadline(
      socket,
      identity,
      this.clock.now() + this.refreshWindowMs(identity),
    );
    // This warning stands for the token's own `auth:expiring`, which comes once per token.
    this.warned.add(socket);
    socket.emit('auth:expiring', { exp: deadline, reason: 'grants_changed' });
    this.schedule(socket);
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
