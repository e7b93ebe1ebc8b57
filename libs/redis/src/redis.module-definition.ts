import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { IoauthRedisOptions } from './redis.options.js';

export const {
  ConfigurableModuleClass: IoauthRedisConfigurableModule,
  MODULE_OPTIONS_TOKEN: IOAUTH_REDIS_OPTIONS,
  OPTIONS_TYPE: IOAUTH_REDIS_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<IoauthRedisOptions>({ moduleName: 'IoauthRedis' })
  .setClassMethodName('forRoot')
  // Global by default: the backends are handed to AuthCoreModule and WsAuthModule, and readiness checks the client.
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
