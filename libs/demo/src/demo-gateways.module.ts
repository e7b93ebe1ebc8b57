import { Module } from '@nestjs/common';

import { AdminGateway } from './admin.gateway.js';
import { ChatGateway } from './chat.gateway.js';
import { PublicGateway } from './public.gateway.js';

/** The demo's namespaces and events (shared/CONTRACT.md); pair with `WsAuthModule.forRoot({ namespaces: DEMO_NAMESPACES })`. */
@Module({ providers: [ChatGateway, AdminGateway, PublicGateway] })
export class DemoGatewaysModule {}
