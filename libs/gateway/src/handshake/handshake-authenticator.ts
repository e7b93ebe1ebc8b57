import type { IncomingMessage } from 'node:http';

import { Inject, Injectable, Logger } from '@nestjs/common';
import type { Socket } from 'socket.io';

import {
  AuthError,
  AuthEvents,
  IOAUTH_CLOCK,
  IOAUTH_RATE_LIMIT_STORE,
  isAuthError,
  RateLimitedError,
  RevocationList,
  type Clock,
  type RateLimitStore,
} from '@ioauth/auth-core';

import { setWsIdentity, type WsIdentity } from '../identity/ws-identity.js';
import { GrantsChange } from '../lifecycle/grants-change.js';
import { namespacePolicy } from '../policy/namespace-policies.js';
import { admits } from '../policy/policy-check.js';
import type { WsAuthSettings } from '../ws-auth.options.schema.js';
import { WS_AUTH_SETTINGS } from '../ws-auth.settings.js';
import { clientAddressResolver } from './client-address.js';
import { connectError } from './connect-error.js';
import { handshakeToken } from './token-source.js';
import { WsTokenVerifier } from './ws-token.verifier.js';

const WINDOW_MS = 60_000;

/**
 * The socket.io middleware that authenticates every handshake, on every namespace, before any gateway sees the
 * socket: per-IP rate limit, token from the contract's sources, verification, revocation, grants the user lost
 * since the token was issued, namespace policy. The verified identity, less those grants, goes to `socket.data`; a
 * refusal is a `connect_error` with `data.code`. Nothing thrown inside
 * escapes the middleware.
 */
@Injectable()
export class HandshakeAuthenticator {
  private readonly logger = new Logger('WsAuth');
  private readonly clientAddress: (request: IncomingMessage) => string;
  // Sockets already authenticated by this handshake: the middleware may be installed twice on a child of a
  // dynamic namespace (from its parent and on creation), and must do the work once.
  private readonly done = new WeakSet<Socket>();

  constructor(
    @Inject(IOAUTH_RATE_LIMIT_STORE) private readonly rateLimits: RateLimitStore,
    @Inject(WS_AUTH_SETTINGS) private readonly options: WsAuthSettings,
    private readonly verifier: WsTokenVerifier,
    private readonly revocations: RevocationList,
    @Inject(IOAUTH_CLOCK) private readonly clock: Clock,
    private readonly events: AuthEvents,
    private readonly grants: GrantsChange,
  ) {
    this.clientAddress = clientAddressResolver(options.trustProxy);
  }

  /** The middleware, for `namespace.use`. */
  readonly middleware = (socket: Socket, next: (error?: Error) => void): void => {
    if (this.done.has(socket)) return next();
    this.authenticate(socket).then(
      (identity) => {
        this.done.add(socket);
        setWsIdentity(socket, identity);
        this.events.emit({
          type: 'socket.authenticated',
          socketId: socket.id,
          namespace: socket.nsp.name,
          ...(identity
            ? { sub: identity.sub, ...(identity.sid === undefined ? {} : { sid: identity.sid }) }
            : {}),
        });
        next();
      },
      (error: unknown) => {
        const refusal = connectError(error);
        if (!isAuthError(error))
          this.logger.error({ msg: 'handshake failed', namespace: socket.nsp.name, err: error });
        else
          this.logger.log({ msg: 'handshake refused', namespace: socket.nsp.name, code: refusal.data.code });
        this.events.emit({ type: 'socket.refused', namespace: socket.nsp.name, code: refusal.data.code });
        next(refusal);
      },
    );
  };

  /**
   * Authenticates a handshake; resolves with undefined for an anonymous socket that the namespace allows.
   * @throws AuthError `rate_limited`, `token_missing`, `token_invalid`, `token_expired`, `token_revoked`,
   * `forbidden` or `unavailable`.
   */
  async authenticate(socket: Socket): Promise<WsIdentity | undefined> {
    await this.countAttempt(socket.request);
    const namespace = socket.nsp.name;
    const policy = namespacePolicy(this.options.namespaces ?? [], namespace);
    const token = handshakeToken(socket.handshake, this.options.allowQueryToken);
    let identity: WsIdentity | undefined;
    if (token === undefined) {
      if (policy.auth !== 'optional' || policy.roles?.length || policy.scopes?.length)
        throw new AuthError('token_missing', 'an access token is required');
    } else {
      identity = await this.verifier.verify(token);
      if (this.revocations.isRevoked(identity))
        throw new AuthError('token_revoked', 'the session is revoked');
      identity = this.grants.atHandshake(identity);
    }
    const verdict = admits(policy, identity, { namespace, socket });
    if (!(typeof verdict === 'boolean' ? verdict : await verdict))
      throw new AuthError('forbidden', 'the namespace policy refuses this socket');
    return identity;
  }

  // Counted before any token work, so that a flood of hostile handshakes costs a counter increment each
  // (OWASP ASVS V2.2.1, V11.1.4).
  private async countAttempt(request: IncomingMessage): Promise<void> {
    let count: number;
    let resetAt: number;
    try {
      ({ count, resetAt } = await this.rateLimits.increment(
        `handshake:ip:${this.clientAddress(request)}`,
        WINDOW_MS,
      ));
    } catch (error) {
      throw new AuthError('unavailable', 'authentication is unavailable: try again later', { cause: error });
    }
    if (count > this.options.handshakeIpLimit) throw RateLimitedError.until(resetAt, this.clock.now());
  }
}
