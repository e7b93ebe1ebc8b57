import { MessageBody, SubscribeMessage, WebSocketGateway, WebSocketServer } from '@nestjs/websockets';
import type { Namespace } from 'socket.io';

import { AuthError, RequireScopes } from '@ioauth/auth-core';
import type { ChatMessage, DemoClientEvents, DemoServerEvents } from '@ioauth/demo-contracts';
import { WsAuth, WsUser, type WsIdentity } from '@ioauth/gateway';

const MAX_TEXT = 1000;

/** The demo chat on `/`: `chat:send` (scope `chat:write`) broadcasts `chat:message` to the namespace, on every node. */
@WebSocketGateway()
@WsAuth()
export class ChatGateway {
  @WebSocketServer() private readonly namespace!: Namespace<DemoClientEvents, DemoServerEvents>;

  @SubscribeMessage('chat:send')
  @RequireScopes('chat:write')
  send(@WsUser() user: WsIdentity, @MessageBody() payload: unknown): { ok: true } {
    const text = (payload as { text?: unknown } | null | undefined)?.text;
    if (typeof text !== 'string' || text.trim() === '' || text.length > MAX_TEXT)
      throw new AuthError('invalid_payload', `chat:send takes {"text"} of 1 to ${MAX_TEXT} characters`);
    const message: ChatMessage = { from: user.sub, text, at: new Date().toISOString() };
    this.namespace.emit('chat:message', message);
    return { ok: true };
  }
}
