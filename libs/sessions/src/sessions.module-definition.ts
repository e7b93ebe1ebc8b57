import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { SessionsOptions } from './sessions.options.js';

export const {
  ConfigurableModuleClass: SessionsConfigurableModule,
  MODULE_OPTIONS_TOKEN: SESSIONS_OPTIONS,
  OPTIONS_TYPE: SESSIONS_OPTIONS_TYPE,
  ASYNC_OPTIONS_TYPE: SESSIONS_ASYNC_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<SessionsOptions>({ moduleName: 'IoauthSessions' })
  .setClassMethodName('forRoot')
  // Global by default, so that AuthHttpModule's strategy and a team's own strategies and routes inject
  // `CredentialsVerifier` and `SessionService` wherever they live.
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
