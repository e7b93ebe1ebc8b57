import { randomUUID } from 'node:crypto';

import {
  ConnectedSocket,
  MessageBody,
  SubscribeMessage,
  WebSocketGateway,
  WebSocketServer,
} from '@nestjs/websockets';
import type { Namespace, Socket } from 'socket.io';

import { AuthError, RequireScopes } from '@ioauth/auth-core';
import { WsAuth, WsAuthService, WsUser, type WsIdentity } from '@ioauth/gateway';

import type { TenantClaims } from '../users/tenant-user.js';
import type { Order, OrderClientEvents, OrderServerEvents } from './order-events.js';

const MAX_ITEM_LENGTH = 200;

/** Orders live, per tenant: a user watches its tenant's room and places orders broadcast there. */
@WebSocketGateway()
@WsAuth()
export class OrdersGateway {
  @WebSocketServer() private readonly namespace!: Namespace<OrderClientEvents, OrderServerEvents>;

  constructor(private readonly ws: WsAuthService) {}

  @SubscribeMessage('orders:watch')
  async watch(@ConnectedSocket() socket: Socket, @MessageBody() body: unknown): Promise<{ ok: true }> {
    const tenant = (body as { tenant?: unknown } | null)?.tenant;
    if (typeof tenant !== 'string' || tenant === '')
      throw new AuthError('invalid_payload', 'orders:watch takes {"tenant": "<id>"}');
    // The room policy (tenantRooms) refuses another tenant's room with `forbidden`.
    await this.ws.join(socket, `tenant:${tenant}`);
    return { ok: true };
  }

  @SubscribeMessage('order:place')
  @RequireScopes('orders:write')
  place(@WsUser() user: WsIdentity<TenantClaims>, @MessageBody() body: unknown): Order {
    const item = (body as { item?: unknown } | null)?.item;
    if (typeof item !== 'string' || item === '' || item.length > MAX_ITEM_LENGTH)
      throw new AuthError('invalid_payload', 'order:place takes {"item": "<text>"}');
    const tenant = user.claims?.tenant;
    if (!tenant) throw new AuthError('forbidden', 'the token names no tenant');
    const order: Order = { id: randomUUID(), tenant, item, by: user.sub };
    this.namespace.to(`tenant:${tenant}`).emit('order:updated', order);
    return order;
  }
}
