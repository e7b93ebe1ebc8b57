import { Injectable } from '@nestjs/common';
import type { Namespace, Server } from 'socket.io';

import { HandshakeAuthenticator } from '../handshake/handshake-authenticator.js';
import { TokenLifecycle } from '../lifecycle/token-lifecycle.service.js';
import { RecoveryGate } from '../recovery/recovery-gate.js';

/**
 * Puts the handshake middleware first on every namespace of a socket.io server (the main one, every namespace
 * created later, and the children of dynamic namespaces), holds a recovered session back until its socket is
 * authenticated, and follows every socket that connects. Installed on the
 * server rather than per gateway because Nest guards do not run on connect (nestjs/nest#882) and a client may
 * never join `/` (socket.io#3851).
 */
@Injectable()
export class SocketServerSecurity {
  private readonly secured = new WeakSet<Namespace>();
  private servers = 0;

  constructor(
    private readonly handshake: HandshakeAuthenticator,
    private readonly lifecycle: TokenLifecycle,
    private readonly recovery: RecoveryGate,
  ) {}

  /** Number of servers secured so far: `WsAuthModule` refuses to boot gateways none of which is. */
  get securedServers(): number {
    return this.servers;
  }

  /** Secures a server; call it before anything else touches the server. */
  secure(server: Server): void {
    this.servers += 1;
    const secure = (namespace: Namespace) => {
      if (this.secured.has(namespace)) return;
      this.secured.add(namespace);
      namespace.use(this.handshake.middleware);
      this.recovery.guard(namespace);
      namespace.on('connection', this.lifecycle.attach);
    };
    secure(server.sockets);
    server.on('new_namespace', secure);
    // A dynamic (parent) namespace emits no `new_namespace`; securing it as it is made puts the middleware ahead of
    // any the application adds, and its children copy the parent's middlewares in order.
    const of = server.of.bind(server);
    server.of = ((...args: Parameters<Server['of']>) => {
      const namespace = of(...args);
      secure(namespace as Namespace);
      return namespace;
    }) as Server['of'];
  }
}
