import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { AuthCoreOptions } from './auth-core.options.js';

export const {
  ConfigurableModuleClass: AuthCoreConfigurableModule,
  MODULE_OPTIONS_TOKEN: AUTH_CORE_OPTIONS,
  OPTIONS_TYPE: AUTH_CORE_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AUTH_CORE_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuthCoreOptions>({ moduleName: 'IoauthAuthCore' })
  .setClassMethodName('forRoot')
  // Global by default, so that feature modules inject the token services without importing this module again.
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
