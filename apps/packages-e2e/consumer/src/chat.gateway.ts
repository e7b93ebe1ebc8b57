import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace } from 'socket.io';

import { RequireScopes } from '@ioauth/auth-core';
import { WsAuth, WsUser, type WsIdentity } from '@ioauth/gateway';

import type { ClientEvents, ServerEvents } from './chat-events.js';

/** The team's own gateway: any signed-in user may connect; only `chat:write` may post. */
@WebSocketGateway()
@WsAuth()
export class ChatGateway {
  @WebSocketServer() private readonly namespace!: Namespace<ClientEvents, ServerEvents>;

  @SubscribeMessage('chat:send')
  @RequireScopes('chat:write')
  send(@WsUser() user: WsIdentity, @MessageBody() body: { text: string }): { ok: true } {
    this.namespace.emit('chat:message', { from: user.sub, text: body.text });
    return { ok: true };
  }
}
