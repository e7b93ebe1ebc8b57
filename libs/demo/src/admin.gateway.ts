import { MessageBody, SubscribeMessage, WebSocketGateway } from '@nestjs/websockets';

import { AuthError, RequireRoles } from '@ioauth/auth-core';
import { WsAuth, WsAuthService } from '@ioauth/gateway';

/** The demo's `/admin` namespace: `sessions:kick` (role `admin`) closes every socket of a user, cluster-wide. */
@WebSocketGateway({ namespace: '/admin' })
@WsAuth()
@RequireRoles('admin')
export class AdminGateway {
  constructor(private readonly ws: WsAuthService) {}

  @SubscribeMessage('sessions:kick')
  async kick(@MessageBody() payload: unknown): Promise<{ ok: true }> {
    const sub = (payload as { sub?: unknown } | null | undefined)?.sub;
    if (typeof sub !== 'string' || sub === '' || sub.length > 128)
      throw new AuthError('invalid_payload', 'sessions:kick takes {"sub"}');
    await this.ws.kickUser(sub);
    return { ok: true };
  }
}
