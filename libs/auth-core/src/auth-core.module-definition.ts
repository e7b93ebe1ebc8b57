import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { IoauthConfigInput } from './config/ioauth-config.js';

export const {
  ConfigurableModuleClass: AuthCoreConfigurableModule,
  MODULE_OPTIONS_TOKEN: AUTH_CORE_OPTIONS,
  OPTIONS_TYPE: AUTH_CORE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AUTH_CORE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<IoauthConfigInput>({ moduleName: 'IoauthAuthCore' })
  .setClassMethodName('forRoot')
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
