import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { AuthHttpOptions } from './auth-http.options.js';

export const {
  ConfigurableModuleClass: AuthHttpConfigurableModule,
  MODULE_OPTIONS_TOKEN: AUTH_HTTP_OPTIONS,
  OPTIONS_TYPE: AUTH_HTTP_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: AUTH_HTTP_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<AuthHttpOptions>({ moduleName: 'IoauthAuthHttp' })
  .setClassMethodName('forRoot')
  // Global by default, so that a team's routes in any module can use the guards (`LoginRateLimit` reads this
  // module's limits).
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
