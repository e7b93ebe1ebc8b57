import type { INestApplicationContext } from '@nestjs/common';
import { IoAdapter } from '@nestjs/platform-socket.io';
import type { MessageMappingProperties } from '@nestjs/websockets';
import type { Observable } from 'rxjs';
import type { Server, ServerOptions, Socket } from 'socket.io';

import { SocketBudgets } from '../budget/socket-budgets.service.js';
import { bindMessageHandlers, type AdmitEvent } from './message-handlers.js';
import type { WsAuthSettings } from '../ws-auth.options.schema.js';
import { WS_AUTH_SETTINGS } from '../ws-auth.settings.js';
import { SocketServerSecurity } from './socket-server-security.js';

// The handshake carries a token of at most a few KB and ioauth's events are small; socket.io's default of 1 MB
// would let one hostile packet cost far more than a valid handshake. Gateways that need more say so.
const MAX_HTTP_BUFFER_SIZE = 64 * 1024;

/**
 * The socket.io adapter of an app using `WsAuthModule`: every server it creates authenticates every handshake on
 * every namespace, restores a recovered session only to a socket authenticated again, removes the children of
 * dynamic namespaces once empty, and installs `WsAuthModule`'s `adapter` (as `@ioauth/redis`'s, to share
 * broadcasts across processes). It binds `@SubscribeMessage` handlers to a socket for less than Nest's `IoAdapter`,
 * with the same responses, each event charged to its socket's budget first. Install it with
 * `app.useWebSocketAdapter(new IoauthIoAdapter(app))`.
 */
export class IoauthIoAdapter extends IoAdapter {
  private readonly payloadOf = (payload: unknown) => this.mapPayload(payload);
  private admit: AdmitEvent | undefined;

  constructor(private readonly app: INestApplicationContext) {
    super(app);
  }

  override createIOServer(port: number, options?: Partial<ServerOptions>): Server {
    const recovery = options?.connectionStateRecovery;
    const server: Server = super.createIOServer(port, {
      maxHttpBufferSize: MAX_HTTP_BUFFER_SIZE,
      // socket.io makes the child of a dynamic namespace before any middleware can refuse the handshake, and keeps
      // it for ever unless told otherwise: one per name a client tried, without bound (issue 11, item 8). With
      // this, a child goes as its last socket leaves, a refused handshake's included (socket.io's `_remove`).
      cleanupEmptyChildNamespaces: true,
      ...options,
      // A recovered session must authenticate again: socket.io skips middlewares on recovery by default.
      ...(recovery ? { connectionStateRecovery: { ...recovery, skipMiddlewares: false } } : {}),
    } as ServerOptions);
    const { adapter } = this.app.get<WsAuthSettings>(WS_AUTH_SETTINGS, { strict: false });
    if (adapter) server.adapter(adapter);
    this.app.get(SocketServerSecurity, { strict: false }).secure(server);
    const budgets = this.app.get(SocketBudgets, { strict: false });
    this.admit = (socket, event, args) => budgets.admit(socket, event, args);
    return server;
  }

  override bindMessageHandlers(
    socket: Socket,
    handlers: MessageMappingProperties[],
    transform: (data: unknown) => Observable<unknown>,
  ): void {
    bindMessageHandlers(socket, handlers, transform, this.payloadOf, this.logger, this.admit);
  }
}
