import { ConfigurableModuleBuilder } from '@nestjs/common';

import type { StoreOptions } from './store.options.js';

export const {
  ConfigurableModuleClass: StoreConfigurableModule,
  MODULE_OPTIONS_TOKEN: STORE_OPTIONS,
  OPTIONS_TYPE: STORE_OPTIONS_TYPE,
} = new ConfigurableModuleBuilder<StoreOptions>({ moduleName: 'IoauthStore' })
  .setClassMethodName('forRoot')
  // Global by default: AuthCoreModule's options take its key storage and revocation log, and the feature modules
  // its repositories.
  .setExtras({ isGlobal: true }, (definition, extras) => ({ ...definition, global: extras.isGlobal }))
  .build();
