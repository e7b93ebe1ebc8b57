import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { WsAuthOptions } from './ws-auth.options.js';

export const {
  ConfigurableModuleClass: WsAuthConfigurableModule,
  MODULE_OPTIONS_TOKEN: WS_AUTH_OPTIONS,
  OPTIONS_TYPE: WS_AUTH_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: WS_AUTH_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<WsAuthOptions>({ moduleName: 'IoauthWsAuth' })
  .setClassMethodName('forRoot')
  // Global by default, so that gateways in any module inject `WsAuthService` and use `@WsAuth()`.
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
